/**
 * Nodes under `jobs:`. A node names its component (a file path, an inline mapping or an
 * `azureml:` reference, decided by the caller's `componentRef`), except a component marked
 * `inlineJob`, which is written as a command job node: command, code and environment on the
 * node itself (the form of the corpus's hello-pipeline-io.yml).
 */
import {
  isPrimitiveKind,
  type CommandComponentModel,
  type ComponentModel,
  type ComponentReferenceModel,
  type NodeModel,
  type NodeOutputModel,
  type OutputPortModel,
} from "@pipewright/dsl";
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import { isNodeOnlyComponent } from "../load/nodes.js";
import {
  bindingValue,
  distribution,
  environment,
  localPath,
  outputSettings,
  parentOutputBinding,
  plainMap,
  put,
  putExtra,
  resources,
  services,
  structuredCopy,
  type PathScope,
  type YamlMap,
} from "./fields.js";

export interface NodeContext {
  /** The `component:` value for a node of this component, seen from the file being written. */
  readonly componentRef: (component: ComponentModel) => unknown;
  readonly fileDir: string;
  /** Folder relative paths of the enclosing pipeline resolve against (node call sites). */
  readonly baseDir: string | undefined;
  /** Node path prefix for diagnostics, e.g. `nyc_taxi`. */
  readonly path: string;
  readonly diagnostics: Diagnostic[];
}

/** A node's component is named (`azureml:...`, registry URI), not defined here. */
export function isComponentReference(
  component: ComponentModel | ComponentReferenceModel,
): component is ComponentReferenceModel {
  return component.type === "reference" && typeof (component as Partial<ComponentReferenceModel>).ref === "string";
}

export function isInlineJob(component: ComponentModel | ComponentReferenceModel): component is CommandComponentModel {
  return component.type === "command" && (component as CommandComponentModel).inlineJob === true;
}

export function renderJobs(nodes: readonly NodeModel[], context: NodeContext): YamlMap {
  const out: YamlMap = {};
  for (const node of nodes) out[node.name] = renderNode(node, context);
  return out;
}

export function renderNode(node: NodeModel, context: NodeContext): YamlMap {
  const component = node.component;
  if (isInlineJob(component)) return renderCommandJobNode(node, component, context);
  const scope = nodeScope(node, context);
  const out: YamlMap = { type: node.type };
  // A sweep node names its command component as `trial`; a node-only component (control flow,
  // AutoML, an inline parallel task, loaded from YAML) is not written at all: its keys are the node's.
  if (isComponentReference(component)) out[componentKey(node)] = component.ref;
  else if (!isNodeOnlyComponent(component)) out[componentKey(node)] = context.componentRef(component);
  put(out, "display_name", node.displayName);
  put(out, "description", node.description);
  put(out, "tags", plainMap(node.tags));
  put(out, "compute", node.compute);
  put(out, "inputs", nodeInputs(node, scope));
  put(out, "outputs", nodeOutputs(node, undefined, isComponentReference(component) ? undefined : component.outputs));
  putOverrides(out, node, undefined, scope);
  putExtra(out, node.extra);
  return out;
}

function componentKey(node: NodeModel): string {
  return node.type === "sweep" ? "trial" : "component";
}

/**
 * Paths written in node options resolve against the file that made the call. Resolved only when
 * a node option holds a local path: reading a DSL location formats its stack frame, which costs
 * more than emitting the node, and most nodes have no such path.
 */
function nodeScope(node: NodeModel, context: NodeContext): PathScope {
  let baseDir: string | undefined | null = null;
  return {
    get baseDir(): string | undefined {
      if (baseDir === null) {
        const file = node.location?.file;
        baseDir = (file === undefined ? undefined : folderOfFile(file)) || context.baseDir;
      }
      return baseDir;
    },
    fileDir: context.fileDir,
  };
}

/** Folder of a source file; cached because thousands of nodes share a few files. */
const folders = new Map<string, string>();
function folderOfFile(file: string): string {
  let folder = folders.get(file);
  if (folder === undefined) {
    folder = file.replace(/\\/g, "/").replace(/\/[^/]*$/, "");
    if (folders.size > 10_000) folders.clear();
    folders.set(file, folder);
  }
  return folder;
}

function nodeInputs(node: NodeModel, scope: PathScope, component?: CommandComponentModel): YamlMap | undefined {
  const out: YamlMap = {};
  for (const [name, binding] of Object.entries(node.inputs)) put(out, name, bindingValue(binding, scope));
  if (component) {
    // A command job node declares no ports, so an unbound input with a default gets its value here.
    for (const [name, port] of Object.entries(component.inputs)) {
      if (name in out || port.default === undefined) continue;
      out[name] =
        typeof port.default === "string" && !isPrimitiveKind(port.type)
          ? { type: port.type, path: localPath(port.default, { baseDir: component.baseDir, fileDir: scope.fileDir }) }
          : port.default;
    }
  }
  return Object.keys(out).length ? out : undefined;
}

