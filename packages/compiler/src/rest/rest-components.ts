/**
 * Components and nodes in REST form. Every component defined in the pipeline is registered as an
 * anonymous component version (name `azureml_anonymous`, version = MD5 of its spec with sorted
 * keys, without name and version, as a UUID), so the same definition always gives the same
 * version and registering it again changes nothing. Nodes name their component by ARM id.
 */
import type { CommandComponentModel, ComponentModel, DistributionModel, NodeModel, OpaqueComponentModel, PipelineComponentModel } from "@pipewright/dsl";
import { environment, inputPort, outputPort, plainMap, ports, resources, structuredCopy } from "../emit/fields.js";
import { isNodeOnlyComponent } from "../load/nodes.js";
import { canonicalJson, md5Uuid } from "./canonical-json.js";
import { codeSnapshotKey, componentCodeSnapshot, isComponentReference } from "./local-assets.js";
import { outputMode, restInput, type RestMap, type ValueContext } from "./rest-values.js";
import { assetArmId, assetReference, computeArmId, type WorkspaceScope } from "./workspace-ids.js";

export const ANONYMOUS_COMPONENT_NAME = "azureml_anonymous";
/** What pipewright writes as `_source` (the SDK writes "DSL" or "YAML.COMPONENT"). */
export const REST_SOURCE = "DSL";

export interface RestComponentVersion {
  /** The component's own name in the pipeline. */
  readonly component: string;
  readonly name: string;
  readonly version: string;
  /** ARM id: what nodes put in `componentId`. */
  readonly id: string;
  /** The ComponentVersions_CreateOrUpdate body. */
  readonly body: { readonly properties: RestMap };
}

export interface ComponentContext extends ValueContext {
  readonly workspace: WorkspaceScope;
  /** Absolute code folder -> ARM id of its code version. */
  readonly code: ReadonlyMap<string, string>;
  /** Registration order: a pipeline component after the components its nodes use. */
  readonly registered: RestComponentVersion[];
  readonly byModel: Map<ComponentModel, RestComponentVersion>;
  /** Names of the job's own inputs, when rendering its top-level nodes (undefined inside components). */
  readonly jobInputs: ReadonlySet<string> | undefined;
}

/** The anonymous version of a component spec: MD5 over its sorted-key JSON without name/version/id. */
export function anonymousVersion(spec: RestMap): string {
  const { name: _name, version: _version, id: _id, ...rest } = spec;
  return md5Uuid(canonicalJson(rest));
}

const DISTRIBUTION_TYPES: Readonly<Record<string, string>> = { mpi: "Mpi", pytorch: "PyTorch", tensorflow: "TensorFlow", ray: "Ray" };

function restDistribution(model: DistributionModel): RestMap {
  const out: RestMap = { distribution_type: DISTRIBUTION_TYPES[model.type] ?? model.type };
  if ((model.type === "mpi" || model.type === "pytorch") && model.processCountPerInstance !== undefined) out["process_count_per_instance"] = model.processCountPerInstance;
  if (model.type === "tensorflow") {
    if (model.workerCount !== undefined) out["worker_count"] = model.workerCount;
    if (model.parameterServerCount !== undefined) out["parameter_server_count"] = model.parameterServerCount;
  }
  for (const [key, value] of Object.entries(model.extra ?? {})) if (!(key in out)) out[key] = structuredCopy(value);
  return out;
}

function set(out: RestMap, key: string, value: unknown): void {
  if (value !== undefined) out[key] = value;
}

function codeId(component: ComponentModel, at: string, ctx: ComponentContext): string | undefined {
  const snapshot = componentCodeSnapshot(component, ctx.fallbackDir);
  const folder = snapshot.written;
  if (folder === undefined) return undefined;
  const absolute = snapshot.folder;
  if (absolute === undefined) return assetReference(ctx.workspace, "codes", folder);
  const id = ctx.code.get(codeSnapshotKey(absolute, snapshot.includes));
  if (id === undefined) ctx.problems.push({ severity: "error", path: at, message: `the code folder '${folder}' was not uploaded (no code version for ${absolute}${snapshot.includes.length ? " with its additional_includes" : ""})` });
  return id;
}

