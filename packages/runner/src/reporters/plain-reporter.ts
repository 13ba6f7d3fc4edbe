/** Plain timestamped lines, for CI logs and pipes. */
import type { RunEvent } from "../events/run-events.js";
import type { Reporter, ReporterOutput } from "./reporter.js";
import { formatDuration } from "./reporter.js";
import { indent, renderSummary } from "./summary.js";

export class PlainReporter implements Reporter {
  constructor(private readonly out: ReporterOutput) {}

  onEvent(event: RunEvent): void {
    const stamp = new Date(event.time).toISOString().replace(/\.\d+Z$/, "Z");
    const line = (text: string) => this.out.write(`${stamp} ${text}\n`);
    switch (event.type) {
      case "job_started":
        line(`job ${event.job} ${event.resumed ? "resumed" : "started"}: pipeline ${event.pipeline}, ${event.steps.length} step${event.steps.length === 1 ? "" : "s"} (${event.folder})`);
        break;
      case "step_started":
        line(`${event.step} started${event.attempt > 1 ? ` (attempt ${event.attempt})` : ""}`);
        break;
      case "step_reused":
        line(`${event.step} reused (outputs of ${event.from.job}/${event.from.step})`);
        break;
      case "step_completed":
        line(`${event.step} completed in ${formatDuration(event.durationMs)}`);
        break;
      case "step_retrying":
        line(`${event.step} failed (${event.reason}); retrying in ${formatDuration(event.delayMs)} as attempt ${event.attempt}`);
        break;
      case "step_failed":
        line(`${event.step} FAILED after ${formatDuration(event.durationMs)}: ${event.reason}; log: ${event.logPath}`);
        if (event.logTail) this.out.write(`${indent(event.logTail)}\n`);
        break;
      case "step_canceled":
        line(`${event.step} canceled`);
        break;
      case "step_skipped":
        line(`${event.step} skipped: ${event.reason}`);
        break;
      case "job_finished":
        for (const text of renderSummary(event)) line(text);
        break;
    }
  }
}
