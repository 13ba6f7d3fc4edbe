/**
 * Model pieces to plain YAML data in Azure's snake_case, in a fixed key order. Every function
 * returns fresh objects; `undefined` fields are left out, and each model's `extra` keys are
 * appended verbatim (sorted) after the modelled ones, never overriding them.
 */
import type {
  BindingModel,
  DataBindingModel,
  DistributionModel,
  EnvironmentModel,
  Extra,
  InputPortModel,
  JobOutputModel,
  NodeOutputModel,
  OutputPortModel,
  PipelineSettingsModel,
  ResourcesModel,
  ServiceModel,
} from "@pipewright/dsl";
import { relocatePath } from "./paths.js";

export type YamlMap = Record<string, unknown>;

/** Sets `key` when `value` is defined. */
export function put(target: YamlMap, key: string, value: unknown): void {
  if (value !== undefined) target[key] = value;
}

/** Appends unmodelled keys (kept verbatim from YAML) in sorted order; modelled keys win. */
export function putExtra(target: YamlMap, extra: Extra | undefined): void {
  if (!extra) return;
  for (const key of Object.keys(extra).sort()) {
    if (!(key in target) && extra[key] !== undefined) target[key] = extra[key];
  }
}

/** A copy of a user-keyed map, or undefined when absent or empty. */
export function plainMap<V>(map: Readonly<Record<string, V>> | undefined): Record<string, V> | undefined {
  if (!map || Object.keys(map).length === 0) return undefined;
  return { ...map };
}

export function inputPort(port: InputPortModel): YamlMap {
  const out: YamlMap = { type: port.type };
  put(out, "description", port.description);
  put(out, "optional", port.optional);
  put(out, "default", port.default);
  put(out, "min", port.min);
  put(out, "max", port.max);
  put(out, "enum", port.enum && [...port.enum]);
  put(out, "mode", port.mode);
  putExtra(out, port.extra);
  return out;
}

export function outputPort(port: OutputPortModel): YamlMap {
  const out: YamlMap = { type: port.type };
  put(out, "description", port.description);
  put(out, "mode", port.mode);
  put(out, "is_control", port.isControl);
  putExtra(out, port.extra);
  return out;
}

export function ports<P>(ports: Readonly<Record<string, P>>, render: (port: P) => YamlMap): YamlMap | undefined {
  const names = Object.keys(ports);
  if (names.length === 0) return undefined;
  const out: YamlMap = {};
  for (const name of names) out[name] = render(ports[name] as P);
  return out;
}

/** Where the paths inside a piece of model resolve from, and where the emitted file lives. */
export interface PathScope {
  /** Absolute folder relative paths in the model resolve against. */
  readonly baseDir: string | undefined;
  /** Absolute folder of the emitted file. */
  readonly fileDir: string;
}

export function localPath(path: string, scope: PathScope): string {
  return relocatePath(path, scope.baseDir, scope.fileDir);
}

export function environment(env: EnvironmentModel, scope: PathScope): unknown {
  if (typeof env === "string") return env;
  const out: YamlMap = {};
  put(out, "name", env.name);
  put(out, "version", env.version);
  put(out, "description", env.description);
  put(out, "image", env.image);
  if (env.build) {
    const build: YamlMap = { path: localPath(env.build.path, scope) };
    put(build, "dockerfile_path", env.build.dockerfilePath);
    out["build"] = build;
  }
  if (typeof env.condaFile === "string") out["conda_file"] = localPath(env.condaFile, scope);
  else put(out, "conda_file", env.condaFile && structuredCopy(env.condaFile));
  put(out, "os_type", env.osType);
  putExtra(out, env.extra);
  return out;
}

export function resources(model: ResourcesModel): YamlMap {
  const out: YamlMap = {};
  put(out, "instance_count", model.instanceCount);
  put(out, "instance_type", model.instanceType);
  put(out, "shm_size", model.shmSize);
  put(out, "max_instance_count", model.maxInstanceCount);
  put(out, "docker_args", model.dockerArgs);
  put(out, "locations", model.locations && [...model.locations]);
  put(out, "properties", model.properties && structuredCopy(model.properties));
  putExtra(out, model.extra);
  return out;
}

