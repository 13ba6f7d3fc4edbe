/**
 * What a watcher has already reported for a job: which steps it saw start and end, and how far
 * into each step's log it has printed. Saved after every event, so a watcher that restarts (or
 * a new `pipewright watch`) resumes where the last one stopped, without repeating a log line.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface WatchStepState {
  readonly runId: string;
  phase: "waiting" | "started" | "done";
  /** How it ended: completed, failed, canceled or skipped. */
  outcome?: string;
  /** The log file being followed (a name such as `user_logs/std_log.txt`, never a URL). */
  logFile?: string;
  /** Bytes of that log already reported. */
  logOffset: number;
}

export interface WatchState {
  readonly job: string;
  started: boolean;
  finished: boolean;
  steps: Record<string, WatchStepState>;
}

export interface WatchStateStore {
  load(job: string): WatchState | undefined;
  save(state: WatchState): void;
}

export function freshWatchState(job: string): WatchState {
  return { job, started: false, finished: false, steps: {} };
}

export class MemoryWatchStore implements WatchStateStore {
  readonly #states = new Map<string, string>();

  load(job: string): WatchState | undefined {
    const text = this.#states.get(job);
    return text === undefined ? undefined : (JSON.parse(text) as WatchState);
  }

  save(state: WatchState): void {
    this.#states.set(state.job, JSON.stringify(state));
  }
}

/** One JSON file per job in `folder`, replaced atomically. */
export class FileWatchStore implements WatchStateStore {
  constructor(readonly folder: string) {}

  #file(job: string): string {
    return join(this.folder, `${job.replace(/[^a-zA-Z0-9_.-]/g, "_")}.json`);
  }

  load(job: string): WatchState | undefined {
    try {
      const parsed = JSON.parse(readFileSync(this.#file(job), "utf8")) as WatchState;
      return parsed.job === job ? parsed : undefined;
    } catch {
      return undefined;
    }
  }

  save(state: WatchState): void {
    mkdirSync(this.folder, { recursive: true });
    const file = this.#file(state.job);
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(state));
    renameSync(temporary, file);
  }
}
