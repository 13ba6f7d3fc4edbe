/**
 * Nodes under `jobs:`. Command and pipeline nodes are modelled field by field; the other node
 * types keep every key but the common ones verbatim in `extra`. A node whose YAML has no
 * component (control flow, AutoML, inline parallel tasks) carries a node-only component, see
 * `isNodeOnlyComponent`.
 */
import type {
  BindingModel,
  CommandComponentModel,
  ComponentModel,
  ComponentReferenceModel,
  InputPortModel,
  NodeModel,
  NodeOutputModel,
  OpaqueComponentModel,
  OutputPortModel,
} from "@pipewright/dsl";
import { describe, type FileScope } from "./context.js";
import { loadBinding, loadNodeOutput } from "./bindings.js";
import { loadComponentRef } from "./components.js";
import { checkControlFlow } from "./control-flow.js";
import { defined, isMap, MapReader } from "./reader.js";
import { loadDistribution, loadEnvironment, loadResources, loadServices } from "./runtime.js";
import type { KeyPath } from "./source.js";

export const NODE_TYPES = [
  "command",
  "pipeline",
  "sweep",
  "parallel",
  "spark",
  "automl",
  "import",
  "data_transfer",
  "do_while",
  "if_else",
  "parallel_for",
] as const;

/** Marks the component of a node that has none in YAML; its ports are inferred from the node. */
export const NODE_ONLY = "pipewright:node_only";

export function isReference(component: NodeModel["component"]): component is ComponentReferenceModel {
  return component.type === "reference" && "ref" in component;
}

/** True for the stand-in component of a node written without one (control flow, AutoML...). */
export function isNodeOnlyComponent(component: NodeModel["component"]): boolean {
  return !isReference(component) && component.extra?.[NODE_ONLY] === true;
}

const COMMAND_KNOWN = ["services", "identity", "queue_settings", "code", "command", "comment", "experiment_name", "name", "limits"];
const PIPELINE_KNOWN = ["comment", "settings", "name", "identity"];

export interface ParentPorts {
  readonly inputs: Readonly<Record<string, InputPortModel>>;
  readonly outputs: Readonly<Record<string, OutputPortModel>>;
}

export function loadJobs(scope: FileScope, value: unknown, path: KeyPath, parent: ParentPorts): NodeModel[] {
  if (value === undefined || value === null) return [];
  if (!isMap(value)) {
    scope.report("PW3106", `'jobs' must be a mapping of node names to nodes, but it is ${describe(value)}.`, path, "value");
    return [];
  }
  const nodes: NodeModel[] = [];
  for (const [name, node] of Object.entries(value)) {
    const loaded = loadNode(scope, name, node, [...path, name], parent, nodes);
    if (loaded) nodes.push(loaded);
  }
  checkControlFlow(scope, value, path, new Set(Object.keys(value)));
  return nodes;
}

function loadNode(
  scope: FileScope,
  name: string,
  value: unknown,
  path: KeyPath,
  parent: ParentPorts,
  earlier: readonly NodeModel[],
): NodeModel | undefined {
  if (!isMap(value)) {
    scope.report("PW3106", `Node '${name}' must be a mapping with a type and a component, but it is ${describe(value)}.`, path, "value");
    return undefined;
  }
  const r = new MapReader(scope, value, path);
  const written = r.string("type");
  const type = written?.toLowerCase() ?? "command";
  if (written !== undefined && !(NODE_TYPES as readonly string[]).includes(type)) {
    scope.report("PW3106", `Node type '${written}' is not one of ${NODE_TYPES.join(", ")}.`, [...path, "type"], "value");
  }
  r.skip("$schema");
  const inputs = loadInputs(scope, r.take("inputs"), r.child("inputs"));
  const outputs = loadOutputs(scope, r.take("outputs"), r.child("outputs"));
  const modelled = type === "command" || type === "pipeline";

  let component: ComponentModel | ComponentReferenceModel | undefined;
  const componentKey = type === "sweep" ? "trial" : "component";
  if (r.has(componentKey)) {
    component = loadComponentRef(scope, r.take(componentKey), r.child(componentKey), type === "sweep" ? "command" : type);
    if (!component) return undefined;
  } else if (type === "command" && r.has("command")) {
    component = inlineCommand(scope, r, name, inputs, outputs, parent, earlier);
  } else if (type === "command" || type === "pipeline" || type === "sweep") {
    r.missing(componentKey, `a ${type} node names its component (a file path or an 'azureml:' reference)`);
    return undefined;
  } else {
    component = nodeOnly(scope, type, name, inputs, outputs, parent, earlier, path);
  }

  const isInline = component.type === "command" && (component as CommandComponentModel).inlineJob === true;
  const common = {
    name,
    type,
    component,
    inputs,
    outputs,
    displayName: r.string("display_name"),
    description: r.string("description"),
    tags: r.stringMap("tags"),
    compute: r.string("compute"),
    properties: r.map("properties"),
    location: scope.at(path),
  };
  if (!modelled) {
    return defined<NodeModel>({ ...common, extra: r.rest([], `${type} node`, { silent: true }) } as NodeModel);
  }
  if (type === "pipeline") {
    return defined<NodeModel>({ ...common, extra: r.rest(PIPELINE_KNOWN, `pipeline node '${name}'`) } as NodeModel);
  }
  // Services of an unexpected shape stay verbatim in `extra`.
  const services = loadServices(scope, r.value["services"], r.child("services"));
  if (services) r.skip("services");
  return defined<NodeModel>({
    ...common,
    // A command job node's environment was read into its component.
    environment: isInline ? undefined : loadEnvironment(scope, r.take("environment"), r.child("environment")),
    environmentVariables: r.stringMap("environment_variables"),
    resources: loadResources(scope, r.take("resources"), r.child("resources")),
    distribution: loadDistribution(scope, r.take("distribution"), r.child("distribution")),
    limits: loadLimits(r),
    services,
    extra: r.rest(COMMAND_KNOWN, `command node '${name}'`),
  } as NodeModel);
}

