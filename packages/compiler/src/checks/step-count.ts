/**
 * PW2013: Azure ML runs at most 30,000 steps in one pipeline job. Every node counts, nested
 * pipeline nodes and the nodes inside them included, once per use.
 */
import type { PipelineComponentModel, PipelineJobModel } from "@pipewright/dsl";
import { isPipelineComponent, type CheckContext } from "./check-context.js";

export const MAX_STEPS = 30_000;

export function checkStepCount(job: PipelineJobModel, rootPath: string, ctx: CheckContext): void {
  const steps = countSteps(job.pipeline, new Map());
  if (steps <= MAX_STEPS) return;
  ctx.report(
    "PW2013",
    `the job has ${steps} steps counting nested pipelines; Azure ML allows at most ${MAX_STEPS}. Split it into several jobs`,
    rootPath,
    job.location ?? job.pipeline.location,
  );
}

/** Memoised per pipeline component; a component that contains itself counts its inner use as 0. */
function countSteps(pipeline: PipelineComponentModel, memo: Map<object, number>): number {
  const known = memo.get(pipeline);
  if (known !== undefined) return known;
  memo.set(pipeline, 0);
  let steps = 0;
  for (const node of pipeline.jobs) {
    steps += 1 + (isPipelineComponent(node.component) ? countSteps(node.component, memo) : 0);
  }
  memo.set(pipeline, steps);
  return steps;
}
