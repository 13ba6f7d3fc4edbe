/**
 * Reporters turn the run event stream into output. Several can watch one run at once
 * (Nx's `CompositeLifeCycle`): e.g. the live view on stdout and JSON lines into a file.
 */
import type { RunEvent } from "../events/run-events.js";

/** Where a reporter writes; `process.stdout` fits. */
export interface ReporterOutput {
  write(text: string): unknown;
}

export interface Reporter {
  onEvent(event: RunEvent): void;
  /** Called once after the last event (flushes a live view). */
  end?(): void;
}

export class CompositeReporter implements Reporter {
  private readonly reporters: readonly Reporter[];

  constructor(...reporters: Reporter[]) {
    this.reporters = reporters;
  }

  onEvent(event: RunEvent): void {
    for (const reporter of this.reporters) reporter.onEvent(event);
  }

  end(): void {
    for (const reporter of this.reporters) reporter.end?.();
  }
}

/** Feeds every event of a stream to a reporter; returns the final event, if the stream had one. */
export async function report(events: AsyncIterable<RunEvent>, reporter: Reporter): Promise<RunEvent | undefined> {
  let last: RunEvent | undefined;
  try {
    for await (const event of events) {
      reporter.onEvent(event);
      last = event;
    }
  } finally {
    reporter.end?.();
  }
  return last;
}

export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${String(seconds % 60).padStart(2, "0")}s`;
}