function restEnvironment(env: CommandComponentModel["environment"], component: ComponentModel, at: string, ctx: ComponentContext): unknown {
  if (env === undefined) return undefined;
  if (typeof env === "string") return assetReference(ctx.workspace, "environments", env);
  ctx.problems.push({
    severity: "warning",
    path: at,
    message: "an inline environment is sent as written and is not registered; register it (az ml environment create) and refer to it as azureml:name:version for reproducible runs",
  });
  return environment(env, { baseDir: component.baseDir, fileDir: component.baseDir ?? "/" });
}

function header(component: ComponentModel): RestMap {
  const out: RestMap = { name: ANONYMOUS_COMPONENT_NAME, version: "", display_name: component.displayName ?? component.name, type: component.type };
  set(out, "description", component.description);
  set(out, "tags", plainMap(component.tags));
  set(out, "is_deterministic", component.isDeterministic);
  set(out, "inputs", ports(component.inputs, inputPort));
  set(out, "outputs", ports(component.outputs, outputPort));
  return out;
}

function commandSpec(component: CommandComponentModel, at: string, ctx: ComponentContext): RestMap {
  const out = header(component);
  out["command"] = component.command;
  set(out, "code", codeId(component, at, ctx));
  set(out, "environment", restEnvironment(component.environment, component, at, ctx));
  set(out, "resources", component.resources && resources(component.resources));
  set(out, "distribution", component.distribution && restDistribution(component.distribution));
  set(out, "properties", component.properties && structuredCopy(component.properties));
  for (const [key, value] of Object.entries(component.extra ?? {})) if (!(key in out) && value !== undefined) out[key] = structuredCopy(value);
  return out;
}

function opaqueSpec(component: OpaqueComponentModel, at: string, ctx: ComponentContext): RestMap {
  const out = header(component);
  for (const [key, value] of Object.entries(component.body)) {
    if (key in out || value === undefined) continue;
    if (key === "code" && typeof value === "string") set(out, "code", codeId(component, at, ctx));
    else if (key === "environment" && typeof value === "string") out[key] = assetReference(ctx.workspace, "environments", value);
    else out[key] = structuredCopy(value);
  }
  for (const [key, value] of Object.entries(component.extra ?? {})) if (!(key in out) && value !== undefined) out[key] = structuredCopy(value);
  return out;
}

function pipelineSpec(component: PipelineComponentModel, at: string, ctx: ComponentContext): RestMap {
  const out = header(component);
  out["jobs"] = restNodes(component.jobs, component.baseDir, at, { ...ctx, jobInputs: undefined });
  return out;
}

/** Registers (in `ctx.registered`) a component and everything it uses; returns its version. */
export function registerComponent(component: ComponentModel, at: string, ctx: ComponentContext): RestComponentVersion {
  const known = ctx.byModel.get(component);
  if (known) return known;
  const spec =
    component.type === "command"
      ? commandSpec(component as CommandComponentModel, at, ctx)
      : component.type === "pipeline"
        ? pipelineSpec(component as PipelineComponentModel, at, ctx)
        : opaqueSpec(component as OpaqueComponentModel, at, ctx);
  spec["_source"] = REST_SOURCE;
  const version = anonymousVersion(spec);
  spec["version"] = version;
  const properties: RestMap = { componentSpec: spec, isAnonymous: true };
  set(properties, "description", component.description);
  set(properties, "tags", plainMap(component.tags));
  const registered: RestComponentVersion = {
    component: component.name,
    name: ANONYMOUS_COMPONENT_NAME,
    version,
    id: assetArmId(ctx.workspace, "components", ANONYMOUS_COMPONENT_NAME, version),
    body: { properties },
  };
  // Two models with the same definition are one version: register it once.
  if (!ctx.registered.some((r) => r.id === registered.id)) ctx.registered.push(registered);
  ctx.byModel.set(component, registered);
  return registered;
}