/**
 * Node outputs. A bound output is `${{parent.outputs.x}}`; with settings too it becomes a mapping
 * whose `path` is the binding. For a command job node every declared output is listed (that is
 * how it declares them), with a `type` unless it is Azure's default, uri_folder.
 */
function nodeOutputs(
  node: NodeModel,
  declared: Readonly<Record<string, OutputPortModel>> | undefined,
  order?: Readonly<Record<string, OutputPortModel>>,
): YamlMap | undefined {
  const out: YamlMap = {};
  const set = Object.keys(node.outputs);
  // Listed in the component's declaration order, whatever order the settings were given in.
  const names = declared
    ? [...Object.keys(declared), ...set.filter((name) => !(name in declared))]
    : [...Object.keys(order ?? {}).filter((name) => set.includes(name)), ...set.filter((name) => !(order && name in order))];
  for (const name of names) {
    const settings: NodeOutputModel = node.outputs[name] ?? {};
    const port = declared?.[name];
    const merged: NodeOutputModel = {
      ...settings,
      ...(settings.type === undefined && port && port.type !== "uri_folder" ? { type: port.type } : {}),
      ...(settings.mode === undefined && port?.mode !== undefined ? { mode: port.mode } : {}),
    };
    const mapping = outputSettings(merged);
    if (settings.bindTo === undefined) out[name] = mapping;
    else if (mapping === null) out[name] = parentOutputBinding(settings.bindTo);
    else out[name] = { path: parentOutputBinding(settings.bindTo), ...withoutPath(mapping) };
  }
  return names.length ? out : undefined;
}

function withoutPath(mapping: YamlMap): YamlMap {
  const { path: _path, ...rest } = mapping;
  return rest;
}

/** environment, environment_variables, resources, distribution, limits, properties. */
function putOverrides(out: YamlMap, node: NodeModel, component: CommandComponentModel | undefined, scope: PathScope): void {
  const env = node.environment ?? component?.environment;
  const envScope = node.environment === undefined && component ? { ...scope, baseDir: component.baseDir } : scope;
  put(out, "environment", env === undefined ? undefined : environment(env, envScope));
  put(out, "environment_variables", plainMap(node.environmentVariables));
  const res = component?.resources || node.resources ? { ...component?.resources, ...node.resources } : undefined;
  put(out, "resources", res && resources(res));
  const dist = node.distribution ?? component?.distribution;
  put(out, "distribution", dist && distribution(dist));
  if (node.limits?.timeout !== undefined) out["limits"] = { timeout: node.limits.timeout };
  put(out, "services", node.services && services(node.services));
  const props = component?.properties || node.properties ? { ...component?.properties, ...node.properties } : undefined;
  put(out, "properties", props && structuredCopy(props));
}

function renderCommandJobNode(node: NodeModel, component: CommandComponentModel, context: NodeContext): YamlMap {
  const scope = nodeScope(node, context);
  const componentScope: PathScope = { baseDir: component.baseDir, fileDir: context.fileDir };
  const out: YamlMap = { type: "command" };
  put(out, "display_name", node.displayName ?? component.displayName);
  put(out, "description", node.description ?? component.description);
  put(out, "tags", plainMap(node.tags ?? component.tags));
  put(out, "compute", node.compute);
  put(out, "inputs", nodeInputs(node, scope, component));
  put(out, "outputs", nodeOutputs(node, component.outputs));
  put(out, "code", component.code === undefined ? undefined : localPath(component.code, componentScope));
  putOverrides(out, node, component, scope);
  putExtra(out, node.extra);
  putExtra(out, component.extra);
  out["command"] = component.command;
  reportDropped(node, component, context);
  return out;
}

function reportDropped(node: NodeModel, component: CommandComponentModel, context: NodeContext): void {
  const dropped: string[] = [];
  if (component.additionalIncludes?.length) dropped.push("additional_includes");
  if (component.isDeterministic === false) dropped.push("is_deterministic: false");
  if (dropped.length === 0) return;
  context.diagnostics.push(
    diagnostic(
      "PW3002",
      `'${component.name}' is written as an inline command job node, which cannot carry ${dropped.join(" or ")}; ` +
        "declare it without `inline: true` to keep it in a component file",
      { path: `${context.path}/${node.name}`, location: node.location ?? component.location },
    ),
  );
}
