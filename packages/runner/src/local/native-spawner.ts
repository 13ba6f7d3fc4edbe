/**
 * Starting steps from inside the runner with the native spawner (native/pw-spawn.c): a thread of
 * this process per running step makes its folders and log, starts `/bin/sh -c <script>` and waits
 * for it, then starts the next waiting one, while the event loop goes on with the bookkeeping of
 * other steps — no helper process, no message each way. Its reports come in batches, one call of
 * `dispatch` per wake-up. Built by `npm run setup`; where it is missing (no C compiler, not Linux)
 * `loadNativeSpawner()` says why and the runner uses a spawn helper instead.
 */
import { availableParallelism, constants } from "node:os";
import { createRequire } from "node:module";
import type { SpawnCallbacks, SpawnRequest, Spawner, SpawnTicket } from "./spawner.js";

interface NativeModule {
  pool(limit: number, baseEnv: string[]): NativePool;
  closePool(pool: NativePool): void;
  /** Where every report goes: one call per wake-up of the event loop (see `dispatch`). */
  onReports(dispatch: (reports: Int32Array, messages: string[]) => void): void;
  spawn(pool: NativePool, script: string, cwd: string, env: readonly string[], logFile: string, dirs: readonly string[]): number;
  discard(pool: NativePool, id: number): boolean;
  signal(pool: NativePool, id: number, signal: number): boolean;
}

function hasNul(text: string): boolean {
  return text.includes("\0");
}

/** A step handed to the native spawner (a class: its methods are not made anew per step). */
class NativeTicket implements SpawnTicket {
  constructor(
    private readonly spawner: NativeSpawner,
    private readonly id: number,
  ) {}

  withdraw(): boolean {
    return this.spawner.withdraw(this.id);
  }

  signal(signal: NodeJS.Signals): boolean {
    return this.spawner.signal(this.id, signal);
  }
}

/** An opaque handle (a C pointer) to one spawner's queue. */
type NativePool = { readonly __nativePool: unique symbol };

const signalNames = new Map<number, string>(Object.entries(constants.signals).map(([name, number]) => [number, name]));

let loaded: { module: NativeModule } | { reason: string } | undefined;

/** The callbacks of every step handed to the native module and not yet reported done, by id. */
const waiting = new Map<number, SpawnCallbacks>();

/**
 * A batch of reports from the step threads: [id, kind, a, b] each; kind 0 started (a: pid),
 * 1 could not start (a: index of its message), 2 ended (a: exit code, or -1 and b: the signal).
 * Every callback runs even if one throws; the first error is thrown after the batch.
 */
function dispatch(reports: Int32Array, messages: string[]): void {
  let thrown: { error: unknown } | undefined;
  for (let i = 0; i < reports.length; i += 4) {
    const id = reports[i] as number;
    const kind = reports[i + 1] as number;
    const a = reports[i + 2] as number;
    const b = reports[i + 3] as number;
    const callbacks = waiting.get(id);
    if (!callbacks) continue;
    if (kind !== 0) waiting.delete(id);
    try {
      if (kind === 0) callbacks.started(a);
      else if (kind === 1) callbacks.failed(messages[a] ?? "could not start");
      else callbacks.exited(a >= 0 ? a : null, a >= 0 ? null : (signalNames.get(b) ?? `SIG${b}`));
    } catch (error) {
      thrown ??= { error };
    }
  }
  if (thrown) throw thrown.error;
}

/** The native module, or why it cannot be used here (loaded once per process). */
export function loadNativeSpawner(): { module: NativeModule } | { reason: string } {
  if (loaded) return loaded;
  try {
    const native = createRequire(import.meta.url)("../../native/build/pw-spawn.node") as NativeModule;
    native.onReports(dispatch);
    loaded = { module: native };
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
    if (hasNul(request.script) || hasNul(request.cwd) || hasNul(request.logFile) || env.some(hasNul) || request.dirs?.some(hasNul)) {
      callbacks.failed("the command, its folder or its environment contains a NUL byte, which no process can receive");
      return undefined;
    }
    const id = this.module.spawn(this.pool, request.script, request.cwd, env, request.logFile, request.dirs ?? []);
    waiting.set(id, callbacks);
    return new NativeTicket(this, id);
  }

  /** True when the step had not started and now never will. */
  withdraw(id: number): boolean {
    if (this.closed || !this.module.discard(this.pool, id)) return false;
    waiting.delete(id);
    return true;
  }

  /** Signals a running step's group (never once its leader was reaped). */
  signal(id: number, signal: NodeJS.Signals): boolean {
    return this.module.signal(this.pool, id, constants.signals[signal]);
  }

  /** Hands over no more steps; those already handed over still run. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.module.closePool(this.pool);
  }
}
