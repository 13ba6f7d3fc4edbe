/**
 * Starting steps from inside the runner with the native spawner (native/pw-spawn.c): a thread of
 * this process creates each step's folders and log, posix_spawns `/bin/sh -c <script>` and waits
 * for it through a pidfd, while the event loop goes on with the bookkeeping of other steps — no
 * helper process, no message each way. Built by `npm run setup`; where it
 * is missing (no C compiler, not Linux, a kernel without pidfds) `loadNativeSpawner()` says why and
 * the runner uses a spawn helper instead.
 */
import { availableParallelism, constants } from "node:os";
import { createRequire } from "node:module";
import type { SpawnCallbacks, SpawnRequest, Spawner, SpawnTicket } from "./spawner.js";

interface NativeModule {
  pool(limit: number, baseEnv: string[]): NativePool;
  closePool(pool: NativePool): void;
  spawn(
    pool: NativePool,
    script: string,
    cwd: string,
    env: string[],
    logFile: string,
    dirs: string[],
    onStarted: (pid: number | null, error: string | null) => void,
    onExit: (code: number | null, signal: number | null) => void,
  ): number;
  discard(pool: NativePool, id: number): boolean;
  signal(pool: NativePool, id: number, signal: number): boolean;
  supported(): boolean;
}

/** An opaque handle (a C pointer) to one spawner's queue. */
type NativePool = { readonly __nativePool: unique symbol };

const signalNames = new Map<number, string>(Object.entries(constants.signals).map(([name, number]) => [number, name]));

let loaded: { module: NativeModule } | { reason: string } | undefined;

/** The native module, or why it cannot be used here (loaded once per process). */
export function loadNativeSpawner(): { module: NativeModule } | { reason: string } {
  if (loaded) return loaded;
  try {
    const native = createRequire(import.meta.url)("../../native/build/pw-spawn.node") as NativeModule;
    loaded = native.supported() ? { module: native } : { reason: "this kernel has no pidfd_open (Linux 5.3+)" };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    loaded = { reason: code === "MODULE_NOT_FOUND" ? "it was not built (run `npm run setup`)" : (error as Error).message };
  }
  return loaded;
}

export class NativeSpawner implements Spawner {
  readonly admits: number;
  readonly killsGroupOnExit = true;
  private readonly module: NativeModule;
  private readonly pool: NativePool;
  private closed = false;

  /** At most `admits` steps run at once; more may be handed over, and wait their turn. */
  constructor(baseEnv: Readonly<Record<string, string>>, admits = availableParallelism()) {
    const native = loadNativeSpawner();
    if (!("module" in native)) throw new Error(`the native spawner cannot be used: ${native.reason}`);
    this.module = native.module;
    this.admits = Math.max(1, Math.floor(admits));
    // Handed over once: every step gets it under its own variables (no copy per step).
    const base = Object.entries(baseEnv).filter(([name, value]) => !`${name}${value}`.includes("\0")).map(([name, value]) => `${name}=${value}`);
    this.pool = this.module.pool(this.admits, base);
  }

  spawn(request: SpawnRequest, callbacks: SpawnCallbacks): SpawnTicket | undefined {
    if (this.closed) {
      callbacks.failed("the runner's spawner was closed");
      return undefined;
    }
    const env: string[] = [];
    for (const [name, value] of Object.entries(request.env)) env.push(`${name}=${value}`);
    const hasNul = (text: string) => text.includes("\0");
    if ([request.script, request.cwd, request.logFile].some(hasNul) || env.some(hasNul) || request.dirs?.some(hasNul)) {
      callbacks.failed("the command, its folder or its environment contains a NUL byte, which no process can receive");
      return undefined;
    }
    const id = this.module.spawn(
      this.pool,
      request.script,
      request.cwd,
      env,
      request.logFile,
      [...(request.dirs ?? [])],
      (pid, error) => (pid === null ? callbacks.failed(error ?? "could not start") : callbacks.started(pid)),
      (code, signal) => callbacks.exited(code, signal === null ? null : (signalNames.get(signal) ?? `SIG${signal}`)),
    );
    return {
      withdraw: () => !this.closed && this.module.discard(this.pool, id),
      signal: (signal) => this.module.signal(this.pool, id, constants.signals[signal]),
    };
  }

  /** Hands over no more steps; those already handed over still run. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.module.closePool(this.pool);
  }
}
