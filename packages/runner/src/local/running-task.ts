/**
 * One step attempt in flight: `/bin/sh -c <script>` as the leader of its own process group, so
 * stopping it stops everything it started (`kill(-pid)`), with its output appended to a log file.
 * (Nx's `RunningTask`: a handle that can be awaited and killed.)
 */
import { readFileSync } from "node:fs";
import type { Spawner, SpawnTicket } from "./spawner.js";

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

export class RunningTask {
  pid: number | undefined;
  /** Settles with the pid once the process exists (undefined if it never started). */
  readonly started: Promise<number | undefined>;
  readonly done: Promise<TaskResult>;
  private stoppedFor: "timeout" | "cancel" | undefined;
  private exited = false;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly graceMs: number;

  private finish: (result: TaskResult) => void = () => undefined;
  private readonly ticket: SpawnTicket | undefined;

  constructor(options: StartTaskOptions, spawner: Spawner) {
    this.graceMs = options.killGraceMs ?? 5000;
    let onStarted: (pid: number | undefined) => void = () => undefined;
    this.started = new Promise((resolve) => (onStarted = resolve));
    let resolveDone: (result: TaskResult) => void = () => undefined;
    this.done = new Promise<TaskResult>((resolve) => (resolveDone = resolve));
    this.finish = (result: TaskResult) => {
      if (this.exited) return;
      this.exited = true;
      for (const timer of this.timers) clearTimeout(timer);
      // The leader exited; anything it left behind in its group goes too (a spawner that
      // reaps groups has done so already, while the leader's id could not be reused).
      if (this.pid !== undefined && !spawner.killsGroupOnExit) signalGroup(this.pid, "SIGKILL");
      onStarted(this.pid);
      resolveDone(result);
    };
    // The time limit runs from the start, not from when a queueing spawner was handed the step.
    const limitMs = options.timeoutSeconds !== undefined && options.timeoutSeconds > 0 ? options.timeoutSeconds * 1000 : undefined;
    this.ticket = spawner.spawn(
      { script: options.script, cwd: options.cwd, env: options.env, logFile: options.logFile, ...(options.dirs?.length ? { dirs: options.dirs } : {}) },
      {
        started: (pid) => {
          this.pid = pid;
          onStarted(pid);
          if (limitMs !== undefined && !this.exited) this.timers.push(setTimeout(() => this.stop("timeout"), limitMs));
          if (this.stoppedFor !== undefined) this.signalStop();
        },
        exited: (code, signal) => this.finish({ exitCode: code ?? undefined, signal: signal ?? undefined, stoppedFor: this.stoppedFor }),
        failed: (message) => this.finish({ exitCode: undefined, signal: undefined, stoppedFor: this.stoppedFor, error: message }),
      },
    );
  }

  /** SIGTERM to the whole group, then SIGKILL after the grace period; a step still waiting for its turn never starts. */
  stop(reason: "timeout" | "cancel"): void {
    if (this.exited || this.stoppedFor !== undefined) return;
    this.stoppedFor = reason;
    if (this.pid !== undefined) this.signalStop();
    else if (this.ticket?.withdraw()) this.finish({ exitCode: undefined, signal: undefined, stoppedFor: reason });
  }

  private signalStop(): void {
    const pid = this.pid as number;
    const ticket = this.ticket;
    const send = (signal: NodeJS.Signals) => (ticket?.signal ? ticket.signal(signal) : signalGroup(pid, signal));
    send("SIGTERM");
    this.timers.push(setTimeout(() => send("SIGKILL"), this.graceMs));
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
