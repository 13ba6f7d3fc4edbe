/**
 * Versioned assets: data, models and environments. A version left out is picked by Azure
 * (the next integer); relative local paths resolve against the declaring file's folder.
 */
import type {
  DataAssetModel,
  DataAssetType,
  EnvironmentAssetModel,
  ModelAssetModel,
  ModelAssetType,
} from "./asset-model.js";
import { copyMap, declarationSite, freezeDefinition, versionText, type DefinitionSpec } from "./common.js";

interface VersionedSpec extends DefinitionSpec {
  /** Letters, digits, `.`, `-`, `_`. @default the next version Azure assigns */
  readonly version?: string | number;
  readonly properties?: Readonly<Record<string, unknown>>;
}

/** What every versioned asset model takes from its spec, in the models' key order. */
function versionedFields(spec: VersionedSpec) {
  return {
    name: spec.name,
    version: versionText(spec.version),
    description: spec.description,
    tags: copyMap(spec.tags),
    properties: copyMap(spec.properties),
  };
}

export interface DataSpec extends VersionedSpec {
  readonly type: DataAssetType;
  /** Local path (relative to the declaring file), `azureml://datastores/<ds>/paths/<p>`, http(s), wasbs, abfss. */
  readonly path: string;
}

export function data(spec: DataSpec): DataAssetModel {
  const site = declarationSite();
  return freezeDefinition<DataAssetModel>({
    kind: "data",
    ...versionedFields(spec),
    type: spec.type,
    path: spec.path,
    ...site,
  });
}

export interface ModelSpec extends VersionedSpec {
  /** @default "custom_model" (Azure's) */
  readonly type?: ModelAssetType;
  /** Local file or folder (an `mlflow_model` folder holds an `MLmodel` file), or a job output / datastore URI. */
  readonly path: string;
}

export function model(spec: ModelSpec): ModelAssetModel {
  const site = declarationSite();
  return freezeDefinition<ModelAssetModel>({
    kind: "model",
    ...versionedFields(spec),
    type: spec.type,
    path: spec.path,
    ...site,
  });
}

export interface EnvironmentAssetSpec extends VersionedSpec {
  /** A docker image, e.g. `mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04`; excludes `build`. */
  readonly image?: string;
  /** A conda YAML file (relative to the declaring file) or the conda spec inline; goes with `image`. */
  readonly condaFile?: string | Readonly<Record<string, unknown>>;
  /** A docker build context folder (relative to the declaring file); excludes `image`. */
  readonly build?: { readonly path: string; readonly dockerfilePath?: string };
  readonly osType?: "linux" | "windows";
}

export function environment(spec: EnvironmentAssetSpec): EnvironmentAssetModel {
  const site = declarationSite();
  const conda = spec.condaFile;
  return freezeDefinition<EnvironmentAssetModel>({
    kind: "environment",
    ...versionedFields(spec),
    image: spec.image,
    condaFile: typeof conda === "object" ? structuredClone(conda) : conda,
    build: spec.build && freezeDefinition<NonNullable<EnvironmentAssetModel["build"]>>({ ...spec.build }),
    osType: spec.osType,
    ...site,
  });
}

/**
 * A reference to a curated (or any registered) environment, for a component's `environment`:
 * `curatedEnvironment("AzureML-sklearn-1.0-ubuntu20.04-py38-cpu")` is
 * `azureml:AzureML-sklearn-1.0-ubuntu20.04-py38-cpu@latest`; give `{ version }` or `{ label }`
 * to pin it, or `{ registry: "azureml" }` for the registry form.
 */
export function curatedEnvironment(
  name: string,
  options: { readonly version?: string | number; readonly label?: string; readonly registry?: string } = {},
): string {
  if (options.registry !== undefined) {
    const tail = options.version !== undefined ? `versions/${options.version}` : `labels/${options.label ?? "latest"}`;
    return `azureml://registries/${options.registry}/environments/${name}/${tail}`;
  }
  if (options.version !== undefined) return `azureml:${name}:${options.version}`;
  return `azureml:${name}@${options.label ?? "latest"}`;
}
