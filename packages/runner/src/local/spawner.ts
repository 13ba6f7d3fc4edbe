/**
 * Starting step processes through a spawn helper (spawn-helper.py, else spawn-helper.mjs), or
 * directly with child_process.spawn while none has booted. Either way each step is
 * `/bin/sh -c <script>` leading its own process group, its output appended to its log.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export interface SpawnRequest {
  readonly script: string;
  readonly cwd: string;
  /** Added to the spawner's base environment. */
  readonly env: Readonly<Record<string, string>>;
  readonly logFile: string;
  /** Folders to create (with their parents) before the step starts, in order. */
  readonly dirs?: readonly string[];
}

export interface SpawnCallbacks {
  started(pid: number): void;
  exited(code: number | null, signal: string | null): void;
  failed(message: string): void;
}

/** A step handed to a spawner that queues: it can still be withdrawn until it starts. */
export interface SpawnTicket {
  /** True when the step had not started and now never will (no callback follows). */
  withdraw(): boolean;
  /**
   * Signals the step's process group while its leader has not been reaped (never a reused
   * process id); true when sent. Without it, the runner signals the group by its pid.
   */
  signal?(signal: NodeJS.Signals): boolean;
}

export interface Spawner {
  spawn(request: SpawnRequest, callbacks: SpawnCallbacks): SpawnTicket | undefined;
  close(): void;
  /**
   * Set when the spawner itself runs at most this many steps at once and queues the rest, so the
   * runner may hand it the next steps before a slot is free.
   */
  readonly admits?: number;
  /** Set when the spawner kills what is left of a step's process group when its leader exits. */
  readonly killsGroupOnExit?: boolean;
}

/** Spawns in this process: simple, but each fork copies this process's page tables. */
export class DirectSpawner implements Spawner {
  constructor(private readonly baseEnv: Readonly<Record<string, string>>) {}

  spawn(request: SpawnRequest, callbacks: SpawnCallbacks): undefined {
    let log: number | undefined;
    let child: ChildProcess;
    try {
      for (const dir of request.dirs ?? []) mkdirSync(dir, { recursive: true });
      log = openSync(request.logFile, "a");
      child = spawn("/bin/sh", ["-c", request.script], { cwd: request.cwd, env: { ...this.baseEnv, ...request.env }, detached: true, stdio: ["ignore", log, log] });
    } catch (error) {
      callbacks.failed((error as Error).message);
      return;
    } finally {
      if (log !== undefined) closeSync(log);
    }
    child.once("error", (error) => {
      if (child.pid === undefined) callbacks.failed(error.message);
    });
    if (child.pid !== undefined) callbacks.started(child.pid);
    child.once("exit", (code, signal) => callbacks.exited(code, signal));
    return undefined;
  }

  close(): void {}
}

interface HelperMessage {
  readonly op: "ready" | "started" | "exit" | "error";
  readonly id: number;
  readonly pid?: number;
  readonly code?: number | null;
  readonly signal?: string | null;
  readonly message?: string;
}

/** Which spawn helper to run: python3 with posix_spawn where it works, else a small Node process. */
export type HelperKind = "python" | "node";

export interface HelperOptions {
  /** @default "python" (falls back to "node" when python3 cannot run the helper) */
  readonly prefer?: HelperKind;
  /** The Python to run, looked up on PATH. @default "python3" */
  readonly python?: string;
}

/** Pythons that failed to start the helper in this process: later runs go straight to Node. */
const unusablePythons = new Set<string>();

/**
 * Spawns through a helper process, so starting a step costs the same however large the runner
 * grows. The python3 helper (spawn-helper.py) uses posix_spawn, which copies no page tables at
 * all; where python3 is missing or too old, the Node helper (spawn-helper.mjs) forks from ~45 MB.
 * Until a helper has booted (about 0.1 s), steps are spawned directly, so no step waits for it.
 */
export class HelperSpawner implements Spawner {
  /** Settles with the helper in use once it is ready, or undefined when none could start. */
  readonly booted: Promise<HelperKind | undefined>;
  private helper: ChildProcess | undefined;
  private kind: HelperKind;
  private readonly python: string;
  private readonly direct: DirectSpawner;
  private ready = false;
  private readonly pending = new Map<number, SpawnCallbacks>();
  private nextId = 1;
  private dead = false;
  private onBooted: (kind: HelperKind | undefined) => void = () => undefined;

