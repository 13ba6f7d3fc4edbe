/** `command({...})`: a command component, callable inside a pipeline body to add a node. */
import type { CallArgs, NodeOutputs } from "./call-types.js";
import { defined, deepFreeze, distributionModel, environmentModel, resourcesModel } from "./convert.js";
import { captureLocation, folderOf } from "./location.js";
import type { CommandComponentModel, InputPortModel, OutputPortModel } from "./model.js";
import { addNode, type Node } from "./node.js";
import type { DistributionSpec, EnvironmentSpec, NodeOptions, ResourcesSpec } from "./options.js";
import { componentFields, type AnyInputSpec, type AnyOutputSpec, type ComponentSpecBase } from "./ports.js";

/** The typed view of a component's ports for building its command line. */
export interface CommandPorts<I, O> {
  /** `inputs.x` is the text `${{inputs.x}}`; naming an undeclared input is a type error. */
  readonly inputs: { readonly [K in keyof I]: string };
  readonly outputs: { readonly [K in keyof O]: string };
  /** Wraps a segment in `$[[ ... ]]`: dropped when the optional input in it has no value. */
  readonly optional: (segment: string) => string;
}

export interface CommandSpec<I extends Record<string, AnyInputSpec>, O extends Record<string, AnyOutputSpec>> extends ComponentSpecBase<I, O> {
  /** The command line, with `${{inputs.x}}`, `${{outputs.y}}` and `$[[ ... ]]`, or a function building it. */
  readonly command: string | ((ports: CommandPorts<I, O>) => string);
  /** Local folder (relative to the declaring file), `azureml:` code asset, git or http URL. */
  readonly code?: string;
  readonly environment?: EnvironmentSpec;
  readonly resources?: ResourcesSpec;
  readonly distribution?: DistributionSpec;
  readonly additionalIncludes?: readonly string[];
  readonly properties?: Readonly<Record<string, unknown>>;
  /** Emit as a command job node (command on the node, no component file). @default false */
  readonly inline?: boolean;
}

export interface CommandComponent<I extends Record<string, AnyInputSpec>, O extends Record<string, AnyOutputSpec>> {
  (...args: CallArgs<I, NodeOptions<keyof O>>): Node<NodeOutputs<O>>;
  readonly kind: "command_component";
  readonly model: CommandComponentModel;
}

export function command<
  const I extends Record<string, AnyInputSpec> = {},
  const O extends Record<string, AnyOutputSpec> = {},
>(spec: CommandSpec<I, O>): CommandComponent<I, O> {
  const location = captureLocation();
  const inputs: Record<string, InputPortModel> = {};
  for (const [name, port] of Object.entries(spec.inputs ?? {})) inputs[name] = port.model;
  const outputs: Record<string, OutputPortModel> = {};
  for (const [name, port] of Object.entries(spec.outputs ?? {})) outputs[name] = port.model;

  const commandText =
    typeof spec.command === "function" ? spec.command(commandPorts(inputs, outputs) as CommandPorts<I, O>) : spec.command;

  const model = deepFreeze(
    defined<CommandComponentModel>({
      type: "command",
      ...componentFields(spec),
      inputs,
      outputs,
      command: commandText,
      code: spec.code,
      environment: spec.environment && environmentModel(spec.environment),
      resources: spec.resources && resourcesModel(spec.resources),
      distribution: spec.distribution && distributionModel(spec.distribution),
      additionalIncludes: spec.additionalIncludes && [...spec.additionalIncludes],
      properties: spec.properties,
      inlineJob: spec.inline || undefined,
      baseDir: location && folderOf(location.file),
      location,
    } as CommandComponentModel),
  );

  const call = (inputValues?: Readonly<Record<string, unknown>>, options?: NodeOptions) =>
    addNode(model, inputValues, options, captureLocation());
  return Object.assign(call, { kind: "command_component" as const, model }) as unknown as CommandComponent<I, O>;
}

function commandPorts(
  inputs: Record<string, InputPortModel>,
  outputs: Record<string, OutputPortModel>,
): CommandPorts<Record<string, unknown>, Record<string, unknown>> {
  // Unknown names still render, so a JavaScript caller's typo reaches the compiler's check.
  const placeholders = (group: "inputs" | "outputs", declared: object) =>
    new Proxy(declared, {
      get: (_target, property) => (typeof property === "string" ? `\${{${group}.${property}}}` : undefined),
    }) as Record<string, string>;
  return {
    inputs: placeholders("inputs", inputs),
    outputs: placeholders("outputs", outputs),
    optional: (segment) => `$[[${segment}]]`,
  };
}
