/**
 * One step attempt in flight: `/bin/sh -c <script>` as the leader of its own process group, so
 * stopping it stops everything it started (`kill(-pid)`), with its output appended to a log file.
 * (Nx's `RunningTask`: a handle that can be awaited and killed.)
 */
import { readFileSync } from "node:fs";
import type { SpawnCallbacks, Spawner, SpawnTicket } from "./spawner.js";

export interface TaskResult {
  /** The exit code, or undefined when a signal ended the process. */
  readonly exitCode: number | undefined;
  readonly signal: string | undefined;
  /** Why the runner stopped it, when it did. */
  readonly stoppedFor: "timeout" | "cancel" | undefined;
  /** Starting failed (e.g. the working folder vanished). */
  readonly error?: string;
}

export interface StartTaskOptions {
  readonly script: string;
  readonly cwd: string;
  /** Added to the spawner's base environment. */
  readonly env: Readonly<Record<string, string>>;
  readonly logFile: string;
  /** Folders the spawner creates (with parents) before the step starts. */
  readonly dirs?: readonly string[];
  /** Stop the attempt after this many seconds (`limits.timeout`). */
  readonly timeoutSeconds?: number;
  /** Time between SIGTERM and SIGKILL. @default 5000 */
  readonly killGraceMs?: number;
}

/**
 * The task is its own spawn callbacks (methods, not closures made per task: every closure with a
 * name costs a property definition under tsx, which loads the runner, thousands of times a run).
 */
export class RunningTask implements SpawnCallbacks {
  pid: number | undefined;
  /** Settles with the pid once the process exists (undefined if it never started). */
  readonly whenStarted: Promise<number | undefined>;
  readonly whenDone: Promise<TaskResult>;
  private stoppedFor: "timeout" | "cancel" | undefined;
  private ended = false;
  private timers: NodeJS.Timeout[] | undefined;
  private readonly graceMs: number;
  private readonly limitMs: number | undefined;
  private readonly killsGroupOnExit: boolean;
  private resolveStarted!: (pid: number | undefined) => void;
  private resolveDone!: (result: TaskResult) => void;
  private readonly ticket: SpawnTicket | undefined;

  constructor(options: StartTaskOptions, spawner: Spawner) {
    this.graceMs = options.killGraceMs ?? 5000;
    this.killsGroupOnExit = spawner.killsGroupOnExit === true;
    this.whenStarted = new Promise((resolve) => {
      this.resolveStarted = resolve;
    });
    this.whenDone = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
    // The time limit runs from the start, not from when a queueing spawner was handed the step.
    this.limitMs = options.timeoutSeconds !== undefined && options.timeoutSeconds > 0 ? options.timeoutSeconds * 1000 : undefined;
    this.ticket = spawner.spawn(
      { script: options.script, cwd: options.cwd, env: options.env, logFile: options.logFile, ...(options.dirs?.length ? { dirs: options.dirs } : {}) },
      this,
    );
  }

  /** SpawnCallbacks: the process exists. */
  started(pid: number): void {
    this.pid = pid;
    this.resolveStarted(pid);
    if (this.limitMs !== undefined && !this.ended) this.addTimer(setTimeout(() => this.stop("timeout"), this.limitMs));
    if (this.stoppedFor !== undefined) this.signalStop();
  }

  /** SpawnCallbacks: the process ended. */
  exited(code: number | null, signal: string | null): void {
    this.finish({ exitCode: code ?? undefined, signal: signal ?? undefined, stoppedFor: this.stoppedFor });
  }

  /** SpawnCallbacks: the process could not start. */
  failed(message: string): void {
    this.finish({ exitCode: undefined, signal: undefined, stoppedFor: this.stoppedFor, error: message });
  }

  /** SIGTERM to the whole group, then SIGKILL after the grace period; a step still waiting for its turn never starts. */
  stop(reason: "timeout" | "cancel"): void {
    if (this.ended || this.stoppedFor !== undefined) return;
    this.stoppedFor = reason;
    if (this.pid !== undefined) this.signalStop();
    else if (this.ticket?.withdraw()) this.finish({ exitCode: undefined, signal: undefined, stoppedFor: reason });
  }

  private finish(result: TaskResult): void {
    if (this.ended) return;
    this.ended = true;
    for (const timer of this.timers ?? []) clearTimeout(timer);
    // The leader exited; anything it left behind in its group goes too (a spawner that
    // reaps groups has done so already, while the leader's id could not be reused).
    if (this.pid !== undefined && !this.killsGroupOnExit) signalGroup(this.pid, "SIGKILL");
    this.resolveStarted(this.pid);
    this.resolveDone(result);
  }

  private addTimer(timer: NodeJS.Timeout): void {
    (this.timers ??= []).push(timer);
  }

  private signalStop(): void {
    this.send("SIGTERM");
    this.addTimer(setTimeout(() => this.send("SIGKILL"), this.graceMs));
  }

  private send(signal: NodeJS.Signals): boolean {
    return this.ticket?.signal ? this.ticket.signal(signal) : signalGroup(this.pid as number, signal);
  }
}

export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Whether a process with this id still runs (a zombie nobody reaped yet does not count). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    // Linux: the state after the parenthesised command name; Z is a zombie.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true;
  }
}
