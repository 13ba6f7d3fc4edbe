/**
 * Starting step processes through the spawn helper (spawn-helper.mjs), or directly with
 * child_process.spawn when the helper cannot start. Either way each step is `/bin/sh -c <script>`
 * leading its own process group, its output appended to its log.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export interface SpawnRequest {
  readonly script: string;
  readonly cwd: string;
  /** Added to the spawner's base environment. */
  readonly env: Readonly<Record<string, string>>;
  readonly logFile: string;
}

export interface SpawnCallbacks {
  started(pid: number): void;
  exited(code: number | null, signal: string | null): void;
  failed(message: string): void;
}

export interface Spawner {
  spawn(request: SpawnRequest, callbacks: SpawnCallbacks): void;
  close(): void;
}

/** Spawns in this process: simple, but each fork copies this process's page tables. */
export class DirectSpawner implements Spawner {
  constructor(private readonly baseEnv: Readonly<Record<string, string>>) {}

  spawn(request: SpawnRequest, callbacks: SpawnCallbacks): void {
    let log: number | undefined;
    let child: ChildProcess;
    try {
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

/**
 * Spawns through a small helper process, so forks stay cheap however large the runner grows.
 * Until the helper has booted (about 0.1 s), steps are spawned directly, so no step waits for it.
 */
export class HelperSpawner implements Spawner {
  private readonly helper: ChildProcess;
  private readonly direct: DirectSpawner;
  private ready = false;
  private readonly pending = new Map<number, SpawnCallbacks>();
  private nextId = 1;
  private dead = false;

  constructor(baseEnv: Readonly<Record<string, string>>) {
    this.direct = new DirectSpawner(baseEnv);
    const script = fileURLToPath(new URL("./spawn-helper.mjs", import.meta.url));
    // A plain Node with an empty environment: no loader hooks from NODE_OPTIONS, nothing but the
    // helper in memory. The steps' environment arrives in the first message.
    this.helper = spawn(process.execPath, [script], { stdio: ["pipe", "pipe", "inherit"], env: {} });
    this.helper.once("exit", () => this.fail("the spawn helper exited"));
    this.helper.once("error", (error) => this.fail(`the spawn helper failed: ${error.message}`));
    this.helper.stdin?.on("error", () => this.fail("the spawn helper closed its input"));
    createInterface({ input: this.helper.stdout as NodeJS.ReadableStream }).on("line", (line) => this.receive(line));
    this.write({ op: "env", env: baseEnv });
    // The helper must not keep the runner alive on its own.
    this.helper.unref();
    (this.helper.stdout as unknown as { unref?: () => void }).unref?.();
    (this.helper.stdin as unknown as { unref?: () => void }).unref?.();
  }

  spawn(request: SpawnRequest, callbacks: SpawnCallbacks): void {
    if (!this.ready || this.dead) {
      this.direct.spawn(request, callbacks);
      return;
    }
    const id = this.nextId++;
    this.pending.set(id, callbacks);
    this.ref();
    this.write({ op: "spawn", id, script: request.script, cwd: request.cwd, env: request.env, log: request.logFile });
  }

  close(): void {
    this.dead = true;
    this.helper.stdin?.end();
  }

  private write(message: unknown): void {
    this.helper.stdin?.write(`${JSON.stringify(message)}\n`);
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

  private fail(reason: string): void {
    if (this.dead && !this.pending.size) return;
    this.dead = true;
    for (const callbacks of this.pending.values()) callbacks.failed(reason);
    this.pending.clear();
  }

  /** While steps run, the helper's output keeps the event loop alive (their exits come through it). */
  private ref(): void {
    (this.helper.stdout as unknown as { ref?: () => void }).ref?.();
  }

  private unrefIfIdle(): void {
    if (!this.pending.size) (this.helper.stdout as unknown as { unref?: () => void }).unref?.();
  }
}
