/**
 * Component documents: a command component (commandComponent.schema.json), a pipeline component
 * (pipelineComponent.schema.json), or a kind pipewright keeps verbatim from YAML. The same
 * rendering serves a component file and a component written inline under a node's
 * `component:` (then without `$schema`, which Azure drops from nodes).
 */
import type {
  CommandComponentModel,
  ComponentModel,
  OpaqueComponentModel,
  PipelineComponentModel,
} from "@pipewright/dsl";
import {
  distribution,
  environment,
  inputPort,
  localPath,
  outputPort,
  plainMap,
  ports,
  put,
  putExtra,
  resources,
  structuredCopy,
  type PathScope,
  type YamlMap,
} from "./fields.js";
import { renderJobs, type NodeContext } from "./nodes.js";
import { componentSchemaUrl } from "./yaml-text.js";

export interface ComponentContext extends Omit<NodeContext, "baseDir" | "path"> {
  /** Whether this is a document of its own (with `$schema`) or inline under a node. */
  readonly standalone: boolean;
}

export function renderComponent(component: ComponentModel, context: ComponentContext): YamlMap {
  const out = header(component, context.standalone);
  const scope: PathScope = { baseDir: component.baseDir, fileDir: context.fileDir };
  if (component.type === "command") putCommandBody(out, component as CommandComponentModel, scope);
  else if (component.type === "pipeline") putPipelineBody(out, component as PipelineComponentModel, context);
  else putOpaqueBody(out, component as OpaqueComponentModel, scope);
  return out;
}

/** $schema, type, name, version, display_name, description, tags, is_deterministic, inputs, outputs. */
function header(component: ComponentModel, standalone: boolean): YamlMap {
  const out: YamlMap = {};
  if (standalone) out["$schema"] = componentSchemaUrl(component.type);
  out["type"] = component.type;
  out["name"] = component.name;
  put(out, "version", component.version);
  put(out, "display_name", component.displayName);
  put(out, "description", component.description);
  put(out, "tags", plainMap(component.tags));
  put(out, "is_deterministic", component.isDeterministic);
  put(out, "inputs", ports(component.inputs, inputPort));
  put(out, "outputs", ports(component.outputs, outputPort));
  return out;
}

function putCommandBody(out: YamlMap, component: CommandComponentModel, scope: PathScope): void {
  put(out, "code", component.code === undefined ? undefined : localPath(component.code, scope));
  put(out, "environment", component.environment === undefined ? undefined : environment(component.environment, scope));
  put(out, "resources", component.resources && resources(component.resources));
  put(out, "distribution", component.distribution && distribution(component.distribution));
  put(out, "additional_includes", component.additionalIncludes?.map((path) => localPath(path, scope)));
  put(out, "properties", component.properties && structuredCopy(component.properties));
  putExtra(out, component.extra);
  out["command"] = component.command;
}

function putPipelineBody(out: YamlMap, component: PipelineComponentModel, context: ComponentContext): void {
  putExtra(out, component.extra);
  out["jobs"] = renderJobs(component.jobs, { ...context, baseDir: component.baseDir, path: component.name });
}

/**
 * Kinds loaded from YAML and not modelled (parallel, spark, ...): their keys as they were, except
 * the local paths Azure resolves against the file (`code`, a parallel `task.code`, environment
 * files, `additional_includes`), which move with the file. Paths inside `code` (a spark `entry`,
 * `py_files`) are relative to the code folder and stay as written.
 */
function putOpaqueBody(out: YamlMap, component: OpaqueComponentModel, scope: PathScope): void {
  for (const [key, value] of Object.entries(component.body)) {
    if (!(key in out) && value !== undefined) out[key] = relocateOpaque(key, structuredCopy(value), scope);
  }
  putExtra(out, component.extra);
}

function relocateOpaque(key: string, value: unknown, scope: PathScope): unknown {
  if (key === "code" && typeof value === "string") return localPath(value, scope);
  if (key === "additional_includes" && Array.isArray(value)) {
    return value.map((item: unknown) => (typeof item === "string" ? localPath(item, scope) : item));
  }
  if (key === "environment" && isMapping(value)) {
    if (typeof value["conda_file"] === "string") value["conda_file"] = localPath(value["conda_file"], scope);
    const build = value["build"];
    if (isMapping(build) && typeof build["path"] === "string") build["path"] = localPath(build["path"], scope);
    return value;
  }
  if (key === "task" && isMapping(value)) {
    for (const [inner, item] of Object.entries(value)) value[inner] = relocateOpaque(inner, item, scope);
  }
  return value;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