/** `services`: name -> service, in Azure's snake_case. */
export function services(model: Readonly<Record<string, ServiceModel>>): YamlMap {
  const out: YamlMap = {};
  for (const [name, service] of Object.entries(model)) {
    const entry: YamlMap = {};
    put(entry, "type", service.type);
    put(entry, "port", service.port);
    put(entry, "nodes", service.nodes && structuredCopy(service.nodes));
    put(entry, "properties", service.properties && structuredCopy(service.properties));
    put(entry, "ssh_public_keys", service.sshPublicKeys);
    put(entry, "log_dir", service.logDir);
    putExtra(entry, service.extra);
    out[name] = entry;
  }
  return out;
}

export function distribution(model: DistributionModel): YamlMap {
  const out: YamlMap = { type: model.type };
  if (model.type === "mpi" || model.type === "pytorch") {
    put(out, "process_count_per_instance", model.processCountPerInstance);
  } else if (model.type === "tensorflow") {
    put(out, "worker_count", model.workerCount);
    put(out, "parameter_server_count", model.parameterServerCount);
  }
  putExtra(out, model.extra);
  return out;
}

export function settings(model: PipelineSettingsModel): YamlMap | undefined {
  const out: YamlMap = {};
  put(out, "default_compute", model.defaultCompute);
  put(out, "default_datastore", model.defaultDatastore);
  put(out, "continue_on_step_failure", model.continueOnStepFailure);
  put(out, "force_rerun", model.forceRerun);
  putExtra(out, model.extra);
  return Object.keys(out).length ? out : undefined;
}

export function dataInput(model: DataBindingModel, scope: PathScope): YamlMap {
  const out: YamlMap = { type: model.type };
  put(out, "path", model.path === undefined ? undefined : localPath(model.path, { ...scope, baseDir: model.baseDir ?? scope.baseDir }));
  put(out, "mode", model.mode);
  put(out, "path_on_compute", model.pathOnCompute);
  put(out, "datastore", model.datastore);
  putExtra(out, model.extra);
  return out;
}

/**
 * A node or job input value: literals bare, bindings as `${{parent...}}` strings (never with a
 * `type`: Azure drops it for bound inputs), data as a {type, path, mode} mapping. Invalid
 * bindings are reported by the checks, so they are left out here.
 */
export function bindingValue(binding: BindingModel, scope: PathScope): unknown {
  switch (binding.kind) {
    case "literal":
      return binding.value;
    case "parent_input":
      return `\${{parent.inputs.${binding.input}}}`;
    case "node_output":
      return `\${{parent.jobs.${binding.node}.outputs.${binding.output}}}`;
    case "data":
      return dataInput(binding, scope);
    case "raw":
      return structuredCopy(binding.value);
    case "invalid":
      return undefined;
  }
}

export function parentOutputBinding(output: string): string {
  return `\${{parent.outputs.${output}}}`;
}

/** Output settings (node or job level): a mapping, or null (`key:`) when nothing is set. */
export function outputSettings(model: NodeOutputModel | JobOutputModel): YamlMap | null {
  const out: YamlMap = {};
  put(out, "type", model.type);
  put(out, "mode", model.mode);
  put(out, "path", model.path);
  put(out, "name", model.name);
  put(out, "version", model.version);
  put(out, "description", "description" in model ? model.description : undefined);
  putExtra(out, model.extra);
  return Object.keys(out).length ? out : null;
}

/** A deep copy of plain data, so emitted documents never share objects with the frozen model. */
export function structuredCopy<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => structuredCopy(item)) as T;
  if (typeof value === "object" && value !== null) {
    const out: YamlMap = {};
    for (const [key, field] of Object.entries(value)) out[key] = structuredCopy(field);
    return out as T;
  }
  return value;
}
