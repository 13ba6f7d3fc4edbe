// End-to-end: `pipewright run` as a separate process, interrupted the ways a user interrupts it.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { main } from "@pipewright/cli";
import { LocalWorkspace } from "@pipewright/runner";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(root, "packages/cli/bin/pipewright.mjs");
const entry = join(root, "test/fixtures/local-run/sleepers.ts");

interface Runner {
  readonly child: ChildProcess;
  output: string;
  readonly exit: Promise<number | null>;
}

function startRunner(args: readonly string[]): Runner {
  const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
  const runner = {
    child,
    output: "",
    exit: new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code))),
  };
  child.stdout?.on("data", (chunk: Buffer) => (runner.output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (runner.output += chunk.toString()));
  return runner;
}

async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A process that exited but was not reaped (a zombie: PID 1 here may not reap) is not alive. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

describe("pipewright run, interrupted", function () {
  this.timeout(60_000);
  let dir: string;
  let ws: string;
  let counter: string;
  let marker: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "pw-run-"));
    ws = join(dir, "ws");
    counter = join(dir, "counter");
    marker = join(dir, "marker");
  });
  afterEach(() => {
    writeFileSync(marker, "");
    rmSync(dir, { recursive: true, force: true });
  });

  const runArgs = () => ["run", entry, "--no-type-check", "--plain", "--workspace", ws, "--set", `counter=${counter}`, "--set", `marker=${marker}`];

  function jobState(name?: string) {
    const workspace = LocalWorkspace.open(ws);
    try {
      const job = name ? workspace.store.getJob(name) : workspace.store.listJobs()[0];
      if (!job) return undefined;
      return { job, steps: workspace.store.getSteps(job.name), attempts: workspace.store.getAttempts(job.name) };
    } finally {
      workspace.close();
    }
  }

  it("Ctrl-C (SIGINT) stops every step's process group, records the job as canceled and exits 130", async () => {
    const runner = startRunner(runArgs());
    await until(() => (runner.output.match(/waiter(_1)? started/g) ?? []).length === 2, "both waiters to start");
    const pids = jobState()?.attempts.filter((a) => a.step.startsWith("waiter")).map((a) => a.pid as number) ?? [];
    expect(pids).to.have.length(2);
    runner.child.kill("SIGINT");
    expect(await runner.exit).to.equal(130);
    const state = jobState();
    expect(state?.job.status).to.equal("canceled");
    expect(Object.fromEntries(state?.steps.map((s) => [s.id, s.status]) ?? [])).to.deep.equal({ first: "completed", waiter: "canceled", waiter_1: "canceled" });
    for (const pid of pids) expect(alive(pid), `process group ${pid}`).to.equal(false);
  });

  it("`pipewright cancel <job>` from another process stops the run", async () => {
    const runner = startRunner(runArgs());
    await until(() => (runner.output.match(/waiter(_1)? started/g) ?? []).length === 2, "both waiters to start");
    const name = jobState()?.job.name as string;
    let printed = "";
    const code = await main(["cancel", name, "--workspace", ws], { cwd: root, env: {}, stdout: { write: (t: string) => (printed += t) }, stderr: { write: (t: string) => (printed += t) } });
    expect(code).to.equal(0);
    expect(printed).to.contain(`Job ${name} canceled.`);
    expect(await runner.exit).to.equal(130);
  });

  it("logs --follow prints the steps' output as it comes and returns when the job finishes", async () => {
    const runner = startRunner(runArgs());
    await until(() => (runner.output.match(/waiter(_1)? started/g) ?? []).length === 2, "both waiters to start");
    const name = jobState()?.job.name as string;
    const follower = startRunner(["logs", name, "--follow", "--workspace", ws]);
    await until(() => follower.output.includes("== waiter_1 (attempt 1) ==\nwaiting\n"), "the follower to print the running steps' output");
    writeFileSync(marker, "");
    expect(await runner.exit).to.equal(0);
    expect(await follower.exit).to.equal(0);
    expect(follower.output).to.contain("== waiter (attempt 1) ==\nwaiting\n");
  });

  it("--resume after the runner was SIGKILLed finishes the job without redoing completed steps", async () => {
    const runner = startRunner(runArgs());
    await until(() => (runner.output.match(/waiter(_1)? started/g) ?? []).length === 2, "both waiters to start");
    const before = jobState();
    const name = before?.job.name as string;
    const orphans = before?.attempts.filter((a) => a.step.startsWith("waiter")).map((a) => a.pid as number) ?? [];
    runner.child.kill("SIGKILL");
    await runner.exit;
    expect(jobState(name)?.job.status).to.equal("running");
    expect(orphans.every(alive)).to.equal(true);

    writeFileSync(marker, "");
    const resumed = startRunner(["run", "--resume", name, "--plain", "--workspace", ws]);
    expect(await resumed.exit, resumed.output).to.equal(0);
    for (const pid of orphans) expect(alive(pid)).to.equal(false);
    const after = jobState(name);
    expect(after?.job.status).to.equal("completed");
    expect(readFileSync(counter, "utf8")).to.equal("ran\n");
    expect(after?.attempts.filter((a) => a.step === "first")).to.have.length(1);
    expect(after?.attempts.filter((a) => a.step === "waiter").map((a) => a.attempt)).to.deep.equal([1, 2]);
    expect(readFileSync(join(after?.job.outputs["a"] as string, "f"), "utf8")).to.equal("one\n");
    expect(existsSync(join(after?.job.folder as string, "steps", "waiter", ".out.staging-1"))).to.equal(false);
  });
});
