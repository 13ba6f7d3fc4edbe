/**
 * `runs show <job> --why <node>`: why a step was or was not reused, and which part of its
 * fingerprint changed since the nearest earlier run of the same step.
 */
import type { WorkspaceStore } from "../workspace/store.js";
import { RunnerError } from "./errors.js";
import { fingerprintChanges, type FingerprintParts } from "./fingerprint.js";

export interface ReuseExplanation {
  readonly job: string;
  readonly step: string;
  readonly reused: boolean;
  readonly reusedFrom?: { readonly job: string; readonly step: string };
  /** Why it ran instead of being reused (not deterministic, forced, no match...). */
  readonly reason?: string;
  /** The nearest earlier run it was compared with. */
  readonly comparedWith?: { readonly job: string; readonly step: string; readonly status: string };
  /** What differs from that run; empty when nothing does. */
  readonly changes: readonly string[];
}

export function explainReuse(store: WorkspaceStore, job: string, stepId: string): ReuseExplanation {
  const record = store.getJob(job);
  if (!record) throw new RunnerError("PW4010", `no job named '${job}'; \`pipewright runs list\` shows the jobs`);
  const step = store.getStep(job, stepId);
  if (!step) {
    const ids = store.getSteps(job).map((s) => s.id);
    throw new RunnerError("PW4010", `job '${job}' has no step '${stepId}' (steps: ${ids.join(", ")})`);
  }
  const partsJson = store.fingerprintPartsOf(job, stepId);
  if (!partsJson) {
    return { job, step: stepId, reused: false, reason: step.reason ?? `the step never started (status ${step.status})`, changes: [] };
  }
  const parts = JSON.parse(partsJson) as FingerprintParts;
  if (step.reusedFrom) {
    return { job, step: stepId, reused: true, reusedFrom: step.reusedFrom, changes: [] };
  }
  const earlier = store.earlierRuns(stepId, step.component, job, record.createdAt)[0];
  if (!earlier) {
    return { job, step: stepId, reused: false, reason: step.reason ?? "no earlier run of this step", changes: [] };
  }
  const changes = fingerprintChanges(JSON.parse(earlier.parts) as FingerprintParts, parts);
  return {
    job,
    step: stepId,
    reused: false,
    ...(step.reason !== undefined ? { reason: step.reason } : {}),
    comparedWith: { job: earlier.job, step: earlier.id, status: earlier.status },
    changes,
  };
}

/** The explanation as lines of text. */
export function renderReuseExplanation(explanation: ReuseExplanation): string {
  const lines = [`${explanation.job} / ${explanation.step}:`];
  if (explanation.reused && explanation.reusedFrom) {
    lines.push(`  reused the outputs of ${explanation.reusedFrom.job} / ${explanation.reusedFrom.step}: component, code, environment, inputs and output settings are all unchanged`);
    return lines.join("\n");
  }
  lines.push(`  ran (not reused): ${explanation.reason ?? "no reusable earlier run"}`);
  if (explanation.comparedWith) {
    const c = explanation.comparedWith;
    lines.push(`  compared with the nearest earlier run ${c.job} / ${c.step} (${c.status}):`);
    if (explanation.changes.length) for (const change of explanation.changes) lines.push(`    - ${change}`);
    else lines.push(`    - nothing in the fingerprint changed${c.status === "completed" ? "" : `, but that run did not complete`}`);
  }
  return lines.join("\n");
}