  constructor(
    private readonly baseEnv: Readonly<Record<string, string>>,
    options: HelperOptions = {},
  ) {
    this.direct = new DirectSpawner(baseEnv);
    this.python = options.python ?? "python3";
    this.kind = (options.prefer ?? "python") === "python" && !unusablePythons.has(this.python) ? "python" : "node";
    this.booted = new Promise((resolve) => (this.onBooted = resolve));
    this.start();
  }

  spawn(request: SpawnRequest, callbacks: SpawnCallbacks): undefined {
    if (!this.ready || this.dead) return this.direct.spawn(request, callbacks);
    const id = this.nextId++;
    this.pending.set(id, callbacks);
    this.ref();
    this.write({ op: "spawn", id, script: request.script, cwd: request.cwd, env: request.env, log: request.logFile, dirs: request.dirs ?? [] });
    return undefined;
  }

  close(): void {
    this.dead = true;
    this.onBooted(undefined);
    this.helper?.stdin?.end();
  }

  private start(): void {
    const helper =
      this.kind === "python"
        ? // -I: no PYTHON* variables or user site-packages, -S: no site import (faster start).
          spawn(this.python, ["-I", "-S", fileURLToPath(new URL("./spawn-helper.py", import.meta.url))], { stdio: ["pipe", "pipe", "inherit"] })
        : // A plain Node with an empty environment: no loader hooks from NODE_OPTIONS, nothing but
          // the helper in memory. The steps' environment arrives in the first message.
          spawn(process.execPath, [fileURLToPath(new URL("./spawn-helper.mjs", import.meta.url))], { stdio: ["pipe", "pipe", "inherit"], env: {} });
    this.helper = helper;
    helper.once("exit", () => this.lost(helper, "the spawn helper exited"));
    helper.once("error", (error) => this.lost(helper, `the spawn helper failed: ${error.message}`));
    helper.stdin?.on("error", () => this.lost(helper, "the spawn helper closed its input"));
    createInterface({ input: helper.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      if (helper === this.helper) this.receive(line);
    });
    this.write({ op: "env", env: this.baseEnv });
    // The helper must not keep the runner alive on its own.
    helper.unref();
    (helper.stdout as unknown as { unref?: () => void }).unref?.();
    (helper.stdin as unknown as { unref?: () => void }).unref?.();
  }

  private write(message: unknown): void {
    this.helper?.stdin?.write(`${JSON.stringify(message)}\n`);
  }

  private receive(line: string): void {
    let message: HelperMessage;
    try {
      message = JSON.parse(line) as HelperMessage;
    } catch {
      return;
    }
    if (message.op === "ready") {
      this.ready = true;
      this.onBooted(this.kind);
      return;
    }
    const callbacks = this.pending.get(message.id);
    if (!callbacks) return;
    if (message.op === "started" && message.pid !== undefined) {
      callbacks.started(message.pid);
      return;
    }
    this.pending.delete(message.id);
    this.unrefIfIdle();
    if (message.op === "exit") callbacks.exited(message.code ?? null, message.signal ?? null);
    else callbacks.failed(message.message ?? "could not start");
  }

  private lost(helper: ChildProcess, reason: string): void {
    if (helper !== this.helper) return;
    this.helper = undefined;
    // No python3, or one without posix_spawn: boot the Node helper instead (nothing was sent to
    // this one yet; steps are spawned directly meanwhile).
    if (this.kind === "python" && !this.ready && !this.dead) {
      unusablePythons.add(this.python);
      this.kind = "node";
      this.start();
      return;
    }
    this.onBooted(undefined);
    if (this.dead && !this.pending.size) return;
    this.dead = true;
    for (const callbacks of this.pending.values()) callbacks.failed(reason);
    this.pending.clear();
  }

  /** While steps run, the helper's output keeps the event loop alive (their exits come through it). */
  private ref(): void {
    (this.helper?.stdout as unknown as { ref?: () => void } | undefined)?.ref?.();
  }

  private unrefIfIdle(): void {
    if (!this.pending.size) (this.helper?.stdout as unknown as { unref?: () => void } | undefined)?.unref?.();
  }
}
