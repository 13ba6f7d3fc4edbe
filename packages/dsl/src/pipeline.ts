/** `pipeline(spec, body)`: a pipeline component; `.job(inputs)` binds it into a pipeline job. */
import type {
  CallArgs,
  JobArgs,
  NodeOutputs,
  PipelineInputs,
  PipelineOutputs,
} from "./call-types.js";
import { withBuilder } from "./context.js";
import { defined, deepFreeze, outputSettingsModel } from "./convert.js";
import { captureLocation, folderOf, type SourceLocation } from "./location.js";
import type {
  BindingModel,
  InputPortModel,
  JobOutputModel,
  ModelProblem,
  NodeModel,
  OutputPortModel,
  PipelineComponentModel,
  PipelineJobModel,
} from "./model.js";
import { addNode, type Node } from "./node.js";
import type { NodeOptions, OutputSettings, PipelineSettingsSpec } from "./options.js";
import { componentFields, type AnyInputSpec, type AnyOutputSpec, type ComponentSpecBase } from "./ports.js";
import { isRef, type PipelineInputRef } from "./refs.js";

export interface PipelineSpec<I extends Record<string, AnyInputSpec>, O extends Record<string, AnyOutputSpec>> extends ComponentSpecBase<I, O> {
  /** Job settings used when this pipeline is bound with `.job()`; ignored when nested. */
  readonly settings?: PipelineSettingsSpec;
  readonly experimentName?: string;
}

export interface JobOptions<OutputName extends PropertyKey = string> {
  /** The job (run) name. @default chosen at submission */
  readonly name?: string;
  readonly displayName?: string;
  readonly description?: string;
  readonly experimentName?: string;
  readonly tags?: Readonly<Record<string, string>>;
  /** Merged over the pipeline's own settings. */
  readonly settings?: PipelineSettingsSpec;
  readonly compute?: string;
  readonly outputs?: { readonly [K in OutputName]?: OutputSettings };
  /**
   * Write the pipeline as a pipeline component file that the job names with `component:`,
   * instead of listing its nodes under `jobs:`. Azure runs the same graph. @default false
   */
  readonly asComponent?: boolean;
}

/** A pipeline bound to concrete inputs: what is compiled, run locally or submitted. */
export interface PipelineJob {
  readonly kind: "pipeline_job";
  readonly model: PipelineJobModel;
}

export interface Pipeline<I extends Record<string, AnyInputSpec>, O extends Record<string, AnyOutputSpec>> {
  /** Inside another pipeline body: adds a pipeline node (a nested pipeline component). */
  (...args: CallArgs<I, NodeOptions<keyof O>>): Node<NodeOutputs<O>>;
  readonly kind: "pipeline_component";
  readonly model: PipelineComponentModel;
  readonly settings: PipelineSettingsSpec;
  /** Binds the pipeline's inputs to data and literals, making a pipeline job. */
  job(...args: JobArgs<I, JobOptions<keyof O>>): PipelineJob;
}

export function pipeline<
  const I extends Record<string, AnyInputSpec> = {},
  const O extends Record<string, AnyOutputSpec> = {},
>(
  spec: PipelineSpec<I, O>,
  body: (inputs: PipelineInputs<I>) => PipelineOutputs<O> | void,
): Pipeline<I, O> {
  const location = captureLocation();
  const inputs: Record<string, InputPortModel> = {};
  for (const [name, port] of Object.entries(spec.inputs ?? {})) inputs[name] = port.model;
  const outputs: Record<string, OutputPortModel> = {};
  for (const [name, port] of Object.entries(spec.outputs ?? {})) outputs[name] = port.model;

  const problems: ModelProblem[] = [];
  const jobs = withBuilder(spec.name, (builder) => {
    const refs: Record<string, PipelineInputRef> = {};
    for (const [name, port] of Object.entries(inputs)) {
      refs[name] = Object.freeze({
        __ref: "pipeline_input",
        kind: port.type as PipelineInputRef["kind"],
        input: name,
        scope: builder.scope,
      });
    }
    const returned = body(Object.freeze(refs) as PipelineInputs<I>) ?? {};
    const nodes = builder.nodes;
    bindPipelineOutputs(nodes, returned as Record<string, unknown>, outputs, builder.scope, problems, location);
    return nodes;
  });

  const model = deepFreeze(
    defined<PipelineComponentModel>({
      type: "pipeline",
      ...componentFields(spec),
      inputs,
      outputs,
      jobs,
      baseDir: location && folderOf(location.file),
      location,
      problems: problems.length ? problems : undefined,
    } as PipelineComponentModel),
  );
  const settings = Object.freeze({ ...(spec.settings ?? {}) });

  const call = (inputValues?: Readonly<Record<string, unknown>>, options?: NodeOptions) =>
    addNode(model, inputValues, options, captureLocation());
  const job = (inputValues?: Readonly<Record<string, unknown>>, options?: JobOptions): PipelineJob =>
    bindJob(model, spec, inputValues ?? {}, options ?? {}, captureLocation());
  return Object.assign(call, {
    kind: "pipeline_component" as const,
    model,
    settings,
    job,
  }) as unknown as Pipeline<I, O>;
}

