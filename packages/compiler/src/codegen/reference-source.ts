/**
 * Registered components (`azureml:name:version`, `azureml:name@label`, `azureml://registries/...`)
 * as `componentRef(ref, { inputs, outputs })`. The YAML names the component without defining it,
 * so its ports are inferred from how the pipeline uses it, which is all the DSL needs to type the
 * wiring:
 * - an input for every input a node binds, of the kind of what it is bound to (a pipeline input's
 *   kind, a node output's kind, the data's type, or a literal's own kind: 20 is an integer);
 * - an output for every output a node lists or another node reads, of the kind the node writes
 *   (`type:`), else the kind of the pipeline output it is bound to, else the kind of the declared
 *   input that reads it, else uri_folder, Azure's default for an output.
 * What cannot be known is left out: inputs the pipeline does not bind (so none is declared
 * required), and outputs nothing uses.
 */
import type {
  BindingModel,
  ComponentReferenceModel,
  InputPortModel,
  NodeModel,
  OutputPortModel,
  PipelineComponentModel,
  SourceLocation,
} from "@pipewright/dsl";
import { inputPort, outputPort, portsObject } from "./command-source.js";
import type { Emission } from "./emission.js";
import { code, literal, type Code } from "./literal.js";

export interface ReferencePorts {
  readonly inputs: Readonly<Record<string, InputPortModel>>;
  readonly outputs: Readonly<Record<string, OutputPortModel>>;
}

function isReference(component: NodeModel["component"]): component is ComponentReferenceModel {
  return component.type === "reference" && "ref" in component;
}

/** The ports of each registered component a pipeline body uses, by reference. */
export function inferReferencePorts(pipeline: PipelineComponentModel, inputKinds: Readonly<Record<string, string>>): Map<string, ReferencePorts> {
  const outputs = new Map<string, Record<string, OutputPortModel>>();
  // Outputs first: an input of one reference may read an output of another.
  for (const node of pipeline.jobs) {
    const component = node.component;
    if (!isReference(component)) continue;
    const ports = outputs.get(component.ref) ?? { ...component.outputs };
    outputs.set(component.ref, ports);
    if (component.outputs !== undefined) continue;
    for (const [name, settings] of Object.entries(node.outputs)) {
      const bound = settings.bindTo === undefined ? undefined : pipeline.outputs[settings.bindTo]?.type;
      ports[name] ??= withLocation({ type: settings.type ?? bound ?? readerKind(pipeline, node.name, name) ?? "uri_folder" }, settings.location ?? node.location);
    }
    for (const reader of pipeline.jobs) {
      for (const binding of Object.values(reader.inputs)) {
        if (binding.kind !== "node_output" || binding.node !== node.name) continue;
        ports[binding.output] ??= withLocation({ type: readerKind(pipeline, node.name, binding.output) ?? "uri_folder" }, binding.location ?? node.location);
      }
    }
  }
  const outputKinds = new Map<string, Readonly<Record<string, string>>>();
  for (const node of pipeline.jobs) {
    const declared = isReference(node.component) ? outputs.get(node.component.ref) : node.component.outputs;
    outputKinds.set(node.name, Object.fromEntries(Object.entries(declared ?? {}).map(([name, port]) => [name, port.type])));
  }
  const result = new Map<string, ReferencePorts>();
  for (const node of pipeline.jobs) {
    const component = node.component;
    if (!isReference(component)) continue;
    const known = result.get(component.ref);
    const inputs: Record<string, InputPortModel> = { ...(known?.inputs ?? component.inputs) };
    if (component.inputs === undefined) {
      for (const [name, binding] of Object.entries(node.inputs)) {
        inputs[name] ??= withLocation({ type: boundKind(binding, inputKinds, outputKinds) }, binding.location ?? node.location);
      }
    }
    result.set(component.ref, { inputs, outputs: outputs.get(component.ref) ?? {} });
  }
  return result;
}

/** A port inferred from YAML points where it was inferred from, so problems with it do too. */
function withLocation<P extends { readonly type: string }>(port: P, location: SourceLocation | undefined): P {
  return location ? { ...port, location } : port;
}

/** The kind of the first declared input that reads `node.output`, if any. */
function readerKind(pipeline: PipelineComponentModel, node: string, output: string): string | undefined {
  for (const reader of pipeline.jobs) {
    if (isReference(reader.component) && reader.component.inputs === undefined) continue;
    for (const [input, binding] of Object.entries(reader.inputs)) {
      if (binding.kind !== "node_output" || binding.node !== node || binding.output !== output) continue;
      const kind = reader.component.inputs?.[input]?.type;
      if (kind !== undefined) return kind;
    }
  }
  return undefined;
}

/** The kind of what an input is bound to, for a port that is not declared. */
export function boundKind(
  binding: BindingModel,
  inputKinds: Readonly<Record<string, string>>,
  outputKinds: ReadonlyMap<string, Readonly<Record<string, string>>>,
): string {
  switch (binding.kind) {
    case "literal":
      if (typeof binding.value === "boolean") return "boolean";
      if (typeof binding.value === "number") return Number.isInteger(binding.value) ? "integer" : "number";
      return "string";
    case "data":
      return binding.type;
    case "parent_input":
      return inputKinds[binding.input] ?? "string";
    case "node_output":
      return outputKinds.get(binding.node)?.[binding.output] ?? "uri_folder";
    default:
      return "string";
  }
}

/** `componentRef("azureml:train:1", { inputs: {...}, outputs: {...} })`, or undefined when a port has no DSL form. */
export function referenceExpression(
  component: ComponentReferenceModel,
  nodeType: string,
  ports: ReferencePorts,
  out: Emission,
  path: string,
): Code | undefined {
  const before = out.problems.filter((problem) => problem.blocking).length;
  const spec: Record<string, unknown> = {
    type: nodeType === "pipeline" ? "pipeline" : undefined,
    inputs: portsObject(ports.inputs, (port, name) => inputPort(port, out, `${path}/inputs/${name}`)),
    outputs: portsObject(ports.outputs, (port, name) => outputPort(port, out, `${path}/outputs/${name}`)),
  };
  if (out.problems.filter((problem) => problem.blocking).length > before) return undefined;
  const specText = Object.values(spec).some((value) => value !== undefined) ? `, ${literal(spec)}` : "";
  return code(`${out.use("componentRef")}(${literal(component.ref)}${specText})`);
}
