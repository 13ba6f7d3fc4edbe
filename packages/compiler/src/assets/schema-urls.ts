/** The `$schema` URL of each resource and asset kind (`az ml <kind> create -f`). */
import type { AssetModel } from "@pipewright/dsl";

const SCHEMA_BASE = "https://azuremlschemas.azureedge.net/latest/";

/** Schema file names (without `.schema.json`), keyed by kind or by `<kind>/<type>`. */
export const ASSET_SCHEMA_FILES = {
  workspace: "workspace",
  "compute/amlcompute": "amlCompute",
  "compute/computeinstance": "computeInstance",
  "compute/kubernetes": "kubernetesCompute",
  "compute/virtualmachine": "vmCompute",
  "datastore/azure_blob": "azureBlob",
  "datastore/azure_file": "azureFile",
  "datastore/azure_data_lake_gen1": "azureDataLakeGen1",
  "datastore/azure_data_lake_gen2": "azureDataLakeGen2",
  data: "data",
  model: "model",
  environment: "environment",
} as const;

export type AssetSchemaKey = keyof typeof ASSET_SCHEMA_FILES;

export function assetSchemaKey(asset: Exclude<AssetModel, { kind: "component" }>): AssetSchemaKey {
  if (asset.kind === "compute") return `compute/${asset.type}`;
  if (asset.kind === "datastore") return `datastore/${asset.type}`;
  return asset.kind;
}

export function assetSchemaUrl(asset: Exclude<AssetModel, { kind: "component" }>): string {
  return `${SCHEMA_BASE}${ASSET_SCHEMA_FILES[assetSchemaKey(asset)]}.schema.json`;
}

/** The schema key a `$schema` URL names, or undefined when it is not a resource or asset schema. */
export function assetSchemaKeyOfUrl(url: string): AssetSchemaKey | undefined {
  const file = /([A-Za-z0-9]+)\.schema\.json$/.exec(url)?.[1]?.toLowerCase();
  if (file === undefined) return undefined;
  for (const [key, name] of Object.entries(ASSET_SCHEMA_FILES)) if (name.toLowerCase() === file) return key as AssetSchemaKey;
  return undefined;
}
