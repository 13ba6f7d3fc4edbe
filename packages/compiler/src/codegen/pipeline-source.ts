/**
 * A pipeline component as `pipeline({...}, (inputs) => {...})`: one component call per node, in
 * an order where every node comes after the nodes it reads from, and the job's values in `.job()`.
 */
import {
  OUTPUT_MODES,
  isDataKind,
  isKindAssignable,
  type BindingModel,
  type ComponentModel,
  type ComponentReferenceModel,
  type InputPortModel,
  type NodeModel,
  type NodeOutputModel,
  type OutputPortModel,
  type PipelineComponentModel,
  type PipelineJobModel,
  type SourceLocation,
} from "@pipewright/dsl";
import { isNodeOnlyComponent } from "../load/nodes.js";
import {
  componentName,
  distribution,
  dropExtra,
  environment,
  factoryName,
  fitsKind,
  inputPort,
  outputPort,
  portsObject,
  resources,
  services,
} from "./command-source.js";
import type { Emission } from "./emission.js";
import { code, literal, type Code } from "./literal.js";
import { boundKind, inferReferencePorts, referenceExpression } from "./reference-source.js";
import { camelIdentifier, member, NameScope } from "./names.js";

/** How a pipeline's file names the components its nodes call. */
export interface ComponentNames {
  /** The identifier to call for this component in `out`, or undefined when it cannot be generated. */
  identifier(component: ComponentModel, out: Emission): string | undefined;
  /**
   * The identifier of a registered component used through `componentRef(...)` (the expression),
   * declared once per file.
   */
  reference(component: ComponentReferenceModel, expression: Code): string;
  /** Every identifier declared at file level, so local variables avoid them. */
  readonly taken: ReadonlySet<string>;
}

/** The ports a node's component declares, as far as they are known. */
interface Ports {
  readonly inputs: Readonly<Record<string, InputPortModel>>;
  readonly outputs: Readonly<Record<string, OutputPortModel>>;
  /** Named in messages. */
  readonly label: string;
  readonly inlineJob: boolean;
}

const FILE_OR_FOLDER: readonly string[] = ["uri_file", "uri_folder"];
/** The boolean texts the DSL's boolean inputs take (`BooleanText`). */
const BOOLEAN_TEXT: readonly string[] = ["true", "false", "True", "False"];

export function isReference(component: ComponentModel | ComponentReferenceModel): component is ComponentReferenceModel {
  return component.type === "reference" && "ref" in component;
}

/** `pipeline(spec, body)`; `jobSpec` adds a job's display name, settings... to the spec. */
export function pipelineExpression(
  pipeline: PipelineComponentModel,
  out: Emission,
  names: ComponentNames,
  path: string,
  jobSpec: Record<string, unknown> = {},
  inputKinds: Readonly<Record<string, string>> = {},
): Code {
  const inputs = portsObject(pipeline.inputs, (port, name) =>
    inputPort({ ...port, type: inputKinds[name] ?? port.type }, out, `${path}/inputs/${name}`),
  );
  const spec: Record<string, unknown> = {
    name: componentName(pipeline.name, out, path, pipeline.location),
    version: pipeline.version,
    displayName: pipeline.displayName,
    description: pipeline.description,
    tags: pipeline.tags,
    isDeterministic: pipeline.isDeterministic,
    ...jobSpec,
    inputs,
    outputs: portsObject(pipeline.outputs, (port, name) => outputPort(port, out, `${path}/outputs/${name}`)),
  };
  dropExtra(pipeline.extra, out, path, pipeline.location);
  const kinds: Record<string, string> = {};
  for (const [name, port] of Object.entries(pipeline.inputs)) kinds[name] = inputKinds[name] ?? port.type;
  const bodyText = body(pipeline, kinds, out, names, path).split("\n").join("\n  ");
  return code(`${out.use("pipeline")}(\n  ${literal(spec, "  ")},\n  ${bodyText},\n)`);
}

