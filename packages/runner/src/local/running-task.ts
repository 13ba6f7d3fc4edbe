/**
 * Starting one step attempt: `/bin/sh -c <script>` as the leader of its own process group, so
 * stopping it stops everything it started (`kill(-pid)`), with its output appended to a log file.
 * (Nx's `RunningTask`: a handle that can be awaited and killed.)
 */
import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";

export interface TaskResult {
  /** The exit code, or undefined when a signal ended the process. */
  readonly exitCode: number | undefined;
  readonly signal: string | undefined;
  /** Why the runner stopped it, when it did. */
  readonly stoppedFor: "timeout" | "cancel" | undefined;
  /** Spawning failed (e.g. the working folder vanished). */
  readonly error?: string;
}

export interface StartTaskOptions {
  readonly script: string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly logFile: string;
  /** Stop the attempt after this many seconds (`limits.timeout`). */
  readonly timeoutSeconds?: number;
  /** Time between SIGTERM and SIGKILL. @default 5000 */
  readonly killGraceMs?: number;
}

export class RunningTask {
  readonly pid: number | undefined;
  readonly done: Promise<TaskResult>;
  private stoppedFor: "timeout" | "cancel" | undefined;
  private exited = false;
  private timers: NodeJS.Timeout[] = [];
  private readonly graceMs: number;

  constructor(options: StartTaskOptions) {
    this.graceMs = options.killGraceMs ?? 5000;
    const log = openSync(options.logFile, "a");
    let child;
    try {
      child = spawn("/bin/sh", ["-c", options.script], {
        cwd: options.cwd,
        env: options.env,
        detached: true,
        stdio: ["ignore", log, log],
      });
    } finally {
      closeSync(log);
    }
    this.pid = child.pid;
    this.done = new Promise<TaskResult>((resolve) => {
      let spawnError: string | undefined;
      child.once("error", (error) => {
        spawnError = error.message;
        if (child.pid === undefined) finish(undefined, null);
      });
      const finish = (code: number | null | undefined, signal: NodeJS.Signals | null) => {
        if (this.exited) return;
        this.exited = true;
        for (const timer of this.timers) clearTimeout(timer);
        // The leader exited; anything it left behind in its group goes too.
        if (this.pid !== undefined) signalGroup(this.pid, "SIGKILL");
        resolve({
          exitCode: code ?? undefined,
          signal: signal ?? undefined,
          stoppedFor: this.stoppedFor,
          ...(spawnError !== undefined ? { error: spawnError } : {}),
        });
      };
      child.once("exit", (code, signal) => finish(code, signal));
    });
    if (options.timeoutSeconds !== undefined && options.timeoutSeconds > 0) {
      this.timers.push(setTimeout(() => this.stop("timeout"), options.timeoutSeconds * 1000));
    }
  }

  /** SIGTERM to the whole group, then SIGKILL after the grace period. */
  stop(reason: "timeout" | "cancel"): void {
    if (this.exited || this.pid === undefined) return;
    this.stoppedFor ??= reason;
    signalGroup(this.pid, "SIGTERM");
    this.timers.push(setTimeout(() => signalGroup(this.pid as number, "SIGKILL"), this.graceMs));
  }

  /** Immediate SIGKILL of the group (the runner itself is being torn down). */
  kill(): void {
    if (!this.exited && this.pid !== undefined) signalGroup(this.pid, "SIGKILL");
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
