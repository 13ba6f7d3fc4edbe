/**
 * Every check on a pipeline job. Each check is a function in its own file; this walks the job's
 * pipeline body and every nested pipeline component, runs them, and returns the diagnostics
 * sorted. Node paths start with the pipeline's name: `outer/inner_node/train/inputs/data`.
 * A component used by several nodes is checked once, at its first use. Linear in the model.
 */
import type { ComponentModel, PipelineComponentModel, PipelineJobModel } from "@pipewright/dsl";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { sortDiagnostics } from "../diagnostics/sort.js";
import {
  bodyScope,
  CheckContext,
  isCommandComponent,
  isPipelineComponent,
  isReference,
  type CheckOptions,
} from "./check-context.js";
import { checkCommandEnvironment } from "./command-environment.js";
import { checkCommandPlaceholders } from "./command-placeholders.js";
import { checkComponentName } from "./component-name.js";
import { checkJobIo } from "./job-io.js";
import { checkNodeCompute } from "./node-compute.js";
import { checkNodeCycles } from "./node-cycles.js";
import { checkNodeInputs } from "./node-inputs.js";
import { checkNodeNames } from "./node-names.js";
import { checkNodeOutputs } from "./node-outputs.js";
import { checkPipelineOutputs } from "./pipeline-outputs.js";
import { checkPortDeclarations } from "./port-declarations.js";
import { checkStepCount } from "./step-count.js";

export type { CheckOptions } from "./check-context.js";

/** Every check on a pipeline job, sorted by file, line, column, code and path. Never throws. */
export function checkPipelineJob(job: PipelineJobModel, options: CheckOptions = {}): Diagnostic[] {
  const ctx = new CheckContext(options);
  const root = job.pipeline.name || "pipeline";
  ctx.firstVisit(job.pipeline);
  checkPortDeclarations(job.pipeline, root, ctx);
  checkJobIo(job, root, ctx);
  checkBody(job.pipeline, root, ctx);
  checkNodeCompute(job, root, ctx);
  checkStepCount(job, root, ctx);
  return sortDiagnostics(ctx.diagnostics);
}

function checkBody(pipeline: PipelineComponentModel, path: string, ctx: CheckContext): void {
  const scope = bodyScope(pipeline, path);
  checkNodeNames(scope, ctx);
  for (const node of pipeline.jobs) {
    const nodePath = `${path}/${node.name}`;
    checkNodeInputs(node, nodePath, scope, ctx);
    checkNodeOutputs(node, nodePath, ctx);
    const component = node.component;
    if (isReference(component)) continue;
    if (isCommandComponent(component) && component.inlineJob === true) {
      checkCommandEnvironment(component, node, nodePath, ctx);
    }
    if (ctx.firstVisit(component)) checkComponent(component, nodePath, ctx);
  }
  checkPipelineOutputs(scope, ctx);
  checkNodeCycles(scope, ctx);
}

/** The component's own definition: name, ports, command, environment, and a nested body. */
function checkComponent(component: ComponentModel, path: string, ctx: CheckContext): void {
  checkComponentName(component, path, ctx);
  checkPortDeclarations(component, path, ctx);
  if (isCommandComponent(component)) {
    checkCommandPlaceholders(component, path, ctx);
    if (component.inlineJob !== true) checkCommandEnvironment(component, undefined, path, ctx);
  } else if (isPipelineComponent(component)) {
    checkBody(component, path, ctx);
  }
}
