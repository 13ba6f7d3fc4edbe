/** Environment, resources, distribution and services: shared by command components and command nodes. */
import type { DistributionModel, EnvironmentModel, InlineEnvironmentModel, ResourcesModel, ServiceModel } from "@pipewright/dsl";
import { describe, type FileScope } from "./context.js";
import { defined, isMap, MapReader } from "./reader.js";
import type { KeyPath } from "./source.js";

const ENVIRONMENT_KNOWN = ["tags", "inference_config", "properties", "$schema", "datastore", "auto_rebuild", "intellectual_property"];

export function loadEnvironment(scope: FileScope, value: unknown, path: KeyPath): EnvironmentModel | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (!isMap(value)) {
    scope.report("PW3106", `'environment' must be a reference such as 'azureml:name@latest' or a mapping with an image, but it is ${describe(value)}.`, path, "value");
    return undefined;
  }
  const r = new MapReader(scope, value, path);
  let condaFile: InlineEnvironmentModel["condaFile"];
  const conda = r.take("conda_file");
  if (typeof conda === "string" || isMap(conda)) condaFile = conda;
  else if (conda !== undefined && conda !== null) r.wrongType("conda_file", "a path or a conda mapping", conda);
  let build: InlineEnvironmentModel["build"];
  let buildExtra: Record<string, unknown> | undefined;
  const buildMap = r.map("build");
  if (buildMap) {
    const plain = Object.keys(buildMap).every((key) => key === "path" || key === "dockerfile_path");
    const b = new MapReader(scope, buildMap, r.child("build"));
    const buildPath = b.string("path", { required: "the folder holding the Docker build context" });
    const dockerfilePath = b.string("dockerfile_path");
    if (buildPath !== undefined && plain) build = dockerfilePath === undefined ? { path: buildPath } : { path: buildPath, dockerfilePath };
    else buildExtra = { build: buildMap };
  }
  const osType = r.string("os_type");
  const env = defined<InlineEnvironmentModel>({
    image: r.string("image"),
    condaFile,
    build,
    osType: osType === "linux" || osType === "windows" ? osType : undefined,
    name: r.stringish("name"),
    version: r.stringish("version"),
    description: r.string("description"),
    extra: merge(r.rest(ENVIRONMENT_KNOWN, "environment"), buildExtra),
  } as InlineEnvironmentModel);
  if (osType !== undefined && env.osType === undefined) {
    scope.report("PW3106", `'os_type' must be linux or windows, but it is ${describe(osType)}.`, [...path, "os_type"], "value");
  }
  return env;
}

export function loadResources(scope: FileScope, value: unknown, path: KeyPath): ResourcesModel | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isMap(value)) {
    scope.report("PW3106", `'resources' must be a mapping, but it is ${describe(value)}.`, path, "value");
    return undefined;
  }
  const r = new MapReader(scope, value, path);
  return defined<ResourcesModel>({
    instanceCount: r.integer("instance_count"),
    instanceType: r.string("instance_type"),
    shmSize: r.string("shm_size"),
    maxInstanceCount: r.integer("max_instance_count"),
    dockerArgs: r.string("docker_args"),
    locations: r.stringList("locations"),
    properties: r.map("properties"),
    // Azure keeps unknown resource keys, so they are not warned about.
    extra: r.rest([], "resources", { silent: true }),
  } as ResourcesModel);
}

export function loadDistribution(scope: FileScope, value: unknown, path: KeyPath): DistributionModel | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isMap(value)) {
    scope.report("PW3106", `'distribution' must be a mapping with a type (mpi, pytorch, tensorflow or ray), but it is ${describe(value)}.`, path, "value");
    return undefined;
  }
  const r = new MapReader(scope, value, path);
  const type = r.string("type", { required: "the distribution type: mpi, pytorch, tensorflow or ray" });
  if (type === undefined) return undefined;
  switch (type.toLowerCase()) {
    case "mpi":
    case "pytorch":
      return defined({
        type: type.toLowerCase() as "mpi" | "pytorch",
        processCountPerInstance: r.integer("process_count_per_instance"),
        extra: r.rest([], `${type} distribution`),
      }) as DistributionModel;
    case "tensorflow":
      return defined({
        type: "tensorflow" as const,
        workerCount: r.integer("worker_count"),
        parameterServerCount: r.integer("parameter_server_count"),
        extra: r.rest([], "tensorflow distribution"),
      }) as DistributionModel;
    case "ray":
      return defined({ type: "ray" as const, extra: r.rest([], "ray distribution", { silent: true }) }) as DistributionModel;
    default:
      scope.report("PW3106", `Distribution type '${type}' is not one of mpi, pytorch, tensorflow, ray.`, [...path, "type"], "value");
      return undefined;
  }
}

function merge(a: Record<string, unknown> | undefined, b: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  return a || b ? { ...a, ...b } : undefined;
}

/** The service keys pipewright models, with the value each must have (FIELDS.md §3). */
const SERVICE_FIELDS: Readonly<Record<string, (field: unknown) => boolean>> = {
  type: (field) => typeof field === "string",
  port: (field) => typeof field === "number" && Number.isInteger(field),
  nodes: isMap,
  properties: isMap,
  ssh_public_keys: (field) => typeof field === "string",
  log_dir: (field) => typeof field === "string",
};

/**
 * `services`: name -> service (ssh, jupyter_lab, tensor_board, vs_code, or a generic entry).
 * Undefined unless every entry is a mapping whose known keys have their types; the caller then
 * keeps the block verbatim.
 */
export function loadServices(scope: FileScope, value: unknown, path: KeyPath): Record<string, ServiceModel> | undefined {
  if (!isMap(value)) return undefined;
  const out: Record<string, ServiceModel> = {};
  for (const [name, item] of Object.entries(value)) {
    if (!isMap(item)) return undefined;
    if (Object.entries(SERVICE_FIELDS).some(([key, fits]) => item[key] !== undefined && !fits(item[key]))) return undefined;
    const r = new MapReader(scope, item, [...path, name]);
    out[name] = defined<ServiceModel>({
      type: r.string("type"),
      port: r.integer("port"),
      nodes: r.map("nodes"),
      properties: r.map("properties"),
      sshPublicKeys: r.string("ssh_public_keys"),
      logDir: r.string("log_dir"),
      extra: r.rest([], "service", { silent: true }),
    } as ServiceModel);
  }
  return out;
}
