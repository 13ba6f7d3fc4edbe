/**
 * Azure ML-style reuse: a deterministic step whose fingerprint matches an earlier successful step
 * takes that step's outputs instead of running, as long as those outputs still exist.
 */
import { existsSync } from "node:fs";
import type { OutputRecord } from "../workspace/records.js";
import type { WorkspaceStore } from "../workspace/store.js";

export interface ReuseMatch {
  /** The step that really ran (following earlier reuses back to the origin). */
  readonly from: { readonly job: string; readonly step: string };
  readonly outputs: readonly OutputRecord[];
}

export type ReuseDecision = { readonly reuse: ReuseMatch } | { readonly reason: string };

/**
 * `known`: the fingerprints of every step the workspace had completed when the run started (see
 * `WorkspaceStore.completedFingerprints`); a fingerprint not in it needs no query.
 */
export function findReusable(store: WorkspaceStore, fingerprint: string, outputNames: readonly string[], known?: ReadonlySet<string>): ReuseDecision {
  const candidates = known && !known.has(fingerprint) ? [] : store.completedWithFingerprint(fingerprint);
  if (!candidates.length) return { reason: "no earlier successful run has the same fingerprint" };
  for (const candidate of candidates) {
    const outputs = store.committedOutputs(candidate.job, candidate.id);
    const complete = outputNames.every((name) => outputs.some((o) => o.name === name && existsSync(o.path)));
    if (complete) return { reuse: { from: candidate.reusedFrom ?? { job: candidate.job, step: candidate.id }, outputs } };
  }
  const first = candidates[0];
  return { reason: `the outputs of the earlier identical run ${first?.job}/${first?.id} no longer exist` };
}
