/** The end-of-run summary shared by the human reporters: outcome, counts, outputs, ignored settings. */
import type { RunEvent } from "../events/run-events.js";
import { formatDuration } from "./reporter.js";

type Finished = Extract<RunEvent, { type: "job_finished" }>;

export function renderSummary(event: Finished): string[] {
  const lines: string[] = [];
  const counts = event.counts;
  const parts: string[] = [];
  const reused = counts["reused"] ?? 0;
  const ran = (counts["completed"] ?? 0) - reused;
  if (ran) parts.push(`${ran} ran`);
  if (reused) parts.push(`${reused} reused`);
  for (const status of ["failed", "canceled", "skipped"]) {
    const n = counts[status] ?? 0;
    if (n) parts.push(`${n} ${status}`);
  }
  lines.push(`Job ${event.job} ${event.status} in ${formatDuration(event.durationMs)}${parts.length ? ` (${parts.join(", ")})` : ""}.`);
  if (event.error) lines.push(...event.error.split("\n").map((line) => `  ${line}`));
  const outputs = Object.entries(event.outputs);
  if (outputs.length) {
    lines.push("Outputs:");
    const width = Math.max(...outputs.map(([name]) => name.length));
    for (const [name, path] of outputs) lines.push(`  ${name.padEnd(width)}  ${path}`);
  }
  if (event.ignored.length) {
    lines.push("Ignored locally (only meaningful on Azure ML):");
    // The same setting on many steps (an environment image, say) is one line naming the steps.
    const groups = new Map<string, string[]>();
    for (const item of event.ignored) {
      const key = `${item.setting} = ${item.value}`;
      groups.set(key, [...(groups.get(key) ?? []), item.step]);
    }
    for (const [key, steps] of groups) lines.push(`  ${steps.length > 3 ? `${steps.length} steps` : steps.join(", ")}: ${key}`);
  }
  return lines;
}

export function indent(text: string, prefix = "    | "): string {
  return text
    .split("\n")
    .map((line) => `${prefix}${line}`)
    .join("\n");
}