function body(pipeline: PipelineComponentModel, inputKinds: Readonly<Record<string, string>>, out: Emission, names: ComponentNames, path: string): string {
  const ordered = dependencyOrder(pipeline.jobs, out, path);
  const referencePorts = inferReferencePorts(pipeline, inputKinds);
  // Components first, so no node variable takes the name of a component the body calls.
  const callees = new Map<NodeModel, string | undefined>();
  const ports = new Map<NodeModel, Ports>();
  // One componentRef per reference, however many nodes use it.
  const referenceCallees = new Map<string, string | undefined>();
  for (const node of ordered) {
    const component = node.component;
    if (isReference(component)) {
      const known = referencePorts.get(component.ref);
      if (!known || (node.type !== "command" && node.type !== "pipeline")) continue;
      if (!referenceCallees.has(component.ref)) {
        const expression = referenceExpression(component, node.type, known, out, `${path}/${node.name}`);
        referenceCallees.set(component.ref, expression && names.reference(component, expression));
      }
      const callee = referenceCallees.get(component.ref);
      if (callee === undefined) continue;
      callees.set(node, callee);
      ports.set(node, { ...known, label: component.ref, inlineJob: false });
      continue;
    }
    const callable = !isNodeOnlyComponent(component) && (node.type === "command" || node.type === "pipeline");
    callees.set(node, callable ? names.identifier(component, out) : undefined);
    ports.set(node, { inputs: component.inputs, outputs: component.outputs, label: component.name, inlineJob: (component as { inlineJob?: boolean }).inlineJob === true });
  }
  const scope = new NameScope([...names.taken, "inputs", ...[...callees.values()].filter((name): name is string => name !== undefined)]);
  const referenced = new Set<string>();
  for (const node of pipeline.jobs) {
    for (const binding of Object.values(node.inputs)) if (binding.kind === "node_output") referenced.add(binding.node);
    if (Object.values(node.outputs).some((output) => output.bindTo !== undefined)) referenced.add(node.name);
  }
  const variables = new Map<string, string>();
  const outputKinds = new Map<string, Readonly<Record<string, string>>>();
  const statements: string[] = [];
  let usesInputs = false;

  for (const node of ordered) {
    const nodePath = `${path}/${node.name}`;
    const component = node.component;
    if ((!isReference(component) && isNodeOnlyComponent(component)) || (node.type !== "command" && node.type !== "pipeline")) {
      const article = /^[aeiou]/.test(node.type) ? "an" : "a";
      out.block(`node '${node.name}' is ${article} ${node.type} node, which the DSL cannot express yet`, nodePath, node.location);
      continue;
    }
    const callee = callees.get(node);
    const declared = ports.get(node);
    if (callee === undefined || declared === undefined) {
      const what = isReference(component) ? `the registered component '${component.ref}'` : `component '${component.name}'`;
      out.block(`node '${node.name}' uses ${what}, which could not be generated`, nodePath, node.location);
      continue;
    }
    outputKinds.set(node.name, Object.fromEntries(Object.entries(declared.outputs).map(([name, port]) => [name, port.type])));
    const args: Record<string, unknown> = {};
    const undeclared: Record<string, unknown> = {};
    for (const [input, binding] of Object.entries(node.inputs)) {
      const port = declared.inputs[input];
      // Azure passes on an input the component does not declare (corpus:
      // nyc_taxi_data_regression_with_pipeline_component); the DSL says so with `undeclaredInputs`.
      const kind = port?.type ?? boundKind(binding, inputKinds, outputKinds);
      const expression = bindingExpression(binding, kind, inputKinds, variables, outputKinds, out, `${nodePath}/inputs/${input}`);
      if (expression === undefined) continue;
      if (binding.kind === "parent_input") usesInputs = true;
      if (port) args[input] = expression;
      else undeclared[input] = expression;
    }
    for (const [input, port] of Object.entries(declared.inputs)) {
      if (!(input in node.inputs) && port.optional !== true && port.default === undefined) {
        out.block(`required input '${input}' of '${declared.label}' is not bound`, `${nodePath}/inputs/${input}`, node.location);
      }
    }
    const options = nodeOptions(node, declared, pipeline.baseDir, out, nodePath);
    if (Object.keys(undeclared).length) options["undeclaredInputs"] = undeclared;
    const call = `${callee}(${literal(args)}, ${literal(options)})`;
    if (referenced.has(node.name)) {
      const variable = scope.claim(camelIdentifier(node.name));
      variables.set(node.name, variable);
      statements.push(`const ${variable} = ${call};`);
    } else statements.push(`${call};`);
  }

  const returned: Record<string, Code> = {};
  for (const [output, port] of Object.entries(pipeline.outputs)) {
    const sources = pipeline.jobs.flatMap((node) =>
      Object.entries(node.outputs).filter(([, settings]) => settings.bindTo === output).map(([name]) => ({ node, name })),
    );
    const source = sources[0];
    if (!source || sources.length > 1) {
      out.block(`pipeline output '${output}' is bound ${sources.length === 0 ? "by no node" : "by several nodes"}; the DSL binds each output to exactly one node output`, `${path}/outputs/${output}`, port.location);
      continue;
    }
    const variable = variables.get(source.node.name);
    const kind = outputKinds.get(source.node.name)?.[source.name];
    if (variable === undefined) continue;
    // A uri_file pipeline output may take a uri_folder node output and the other way round (the DSL and PW2003 allow it).
    if (kind !== port.type && !(FILE_OR_FOLDER.includes(kind ?? "") && FILE_OR_FOLDER.includes(port.type))) {
      out.block(`pipeline output '${output}' (${port.type}) is bound to '${source.node.name}.${source.name}' (${kind ?? "undeclared"})`, `${path}/outputs/${output}`, port.location);
      continue;
    }
    returned[output] = code(member(`${variable}.outputs`, source.name));
  }
  for (const node of pipeline.jobs) {
    for (const [name, settings] of Object.entries(node.outputs)) {
      if (settings.bindTo !== undefined && !(settings.bindTo in pipeline.outputs)) {
        out.block(`'${node.name}.${name}' is bound to '${settings.bindTo}', which the pipeline does not declare`, `${path}/${node.name}/outputs/${name}`, settings.location);
      }
    }
  }
  if (Object.keys(returned).length) statements.push(`return ${literal(returned)};`);
  const params = usesInputs ? "(inputs)" : "()";
  return `${params} => {\n${statements.map((statement) => `  ${statement.split("\n").join("\n  ")}`).join("\n")}\n}`;
}