function loadLimits(r: MapReader): { timeout?: number } | undefined {
  const raw = r.value["limits"];
  // Anything beyond a numeric timeout cannot be modelled: the block stays in `extra` as written.
  if (isMap(raw) && Object.entries(raw).some(([key, item]) => key !== "timeout" || typeof item !== "number")) return undefined;
  const limits = r.map("limits");
  if (!limits) return undefined;
  const timeout = new MapReader(r.scope, limits, r.child("limits")).number("timeout");
  return timeout === undefined ? undefined : { timeout };
}

function loadInputs(scope: FileScope, value: unknown, path: KeyPath): Record<string, BindingModel> {
  const out: Record<string, BindingModel> = {};
  if (value === undefined || value === null) return out;
  if (!isMap(value)) {
    scope.report("PW3106", `'inputs' must be a mapping of input names to values, but it is ${describe(value)}.`, path, "value");
    return out;
  }
  for (const [name, item] of Object.entries(value)) out[name] = loadBinding(scope, item, [...path, name]);
  return out;
}

function loadOutputs(scope: FileScope, value: unknown, path: KeyPath): Record<string, NodeOutputModel> {
  const out: Record<string, NodeOutputModel> = {};
  if (value === undefined || value === null) return out;
  if (!isMap(value)) {
    scope.report("PW3106", `'outputs' must be a mapping of output names to settings, but it is ${describe(value)}.`, path, "value");
    return out;
  }
  for (const [name, item] of Object.entries(value)) {
    const output = loadNodeOutput(scope, item, [...path, name]);
    if (output) out[name] = output;
  }
  return out;
}

/** A command job node (`command:` and `environment:` on the node, no component file). */
function inlineCommand(
  scope: FileScope,
  r: MapReader,
  name: string,
  inputs: Record<string, BindingModel>,
  outputs: Record<string, NodeOutputModel>,
  parent: ParentPorts,
  earlier: readonly NodeModel[],
): CommandComponentModel {
  const ports = inferPorts(scope, inputs, outputs, parent, earlier, r.path, { outputTypes: "own" });
  return defined<CommandComponentModel>({
    type: "command",
    name,
    inputs: ports.inputs,
    outputs: ports.outputs,
    command: r.string("command") ?? "",
    code: r.string("code"),
    environment: loadEnvironment(scope, r.take("environment"), r.child("environment")),
    inlineJob: true,
    baseDir: scope.baseDir,
    location: scope.at(r.path),
  } as CommandComponentModel);
}

function nodeOnly(
  scope: FileScope,
  type: string,
  name: string,
  inputs: Record<string, BindingModel>,
  outputs: Record<string, NodeOutputModel>,
  parent: ParentPorts,
  earlier: readonly NodeModel[],
  path: KeyPath,
): OpaqueComponentModel {
  const ports = inferPorts(scope, inputs, outputs, parent, earlier, path);
  return {
    type,
    name,
    inputs: ports.inputs,
    outputs: ports.outputs,
    body: {},
    baseDir: scope.baseDir,
    location: scope.at(path),
    extra: { [NODE_ONLY]: true },
  };
}

/**
 * Ports for a component that exists only as a node: one optional input per bound input, typed
 * from what it is bound to, and one output per listed output.
 */
function inferPorts(
  scope: FileScope,
  inputs: Record<string, BindingModel>,
  outputs: Record<string, NodeOutputModel>,
  parent: ParentPorts,
  earlier: readonly NodeModel[],
  path: KeyPath,
  options: { readonly outputTypes?: "own" | "bound" } = {},
): { inputs: Record<string, InputPortModel>; outputs: Record<string, OutputPortModel> } {
  const inPorts: Record<string, InputPortModel> = {};
  for (const [name, binding] of Object.entries(inputs)) {
    inPorts[name] = { type: bindingKind(binding, parent, earlier), optional: true, location: scope.at([...path, "inputs", name]) };
  }
  const outPorts: Record<string, OutputPortModel> = {};
  for (const [name, output] of Object.entries(outputs)) {
    // A command job node declares its outputs by listing them, typed only where it says so.
    const bound = output.bindTo !== undefined && options.outputTypes !== "own" ? parent.outputs[output.bindTo]?.type : undefined;
    outPorts[name] = { type: output.type ?? bound ?? "uri_folder", location: scope.at([...path, "outputs", name]) };
  }
  return { inputs: inPorts, outputs: outPorts };
}

function bindingKind(binding: BindingModel, parent: ParentPorts, earlier: readonly NodeModel[]): string {
  switch (binding.kind) {
    case "literal":
      return typeof binding.value === "boolean" ? "boolean" : typeof binding.value === "number" ? (Number.isInteger(binding.value) ? "integer" : "number") : "string";
    case "data":
      return binding.type;
    case "parent_input":
      return parent.inputs[binding.input]?.type ?? "string";
    case "node_output": {
      const source = earlier.find((node) => node.name === binding.node);
      const component = source?.component;
      return (component && !isReference(component) && component.outputs[binding.output]?.type) || "uri_folder";
    }
    default:
      return "string";
  }
}

