/**
 * `compileRestBodies`: a pipeline job model to the PUT bodies the Python SDK sends (REST.md §2):
 * the anonymous component versions to register (in order) and the PipelineJob body. Pure and
 * deterministic; the ids of uploaded code folders and data come in through `resolution`.
 */
import { isPrimitiveKind, type PipelineJobModel } from "@pipewright/dsl";
import { plainMap, structuredCopy } from "../emit/fields.js";
import type { RestProblem } from "./local-assets.js";
import { REST_SOURCE, restNodes, type ComponentContext, type RestComponentVersion } from "./rest-components.js";
import { defaultBinding, outputMode, restInput, type RestMap } from "./rest-values.js";
import { computeArmId, datastoreArmId, type WorkspaceScope } from "./workspace-ids.js";

export interface RestResolution {
  /** Absolute code folder -> ARM id of its code version. */
  readonly code?: ReadonlyMap<string, string>;
  /** Absolute local data path -> the uri it was uploaded to (`azureml://datastores/...`). */
  readonly data?: ReadonlyMap<string, string>;
}

export interface RestCompileOptions {
  readonly workspace: WorkspaceScope;
  readonly resolution?: RestResolution;
  /** Folder that relative paths resolve against in models without a baseDir. */
  readonly fallbackDir?: string;
}

export interface RestBodies {
  /** ComponentVersions_CreateOrUpdate calls, in the order to make them. */
  readonly components: readonly RestComponentVersion[];
  /** The Jobs_CreateOrUpdate body. */
  readonly job: { readonly properties: RestMap };
  /** Errors mean the bodies must not be sent. */
  readonly problems: readonly RestProblem[];
}

function stringProperties(map: Readonly<Record<string, unknown>> | undefined): Record<string, string> | undefined {
  if (!map || Object.keys(map).length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(map)) out[key] = typeof value === "string" ? value : JSON.stringify(value);
  return out;
}

export function compileRestBodies(job: PipelineJobModel, options: RestCompileOptions): RestBodies {
  const problems: RestProblem[] = [];
  const ws = options.workspace;
  const fallbackDir = job.baseDir ?? options.fallbackDir;
  const root = job.pipeline.name;

  const inputs: RestMap = {};
  for (const [name, binding] of Object.entries(job.inputs)) {
    const value = restInput("job", binding, job.baseDir, `${root}/inputs/${name}`, { data: options.resolution?.data ?? new Map(), fallbackDir, problems });
    if (value !== undefined) inputs[name] = value;
  }
  for (const [name, port] of Object.entries(job.pipeline.inputs)) {
    if (name in job.inputs || port.default === undefined) continue;
    const value = restInput("job", defaultBinding(port.type, port.default, job.pipeline.baseDir), job.pipeline.baseDir, `${root}/inputs/${name}`, {
      data: options.resolution?.data ?? new Map(),
      fallbackDir,
      problems,
    });
    if (value !== undefined) inputs[name] = value;
  }
  for (const [name, value] of Object.entries(inputs)) {
    const port = job.pipeline.inputs[name];
    const map = value as RestMap;
    if (port?.description !== undefined) map["description"] = port.description;
    if (port && isPrimitiveKind(port.type) && map["jobInputType"] !== "literal") {
      problems.push({ severity: "error", path: `${root}/inputs/${name}`, message: `the ${port.type} input is given a data value` });
    }
  }

  const outputs: RestMap = {};
  const declared = job.pipeline.outputs;
  for (const name of [...Object.keys(declared), ...Object.keys(job.outputs).filter((n) => !(n in declared))]) {
    const settings = job.outputs[name] ?? {};
    const output: RestMap = { jobOutputType: settings.type ?? declared[name]?.type ?? "uri_folder" };
    const mode = outputMode(settings.mode ?? declared[name]?.mode);
    if (settings.path !== undefined) output["uri"] = settings.path;
    if (mode !== undefined) output["mode"] = mode;
    const description = settings.description ?? declared[name]?.description;
    if (description !== undefined) output["description"] = description;
    if (settings.name !== undefined || settings.version !== undefined) {
      problems.push({ severity: "warning", path: `${root}/outputs/${name}`, message: "registering a job output as a named asset (name/version) is not in the stable REST API; pipewright registers it when it watches the job complete (submit --watch, pipewright watch <job>, jobs.stream), or run `pipewright jobs register-outputs <job>`" });
    }
    outputs[name] = output;
  }

  const ctx: ComponentContext = {
    workspace: ws,
    code: options.resolution?.code ?? new Map(),
    data: options.resolution?.data ?? new Map(),
    fallbackDir,
    problems,
    registered: [],
    byModel: new Map(),
    jobInputs: new Set(Object.keys(inputs)),
  };
  const jobs = restNodes(job.pipeline.jobs, job.pipeline.baseDir, root, ctx);

  const settings: RestMap = {};
  const s = job.settings;
  if (s.defaultCompute !== undefined) settings["default_compute"] = computeArmId(ws, s.defaultCompute);
  if (s.defaultDatastore !== undefined) settings["default_datastore"] = datastoreArmId(ws, s.defaultDatastore);
  if (s.continueOnStepFailure !== undefined) settings["continue_on_step_failure"] = s.continueOnStepFailure;
  if (s.forceRerun !== undefined) settings["force_rerun"] = s.forceRerun;
  for (const [key, value] of Object.entries(s.extra ?? {})) if (!(key in settings) && value !== undefined) settings[key] = structuredCopy(value);
  settings["_source"] = REST_SOURCE;

  const properties: RestMap = { jobType: "Pipeline", displayName: job.displayName ?? job.pipeline.displayName ?? job.pipeline.name };
  properties["experimentName"] = job.experimentName ?? job.pipeline.name;
  if (job.description ?? job.pipeline.description) properties["description"] = job.description ?? job.pipeline.description;
  const tags = plainMap(job.tags);
  if (tags) properties["tags"] = tags;
  properties["properties"] = stringProperties(job.properties) ?? {};
  if (job.compute !== undefined) properties["computeId"] = computeArmId(ws, job.compute);
  properties["settings"] = settings;
  properties["inputs"] = inputs;
  properties["outputs"] = outputs;
  properties["jobs"] = jobs;
  return { components: ctx.registered, job: { properties }, problems };
}
