/** A pipeline job document: its inputs and outputs become the ports of its pipeline. */
import type {
  BindingModel,
  InputPortModel,
  JobOutputModel,
  OutputPortModel,
  PipelineComponentModel,
  PipelineJobModel,
  PipelineSettingsModel,
} from "@pipewright/dsl";
import { basename, dirname } from "node:path/posix";
import { literalKind, loadBinding, loadJobOutput } from "./bindings.js";
import { loadComponentRef } from "./components.js";
import { describe, type FileScope } from "./context.js";
import { isReference, loadJobs } from "./nodes.js";
import { defined, isMap, MapReader } from "./reader.js";
import type { KeyPath } from "./source.js";

const JOB_KNOWN = ["identity", "services", "id", "status", "log_files", "creation_context", "is_deterministic", "version"];
const SETTINGS_KNOWN = ["on_init", "on_finalize", "default_compute", "default_datastore", "continue_on_step_failure", "force_rerun"];

export function loadPipelineJobValue(scope: FileScope, value: Record<string, unknown>): PipelineJobModel | undefined {
  const r = new MapReader(scope, value, []);
  r.skip("$schema");
  const type = r.string("type");
  if (type !== undefined && type !== "pipeline") {
    r.wrongType("type", "'pipeline' for a pipeline job", type);
    return undefined;
  }
  const { inputs, ports: inputPorts } = jobInputs(scope, r.take("inputs"), ["inputs"]);
  const { outputs, ports: outputPorts } = jobOutputs(scope, r.take("outputs"), ["outputs"]);
  const settings = loadSettings(scope, r.take("settings"), ["settings"]);

  let pipeline: PipelineComponentModel | undefined;
  let named = false;
  if (r.has("jobs") && r.has("component")) {
    scope.report("PW3112", "A pipeline job has either 'jobs' or 'component', not both. Remove one of them.", ["component"]);
  }
  if (r.has("component") && !r.has("jobs")) {
    const component = loadComponentRef(scope, r.take("component"), ["component"], "pipeline");
    if (component && isReference(component)) {
      scope.report(
        "PW3111",
        `This pipeline job runs the registered pipeline component '${component.ref}'; pipewright needs the component's definition. Refer to its YAML file instead.`,
        ["component"],
        "value",
      );
      return undefined;
    }
    if (component && component.type !== "pipeline") {
      scope.report("PW3106", `A pipeline job's 'component' must be a pipeline component, but it is a ${component.type} component.`, ["component"], "value");
      return undefined;
    }
    if (!component) return undefined;
    pipeline = component as PipelineComponentModel;
    named = true;
  } else {
    const jobsValue = r.take("jobs");
    if (jobsValue === undefined) r.missing("jobs", "a pipeline job lists its nodes under 'jobs'");
    r.skip("component");
    const jobs = loadJobs(scope, jobsValue, ["jobs"], { inputs: inputPorts, outputs: outputPorts });
    pipeline = {
      type: "pipeline",
      name: pipelineName(scope.source.file),
      inputs: inputPorts,
      outputs: outputPorts,
      jobs,
      baseDir: scope.baseDir,
      location: scope.at([]),
    };
  }

  return defined<PipelineJobModel>({
    type: "pipeline_job",
    name: r.string("name"),
    displayName: r.string("display_name"),
    description: r.string("description"),
    experimentName: r.string("experiment_name"),
    tags: r.stringMap("tags"),
    properties: r.map("properties"),
    compute: r.string("compute"),
    settings,
    inputs,
    outputs,
    pipeline,
    asComponent: named || undefined,
    baseDir: scope.baseDir,
    location: scope.at([]),
    extra: r.rest(JOB_KNOWN, "the pipeline job"),
  } as PipelineJobModel);
}

function jobInputs(scope: FileScope, value: unknown, path: KeyPath): { inputs: Record<string, BindingModel>; ports: Record<string, InputPortModel> } {
  const inputs: Record<string, BindingModel> = {};
  const ports: Record<string, InputPortModel> = {};
  if (value === undefined || value === null) return { inputs, ports };
  if (!isMap(value)) {
    scope.report("PW3106", `'inputs' must be a mapping of input names to values, but it is ${describe(value)}.`, path, "value");
    return { inputs, ports };
  }
  for (const [name, item] of Object.entries(value)) {
    const at = [...path, name];
    const binding = loadBinding(scope, item, at);
    inputs[name] = binding;
    let type = "string";
    if (binding.kind === "data") type = binding.type;
    else if (binding.kind === "literal") type = literalKind(binding.value, scope.source.sourceText(at));
    else if (isMap(item) && typeof item["type"] === "string") type = item["type"];
    ports[name] = { type, location: scope.at(at) };
  }
  return { inputs, ports };
}

function jobOutputs(scope: FileScope, value: unknown, path: KeyPath): { outputs: Record<string, JobOutputModel>; ports: Record<string, OutputPortModel> } {
  const outputs: Record<string, JobOutputModel> = {};
  const ports: Record<string, OutputPortModel> = {};
  if (value === undefined || value === null) return { outputs, ports };
  if (!isMap(value)) {
    scope.report("PW3106", `'outputs' must be a mapping of output names to settings, but it is ${describe(value)}.`, path, "value");
    return { outputs, ports };
  }
  for (const [name, item] of Object.entries(value)) {
    const output = loadJobOutput(scope, item, [...path, name]);
    if (!output) continue;
    outputs[name] = output;
    ports[name] = { type: output.type ?? "uri_folder", location: scope.at([...path, name]) };
  }
  return { outputs, ports };
}

function loadSettings(scope: FileScope, value: unknown, path: KeyPath): PipelineSettingsModel {
  if (value === undefined || value === null) return {};
  if (!isMap(value)) {
    scope.report("PW3106", `'settings' must be a mapping (default_compute, default_datastore...), but it is ${describe(value)}.`, path, "value");
    return {};
  }
  const r = new MapReader(scope, value, path);
  return defined<PipelineSettingsModel>({
    defaultCompute: r.string("default_compute"),
    defaultDatastore: r.string("default_datastore"),
    continueOnStepFailure: r.boolean("continue_on_step_failure"),
    forceRerun: r.boolean("force_rerun"),
    extra: r.rest(SETTINGS_KNOWN, "settings"),
  } as PipelineSettingsModel);
}

/** A component name for the job's pipeline, from the file name: `hello-pipeline.yml` -> `hello_pipeline`. */
function pipelineName(file: string): string {
  let stem = basename(file).replace(/\.(ya?ml)$/i, "");
  // `pipeline.yml` says nothing; its folder names the sample.
  if (/^(pipeline|job|main)$/i.test(stem)) stem = basename(dirname(file)) || stem;
  const name = stem.toLowerCase().replace(/[^a-z0-9_]+/g, "_").replace(/^_+|_+$/g, "");
  return /^[a-z]/.test(name) ? name : `pipeline_${name}`;
}