/** Records each returned output on the node that produces it (`${{parent.outputs.x}}`). */
function bindPipelineOutputs(
  nodes: NodeModel[],
  returned: Record<string, unknown>,
  outputs: Record<string, OutputPortModel>,
  scope: number,
  problems: ModelProblem[],
  location: SourceLocation | undefined,
): void {
  const at = location ? { location } : {};
  for (const [output, value] of Object.entries(returned)) {
    if (!(output in outputs)) {
      problems.push({ kind: "pipeline_output_unknown", output, message: `'${output}' is not a declared output`, ...at });
      continue;
    }
    if (!isRef(value) || value.__ref !== "output" || value.scope !== scope) {
      problems.push({
        kind: "pipeline_output_not_node_output",
        output,
        message: "a pipeline output must be bound to an output of a node in the same pipeline body",
        ...at,
      });
      continue;
    }
    const index = nodes.findIndex((node) => node.name === value.node);
    const node = nodes[index];
    if (!node) continue;
    const current = node.outputs[value.output];
    if (current?.bindTo !== undefined) {
      problems.push({
        kind: "node_output_bound_twice",
        output,
        message: `the output '${value.output}' of node '${node.name}' is already bound to pipeline output '${current.bindTo}'`,
        ...at,
      });
      continue;
    }
    nodes[index] = { ...node, outputs: { ...node.outputs, [value.output]: { ...current, bindTo: output } } };
  }
}

function bindJob(
  pipelineModel: PipelineComponentModel,
  spec: PipelineSpec<Record<string, AnyInputSpec>, Record<string, AnyOutputSpec>>,
  inputValues: Readonly<Record<string, unknown>>,
  options: JobOptions,
  location: SourceLocation | undefined,
): PipelineJob {
  const inputs: Record<string, BindingModel> = {};
  for (const [name, value] of Object.entries(inputValues)) {
    const binding = jobBinding(value, pipelineModel.inputs[name]?.type, location);
    if (binding) inputs[name] = binding;
  }
  const outputs: Record<string, JobOutputModel> = {};
  for (const [name, settings] of Object.entries(options.outputs ?? {})) {
    if (settings) outputs[name] = outputSettingsModel(settings);
  }
  const model = deepFreeze(
    defined<PipelineJobModel>({
      type: "pipeline_job",
      name: options.name,
      displayName: options.displayName ?? spec.displayName,
      description: options.description ?? spec.description,
      experimentName: options.experimentName ?? spec.experimentName,
      tags: options.tags ?? spec.tags,
      compute: options.compute,
      settings: defined({ ...(spec.settings ?? {}), ...(options.settings ?? {}) }),
      inputs,
      outputs,
      pipeline: pipelineModel,
      asComponent: options.asComponent || undefined,
      baseDir: location && folderOf(location.file),
      location,
    } as PipelineJobModel),
  );
  return Object.freeze({ kind: "pipeline_job" as const, model });
}

function jobBinding(value: unknown, portType: string | undefined, location: SourceLocation | undefined): BindingModel | undefined {
  const at = location ? { location } : {};
  if (value === undefined) return undefined;
  if (isRef(value) && value.__ref === "data") {
    return defined({
      kind: "data",
      type: value.kind,
      path: value.path,
      mode: value.mode,
      baseDir: value.baseDir,
      location: value.location ?? location,
    }) as BindingModel;
  }
  // A plain string for a data input is a path or URI of the input's own kind.
  if (typeof value === "string" && portType !== undefined && !["string", "number", "integer", "boolean"].includes(portType)) {
    return defined({ kind: "data", type: portType, path: value, baseDir: location && folderOf(location.file), location }) as BindingModel;
  }
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    return { kind: "literal", value, ...at };
  }
  return {
    kind: "invalid",
    description: "a job input takes data such as uriFolder(\"./data\"), a path or URI string, or a string, number or boolean",
    ...at,
  };
}

export function isPipelineJob(value: unknown): value is PipelineJob {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { kind?: unknown }).kind === "pipeline_job" &&
    typeof (value as { model?: unknown }).model === "object"
  );
}