/** The free-form `jobs` map of a pipeline job or pipeline component. */
export function restNodes(nodes: readonly NodeModel[], baseDir: string | undefined, at: string, ctx: ComponentContext): RestMap {
  const out: RestMap = {};
  for (const node of nodes) {
    const rendered = restNode(node, baseDir, `${at}/${node.name}`, ctx);
    if (rendered) out[node.name] = rendered;
  }
  return out;
}

function restNode(node: NodeModel, pipelineBaseDir: string | undefined, at: string, ctx: ComponentContext): RestMap | undefined {
  const component = node.component;
  if (!isComponentReference(component) && isNodeOnlyComponent(component)) {
    ctx.problems.push({ severity: "error", path: at, message: `a ${node.type} node cannot be submitted to Azure ML by pipewright yet; only command, pipeline and registered-component nodes can` });
    return undefined;
  }
  if (node.type === "sweep") {
    ctx.problems.push({ severity: "error", path: at, message: "a sweep node cannot be submitted to Azure ML by pipewright yet" });
    return undefined;
  }
  const componentId = isComponentReference(component) ? assetReference(ctx.workspace, "components", component.ref) : registerComponent(component, at, ctx).id;
  const out: RestMap = { type: isComponentReference(component) ? node.type : component.type === "command" ? "command" : node.type, name: node.name, componentId };
  set(out, "display_name", node.displayName);
  set(out, "description", node.description);
  set(out, "tags", plainMap(node.tags));
  if (node.compute !== undefined) out["computeId"] = computeArmId(ctx.workspace, node.compute);
  const callerDir = node.location?.file === undefined ? pipelineBaseDir : node.location.file.replace(/\\/g, "/").replace(/\/[^/]*$/, "");
  const inputs: RestMap = {};
  for (const [name, binding] of Object.entries(node.inputs)) {
    // A binding to a job input that has no value is left out, as the SDK leaves out None inputs.
    if (binding.kind === "parent_input" && ctx.jobInputs !== undefined && !ctx.jobInputs.has(binding.input)) continue;
    const value = restInput("node", binding, callerDir, `${at}/inputs/${name}`, ctx);
    if (value !== undefined) inputs[name] = value;
  }
  out["inputs"] = inputs;
  const outputs: RestMap = {};
  const declared = isComponentReference(component) ? {} : component.outputs;
  for (const [name, settings] of Object.entries(node.outputs)) {
    const mode = outputMode(settings.mode);
    if (settings.bindTo !== undefined) {
      const bound: RestMap = { type: "literal", value: `\${{parent.outputs.${settings.bindTo}}}` };
      set(bound, "mode", mode);
      outputs[name] = bound;
      continue;
    }
    if (mode === undefined && settings.path === undefined && settings.type === undefined) continue;
    const output: RestMap = { job_output_type: settings.type ?? declared[name]?.type ?? "uri_folder" };
    set(output, "uri", settings.path);
    set(output, "mode", mode);
    outputs[name] = output;
  }
  out["outputs"] = outputs;
  if (node.environment !== undefined) out["environment"] = typeof node.environment === "string" ? assetReference(ctx.workspace, "environments", node.environment) : environment(node.environment, { baseDir: callerDir, fileDir: callerDir ?? "/" });
  set(out, "environment_variables", plainMap(node.environmentVariables));
  set(out, "resources", node.resources && resources(node.resources));
  set(out, "distribution", node.distribution && restDistribution(node.distribution));
  if (node.limits?.timeout !== undefined) out["limits"] = { job_limits_type: "Command", timeout: `PT${node.limits.timeout}S` };
  set(out, "properties", node.properties && structuredCopy(node.properties));
  out["_source"] = REST_SOURCE;
  return out;
}
