/** Component documents (command, pipeline, other kinds kept opaque) and references to them. */
import type {
  CommandComponentModel,
  ComponentModel,
  ComponentReferenceModel,
  OpaqueComponentModel,
  PipelineComponentModel,
} from "@pipewright/dsl";
import { describe, type FileScope } from "./context.js";
import { displayPath, openFile, resolveLocal, withinFile } from "./files.js";
import { loadJobs } from "./nodes.js";
import { loadInputPorts, loadOutputPorts } from "./ports.js";
import { defined, isMap, MapReader } from "./reader.js";
import { loadDistribution, loadEnvironment, loadResources } from "./runtime.js";
import type { KeyPath } from "./source.js";

const COMMON = ["$schema", "type", "name", "version", "display_name", "description", "tags", "is_deterministic", "inputs", "outputs"];
const DUMP_ONLY = ["id", "creation_context", "latest_version"];
const COMMAND_KNOWN = [...DUMP_ONLY, "queue_settings", "services"];

/** A component mapping: a whole file, or written inline under a node's `component:`. */
export function loadComponentValue(
  scope: FileScope,
  value: unknown,
  path: KeyPath,
  options: { readonly impliedType?: string } = {},
): ComponentModel | undefined {
  if (!isMap(value)) {
    scope.report("PW3106", `A component must be a mapping (type, name, inputs, outputs...), but it is ${describe(value)}.`, path, "value");
    return undefined;
  }
  const r = new MapReader(scope, value, path);
  let type = r.string("type");
  if (type === undefined) {
    if (r.has("jobs")) type = "pipeline";
    else if (r.has("command")) type = "command";
    else if (options.impliedType) type = options.impliedType;
    else {
      r.missing("type", "the component kind, e.g. 'type: command'");
      return undefined;
    }
  }
  r.skip("$schema");
  const common = {
    name: r.string("name") ?? "",
    version: r.stringish("version"),
    displayName: r.string("display_name"),
    description: r.string("description"),
    tags: r.stringMap("tags"),
    isDeterministic: r.boolean("is_deterministic"),
    inputs: loadInputPorts(scope, r.take("inputs"), r.child("inputs")),
    outputs: loadOutputPorts(scope, r.take("outputs"), r.child("outputs")),
    baseDir: scope.baseDir,
    location: scope.at(path.length ? path : []),
  };
  if (type === "command") {
    if (!r.has("name") && path.length === 0) r.missing("name", "a command component needs a name");
    return defined<CommandComponentModel>({
      ...common,
      type: "command",
      command: r.string("command", { required: "the command line the component runs" }) ?? "",
      code: r.string("code"),
      environment: loadEnvironment(scope, r.take("environment"), r.child("environment")),
      resources: loadResources(scope, r.take("resources"), r.child("resources")),
      distribution: loadDistribution(scope, r.take("distribution"), r.child("distribution")),
      additionalIncludes: r.stringList("additional_includes"),
      properties: r.map("properties"),
      extra: r.rest(COMMAND_KNOWN, "the command component"),
    } as CommandComponentModel);
  }
  if (type === "pipeline") {
    const jobsValue = r.take("jobs");
    const jobs = loadJobs(scope, jobsValue, r.child("jobs"), { inputs: common.inputs, outputs: common.outputs });
    if (jobsValue === undefined) r.missing("jobs", "a pipeline component needs its nodes under 'jobs'");
    return defined<PipelineComponentModel>({
      ...common,
      type: "pipeline",
      jobs,
      extra: r.rest(DUMP_ONLY, "the pipeline component"),
    } as PipelineComponentModel);
  }
  // Spark, parallel, data transfer, flow...: kept whole; the backends say what they cannot run.
  const body: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (!COMMON.includes(key) || key === "$schema") body[key] = item;
  delete body["type"];
  return defined<OpaqueComponentModel>({ ...common, type, body } as OpaqueComponentModel);
}

/**
 * A node's `component:` (or a sweep's `trial:`): a file path (plain or `file:`), an
 * `azureml:` / `azureml://registries/` reference, or an inline mapping.
 */
export function loadComponentRef(
  scope: FileScope,
  value: unknown,
  path: KeyPath,
  impliedType: string,
): ComponentModel | ComponentReferenceModel | undefined {
  if (isMap(value)) return loadComponentValue(scope, value, path, { impliedType });
  if (typeof value !== "string" || value.trim() === "") {
    scope.report(
      "PW3106",
      `'${String(path[path.length - 1])}' must be a component file path, an 'azureml:' reference or an inline component, but it is ${describe(value)}.`,
      path,
      "value",
    );
    return undefined;
  }
  if (value.startsWith("azureml:")) {
    if (!validReference(value)) {
      scope.report(
        "PW3111",
        `'${value}' is not a component reference Azure ML understands: use 'azureml:<name>:<version>', 'azureml:<name>@<label>' or 'azureml://registries/<registry>/components/<name>/versions/<version>'.`,
        path,
        "value",
      );
    }
    return { type: "reference", ref: value };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    scope.report("PW3111", `'${value}' is not a local file or an 'azureml:' reference; components cannot be loaded from URLs.`, path, "value");
    return undefined;
  }
  return loadComponentFile(scope, resolveLocal(scope.baseDir, value), path, impliedType);
}

export function loadComponentFile(from: FileScope, file: string, path: KeyPath, impliedType: string): ComponentModel | undefined {
  const ctx = from.ctx;
  const cached = ctx.components.get(file);
  if (cached) return cached;
  const at = from.at(path, "value");
  const model = withinFile(ctx, file, at, () => {
    const scope = openFile(ctx, file, at);
    if (!scope) return undefined;
    const loaded = loadComponentValue(scope, scope.source.value, [], { impliedType });
    // A prompt flow is read relative to its own folder: the model says where it is, so it is named, not copied.
    return loaded && isOpaque(loaded) && isFolderBound(scope.source.value) ? { ...loaded, sourceFile: file } : loaded;
  });
  if (model) ctx.components.set(file, model);
  else if (!ctx.diagnostics.some((d) => d.location?.file === from.source.file && d.location.line === at.line)) {
    from.report("PW3102", `The component ${displayPath(file, from.baseDir)} could not be loaded (see the diagnostics for that file).`, path, "value");
  }
  return model;
}

function isOpaque(component: ComponentModel): component is OpaqueComponentModel {
  return component.type !== "command" && component.type !== "pipeline";
}

/**
 * A file of a kind that depends on its own folder and is not an Azure ML component document: a
 * prompt flow (`$schema` under /promptflow/, or no `type` and a `flow` or `nodes` key).
 */
function isFolderBound(value: unknown): boolean {
  if (!isMap(value)) return false;
  const schema = value["$schema"];
  if (typeof schema === "string" && schema.includes("/promptflow/")) return true;
  return value["type"] === undefined && ("flow" in value || "nodes" in value);
}

function validReference(ref: string): boolean {
  if (ref.startsWith("azureml://")) {
    return /^azureml:\/\/(registries|feeds)\/[^/]+\/components\/[^/]+(\/(versions|labels)\/[^/]+)?$/.test(ref);
  }
  const rest = ref.slice("azureml:".length);
  if (rest.startsWith("/subscriptions/")) return true;
  return /^[A-Za-z0-9_.-]+((:[^:@\s]+)|(@[^:@\s]+))?$/.test(rest);
}
