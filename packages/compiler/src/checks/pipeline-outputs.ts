/**
 * A pipeline body's declared outputs are each bound to exactly one node output of a fitting kind:
 * PW2008 bound twice, PW2009 never bound, PW2010 bound to something that is not a node output,
 * PW2017 a node output bound to an undeclared pipeline output, PW2018 one node output bound to
 * two pipeline outputs, PW2003 kinds that do not match. The last three kinds of mistake also
 * arrive from the DSL as `problems`, found while the body ran.
 */
import { isKindAssignable, type NodeModel, type NodeOutputModel } from "@pipewright/dsl";
import { isReference, own, type BodyScope, type CheckContext } from "./check-context.js";
import { isKnownKind } from "./port-declarations.js";

const PARENT_OUTPUT_PATH = /^\$\{\{\s*parent\.outputs\.([A-Za-z_][\w.]*)\s*\}\}$/;

const FILE_OR_FOLDER: readonly string[] = ["uri_file", "uri_folder"];

const PROBLEM_CODES = {
  pipeline_output_not_node_output: "PW2010",
  pipeline_output_unknown: "PW2017",
  node_output_bound_twice: "PW2018",
} as const;

export function checkPipelineOutputs(scope: BodyScope, ctx: CheckContext): void {
  const pipeline = scope.component;
  const bound = new Set<string>();
  for (const problem of pipeline.problems ?? []) {
    bound.add(problem.output);
    ctx.report(
      PROBLEM_CODES[problem.kind] ?? "PW2010",
      `pipeline output '${problem.output}' of '${pipeline.name}': ${problem.message}`,
      `${scope.path}/outputs/${problem.output}`,
      problem.location ?? pipeline.location,
    );
  }
  const firstBinding = new Map<string, NodeModel>();
  for (const node of pipeline.jobs) {
    for (const name in node.outputs) {
      const settings = node.outputs[name] as NodeOutputModel;
      if (settings.bindTo !== undefined) checkBinding(node, name, settings, firstBinding, scope, ctx);
      // `path: ${{parent.outputs.x}}` writes the output where pipeline output x is (corpus:
      // automl many_models_evaluation_pipeline); it counts as bound, without a kind to compare.
      const viaPath = settings.path === undefined ? undefined : PARENT_OUTPUT_PATH.exec(settings.path)?.[1];
      if (viaPath !== undefined) bound.add(viaPath);
    }
  }
  for (const [name, port] of Object.entries(pipeline.outputs)) {
    if (firstBinding.has(name) || bound.has(name)) continue;
    ctx.report(
      "PW2009",
      `pipeline output '${name}' of '${pipeline.name}' is never bound; return it from the pipeline body as a node output ({ ${name}: node.outputs.x })`,
      `${scope.path}/outputs/${name}`,
      port.location ?? pipeline.location,
    );
  }
}

function checkBinding(
  node: NodeModel,
  output: string,
  settings: NodeOutputModel,
  firstBinding: Map<string, NodeModel>,
  scope: BodyScope,
  ctx: CheckContext,
): void {
  const pipeline = scope.component;
  const target = settings.bindTo as string;
  const at = settings.location ?? node.location;
  const port = own(pipeline.outputs, target);
  if (port === undefined) {
    ctx.report(
      "PW2017",
      `output '${output}' of node '${node.name}' is bound to pipeline output '${target}', which '${pipeline.name}' does not declare`,
      `${scope.path}/${node.name}/outputs/${output}`,
      at,
    );
    return;
  }
  const first = firstBinding.get(target);
  if (first !== undefined) {
    ctx.report(
      "PW2008",
      `pipeline output '${target}' of '${pipeline.name}' is already bound to an output of node '${first.name}'; bind it once`,
      `${scope.path}/outputs/${target}`,
      at,
    );
    return;
  }
  firstBinding.set(target, node);
  const declared = node.component.outputs;
  // Nothing is known of a reference's outputs unless its `componentRef` declares them.
  if (isReference(node.component) && declared === undefined) return;
  const produced = (declared === undefined ? undefined : own(declared, output)?.type) ?? settings.type;
  if (produced === undefined || !isKnownKind(produced) || !isKnownKind(port.type)) return;
  if (isKindAssignable(produced, port.type) || produced === "path" || port.type === "path") return;
  // A job may declare a uri_file output for a file written into a uri_folder output's place
  // (corpus: basics/hello-pipeline-customize-output-file), and the other way round.
  if (FILE_OR_FOLDER.includes(produced) && FILE_OR_FOLDER.includes(port.type)) return;
  ctx.report(
    "PW2003",
    `pipeline output '${target}' of '${pipeline.name}' is ${port.type}, but is bound to the ${produced} output '${output}' of node '${node.name}'`,
    `${scope.path}/outputs/${target}`,
    at,
  );
}
