/**
 * Metrics from any language: a step appends JSON lines to the file named by the environment
 * variable PIPEWRIGHT_METRICS_FILE, either `{"name": "loss", "value": 0.3, "step": 2}` or a flat
 * object of names to values `{"loss": 0.3, "accuracy": 0.9}`. Other lines are ignored.
 */
import { existsSync, readFileSync } from "node:fs";
import type { MetricRecord } from "../workspace/records.js";

export const METRICS_ENV = "PIPEWRIGHT_METRICS_FILE";

export function readMetrics(file: string, job: string, step: string, now: number): MetricRecord[] {
  if (!existsSync(file)) return [];
  const metrics: MetricRecord[] = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line.trim()) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      continue;
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) continue;
    const record = parsed as Record<string, unknown>;
    const value = record["value"];
    if (typeof record["name"] === "string" && (typeof value === "number" || typeof value === "string")) {
      const metricStep = record["step"];
      metrics.push({ job, step, name: record["name"], value, time: now, ...(typeof metricStep === "number" ? { metricStep } : {}) });
      continue;
    }
    for (const [name, field] of Object.entries(record)) {
      if (typeof field === "number" || typeof field === "string") metrics.push({ job, step, name, value: field, time: now });
    }
  }
  return metrics;
}
