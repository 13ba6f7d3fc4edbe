/** One JSON object per event per line, for machines. */
import type { RunEvent } from "../events/run-events.js";
import type { Reporter, ReporterOutput } from "./reporter.js";

export class JsonLinesReporter implements Reporter {
  constructor(private readonly out: ReporterOutput) {}

  onEvent(event: RunEvent): void {
    this.out.write(`${JSON.stringify(event)}\n`);
  }
}
