/** Shared by the local runner benchmarks: layered DAG pipelines, a throwaway workspace, timing. */
import { command, Input, Output, pipeline, type PipelineJob } from "@pipewright/dsl";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { LocalWorkspace, startLocalJob, type StartJobOptions } from "@pipewright/runner";
import { createSpawner, type LocalRunOptions } from "../packages/runner/src/local/executor.js";
import { HelperSpawner } from "../packages/runner/src/local/spawner.js";


/** A step that reads two steps of the previous layer; its command is `cmd` with the step id. */
export function layeredJob(options: { layers: number; width: number; cmd: (id: string) => string; fanIn?: number }): PipelineJob {
  const first = command({ name: "first", inputs: { n: Input.string() }, outputs: { out: Output.uriFolder() }, command: options.cmd("${{inputs.n}}") });
  const next = command({
    name: "next",
    inputs: { a: Input.uriFolder(), b: Input.uriFolder(), n: Input.string() },
    outputs: { out: Output.uriFolder() },
    command: options.cmd("${{inputs.n}}"),
  });
  const dag = pipeline({ name: "dag" }, () => {
    let previous = Array.from({ length: options.width }, (_, i) => first({ n: `n0_${i}` }, { name: `s0_${i}` }).outputs.out);
    for (let layer = 1; layer < options.layers; layer++) {
      previous = previous.map((_, i) => {
        const a = previous[i] as (typeof previous)[number];
        const b = previous[(i + 1) % previous.length] as (typeof previous)[number];
        return next({ a, b, n: `n${layer}_${i}` }, { name: `s${layer}_${i}` }).outputs.out;
      });
    }
  });
  return dag.job();
}

/** The same DAG as a Makefile whose recipes run the same command strings through /bin/sh -c. */
export function layeredMakefile(options: { layers: number; width: number; cmd: (id: string) => string }): string {
  const targets: string[] = [];
  const rules: string[] = [];
  for (let layer = 0; layer < options.layers; layer++) {
    for (let i = 0; i < options.width; i++) {
      const name = `s${layer}_${i}`;
      targets.push(name);
      const deps = layer === 0 ? "" : ` s${layer - 1}_${i} s${layer - 1}_${(i + 1) % options.width}`;
      const script = options.cmd(`'n${layer}_${i}'`).replace(/'/g, `'\\''`);
      rules.push(`${name}:${deps}\n\t@/bin/sh -c '${script}'`);
    }
  }
  const last = targets.slice(-options.width).join(" ");
  return `.PHONY: all ${targets.join(" ")}\nall: ${last}\n${rules.join("\n")}\n`;
}

export interface BenchWorkspace {
  readonly workspace: LocalWorkspace;
  run(job: PipelineJob, options?: StartJobOptions): Promise<{ ms: number; status: string }>;
  dispose(): void;
}

/**
 * Where bench workspaces live: beside the project, as a user's `.pipewright/` does, unless
 * PIPEWRIGHT_BENCH_DIR names another folder (e.g. /tmp, to measure a busy shared temp folder).
 */
export const benchRoot = process.env["PIPEWRIGHT_BENCH_DIR"] ?? join(import.meta.dirname, ".generated");

let rootReady = false;

/**
 * Creates the bench root, marked (ext4's `chattr +T`) as the top of directory trees, so that each
 * workspace made in it is placed in a block group of its own choosing, as a new project folder
 * is, rather than beside the tens of thousands of inodes the previous bench run deleted: on an
 * ext4 without a journal (this machine's) a new inode skips every one freed in the last one to
 * five minutes, and a run right after another paid up to ten times the usual cost per file (make
 * creates none). Where chattr is missing or the file system has no such flag, nothing changes.
 */
export function prepareBenchRoot(): string {
  if (!rootReady) {
    mkdirSync(benchRoot, { recursive: true });
    spawnSync("chattr", ["+T", benchRoot], { stdio: "ignore" });
    rootReady = true;
  }
  return benchRoot;
}

export function benchWorkspace(): BenchWorkspace {
  prepareBenchRoot();
  const dir = mkdtempSync(join(benchRoot, "pw-bench-"));
  const workspace = LocalWorkspace.open(join(dir, ".pipewright"));
  return {
    workspace,
    async run(job, options = {}) {
      const start = performance.now();
      const run = startLocalJob(workspace, job.model, { env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin" }, ...options });
      const record = await run.done;
      return { ms: performance.now() - start, status: record.status };
    },
    dispose() {
      workspace.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * The runner's own spawner with no bookkeeping: `count` `/bin/sh -c 'true n<i>'`, `concurrency` at
 * a time; with `files`, each also gets what a step gets from the file system (a log file in a new
 * folder and a new output folder), which make does not do.
 */
export async function spawnerFloor(choice: NonNullable<LocalRunOptions["spawner"]>, count: number, concurrency: number, files: boolean): Promise<{ ms: number; kind: string; dir: string }> {
  const keepAlive = setInterval(() => undefined, 1000);
  const spawner = createSpawner({ env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin" }, spawner: choice, concurrency });
  // The caller removes it, after its last measurement: on ext4, inodes freed moments ago make
  // the next creations slow (each new inode skips the recently deleted ones).
  const dir = mkdtempSync(join(prepareBenchRoot(), "pw-bench-floor-"));
  try {
    const kind = spawner instanceof HelperSpawner ? ((await spawner.booted) ?? "none") + " helper" : spawner.constructor.name;
    const start = performance.now();
    let started = 0;
    let done = 0;
    await new Promise<void>((resolve, reject) => {
      // A spawner that queues (the native one) is handed every step at once and runs
      // `concurrency` at a time itself; the others are fed one step per free slot.
      const window = spawner.admits !== undefined ? count : concurrency;
      const next = () => {
        while (started - done < window && started < count) {
          const n = started++;
          const folder = join(dir, `s${n}`);
          const request = files
            ? { script: `true 'n${n}'`, cwd: folder, env: {}, logFile: join(folder, "attempt-1.log"), dirs: [folder, join(folder, ".out.staging-1")] }
            : { script: `true 'n${n}'`, cwd: dir, env: {}, logFile: "/dev/null" };
          spawner.spawn(request, {
            started: () => undefined,
            exited: () => {
              done++;
              if (done === count) resolve();
              else next();
            },
            failed: (message) => reject(new Error(message)),
          });
        }
      };
      next();
    });
    return { ms: performance.now() - start, kind, dir };
  } finally {
    spawner.close();
    clearInterval(keepAlive);
  }
}
