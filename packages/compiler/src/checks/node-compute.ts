/**
 * PW2012 (warning): a step with no compute to run on. A node's own compute, one inherited from
 * an enclosing pipeline node, the job's compute or `settings.defaultCompute` all count.
 */
import type { PipelineComponentModel, PipelineJobModel } from "@pipewright/dsl";
import { isPipelineComponent, type CheckContext } from "./check-context.js";

export function checkNodeCompute(job: PipelineJobModel, rootPath: string, ctx: CheckContext): void {
  if (job.compute !== undefined || job.settings.defaultCompute !== undefined) return;
  walk(job.pipeline, rootPath, ctx, new WeakSet());
}

/** Visits only bodies with no inherited compute, each pipeline component once. */
function walk(pipeline: PipelineComponentModel, path: string, ctx: CheckContext, seen: WeakSet<object>): void {
  seen.add(pipeline);
  for (const node of pipeline.jobs) {
    if (node.compute !== undefined) continue;
    const nodePath = `${path}/${node.name}`;
    if (isPipelineComponent(node.component)) {
      if (!seen.has(node.component)) walk(node.component, nodePath, ctx, seen);
      continue;
    }
    ctx.report(
      "PW2012",
      `node '${node.name}' has no compute and the job has none to inherit; set compute on the node, ` +
        `on the job (.job(inputs, { compute })) or settings.defaultCompute (e.g. "serverless" or "azureml:cpu-cluster")`,
      nodePath,
      node.location,
    );
  }
}