/** Nodes reordered so each comes after the nodes whose outputs it reads (stable otherwise). */
function dependencyOrder(nodes: readonly NodeModel[], out: Emission, path: string): NodeModel[] {
  const byName = new Map(nodes.map((node) => [node.name, node]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const ordered: NodeModel[] = [];
  const visit = (node: NodeModel): void => {
    if (done.has(node.name)) return;
    if (visiting.has(node.name)) {
      out.block(`node '${node.name}' is part of a cycle`, `${path}/${node.name}`, node.location);
      return;
    }
    visiting.add(node.name);
    for (const binding of Object.values(node.inputs)) {
      const source = binding.kind === "node_output" ? byName.get(binding.node) : undefined;
      if (source) visit(source);
    }
    visiting.delete(node.name);
    done.add(node.name);
    ordered.push(node);
  };
  for (const node of nodes) visit(node);
  return ordered;
}

function bindingExpression(
  binding: BindingModel,
  kind: string,
  inputKinds: Readonly<Record<string, string>>,
  variables: ReadonlyMap<string, string>,
  outputKinds: ReadonlyMap<string, Readonly<Record<string, string>>>,
  out: Emission,
  path: string,
): unknown {
  switch (binding.kind) {
    case "literal":
      if (fitsKind(binding.value, kind) && typeof binding.value !== "string") return binding.value;
      // Azure reads every value as text: a string input takes any scalar, a boolean input its text.
      if (kind === "string") return binding.value;
      if (kind === "boolean" && typeof binding.value === "string" && BOOLEAN_TEXT.includes(binding.value)) return binding.value;
      out.block(`${JSON.stringify(binding.value)} is not a ${kind} value`, path, binding.location);
      return undefined;
    case "parent_input": {
      const from = inputKinds[binding.input];
      if (from === undefined) {
        out.block(`the pipeline has no input '${binding.input}'`, path, binding.location);
        return undefined;
      }
      if (!isKindAssignable(from, kind)) {
        out.block(`a ${kind} input is bound to the ${from} pipeline input '${binding.input}'`, path, binding.location);
        return undefined;
      }
      return code(member("inputs", binding.input));
    }
    case "node_output": {
      const variable = variables.get(binding.node);
      const from = outputKinds.get(binding.node)?.[binding.output];
      if (variable === undefined || from === undefined) {
        out.block(`'${binding.node}.${binding.output}' is not an output of a node that could be generated`, path, binding.location);
        return undefined;
      }
      if (!isKindAssignable(from, kind)) {
        out.block(`a ${kind} input is bound to the ${from} output '${binding.node}.${binding.output}'`, path, binding.location);
        return undefined;
      }
      return code(member(`${variable}.outputs`, binding.output));
    }
    case "data":
      return dataExpression(binding, kind, out, path);
    default:
      out.block(`the value ${JSON.stringify(binding.kind === "raw" ? binding.value : binding.description)} has no DSL form`, path, binding.location);
      return undefined;
  }
}

export function dataExpression(binding: Extract<BindingModel, { kind: "data" }>, kind: string, out: Emission, path: string): Code | undefined {
  const factory = factoryName(binding.type);
  const fits = binding.type === kind || (kind === "mltable" && binding.type === "uri_folder") || (kind === "uri_folder" && binding.type === "uri_file");
  if (!factory || !fits || binding.path === undefined) {
    out.block(`${binding.type} data${binding.path === undefined ? " without a path" : ""} cannot be bound to a ${kind} input in the DSL`, path, binding.location);
    return undefined;
  }
  const lost = [
    ...(binding.pathOnCompute !== undefined ? ["path_on_compute"] : []),
    ...(binding.datastore !== undefined ? ["datastore"] : []),
    ...Object.keys(binding.extra ?? {}),
  ];
  if (lost.length) out.drop(`data references in the DSL have no ${lost.join(", ")}; left out`, path, binding.location);
  const args = [literal(out.path(binding.path, binding.baseDir))];
  if (binding.mode !== undefined) args.push(literal({ mode: binding.mode }));
  return code(`${out.use(factory)}(${args.join(", ")})`);
}

function nodeOptions(node: NodeModel, ports: Ports, baseDir: string | undefined, out: Emission, path: string): Record<string, unknown> {
  const outputs: Record<string, unknown> = {};
  // A command job node lists every output its component declares anyway.
  const inlineJob = ports.inlineJob;
  for (const [name, settings] of Object.entries(node.outputs)) {
    // A command job node's output type is its port's kind, which the emitter writes unless uri_folder.
    const portKind = ports.outputs[name]?.type;
    const typed = inlineJob && settings.type === portKind && portKind !== "uri_folder";
    const rendered = outputSettings(typed ? withoutType(settings) : settings, out, `${path}/outputs/${name}`, settings.location);
    if (!(name in ports.outputs)) {
      out.block(`component '${ports.label}' has no output '${name}'`, `${path}/outputs/${name}`, settings.location);
      continue;
    }
    // An output listed without settings (`name:`) is listed in the DSL too, as `{}`.
    if (rendered) outputs[name] = rendered;
    else if (settings.bindTo === undefined && !inlineJob) outputs[name] = {};
  }
  if (node.properties !== undefined) out.drop("node 'properties' have no DSL option; left out", path, node.location);
  dropExtra(node.extra, out, path, node.location);
  return {
    name: node.name,
    displayName: node.displayName,
    description: node.description,
    tags: node.tags,
    compute: node.compute,
    environment: node.environment === undefined ? undefined : environment(node.environment, baseDir, out, path, node.location),
    environmentVariables: node.environmentVariables,
    resources: node.resources && resources(node.resources, out, path, node.location),
    distribution: node.distribution && distribution(node.distribution, out, path, node.location),
    timeout: node.limits?.timeout,
    services: node.services && services(node.services, out, path, node.location),
    outputs: Object.keys(outputs).length ? outputs : undefined,
  };
}

export function outputSettings(
  settings: NodeOutputModel | PipelineJobModel["outputs"][string],
  out: Emission,
  path: string,
  location: SourceLocation | undefined,
): Record<string, unknown> | undefined {
  const rendered: Record<string, unknown> = {};
  if (settings.mode !== undefined) {
    if ((OUTPUT_MODES as readonly string[]).includes(settings.mode)) rendered["mode"] = settings.mode;
    else out.drop(`output mode '${settings.mode}' is not one the DSL allows; left out`, path, location);
  }
  if (settings.path !== undefined) rendered["path"] = settings.path;
  if (settings.name !== undefined) rendered["name"] = settings.name;
  if (settings.version !== undefined) rendered["version"] = settings.version;
  if (settings.type !== undefined) {
    if (isDataKind(settings.type)) rendered["type"] = settings.type;
    else out.drop(`an output 'type' (${settings.type}) is not a data kind the DSL can set per node; left out`, path, location);
  }
  dropExtra(settings.extra, out, path, location);
  return Object.keys(rendered).length ? rendered : undefined;
}

function withoutType(settings: NodeOutputModel): NodeOutputModel {
  const { type: _type, ...rest } = settings;
  return rest;
}
