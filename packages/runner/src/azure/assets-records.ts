/**
 * What the Azure asset operations return: records shaped like the local registry's (name,
 * version, `azureml:<name>:<version>` id, type, path...) plus the ARM id, and for a creation
 * whether it created anything. Datastore and compute records never carry credentials.
 */
import { asMap, str, type JsonMap } from "./workspace-api.js";

/** Property under which pipewright records a version's content hash (echoed back by the service). */
export const CONTENT_HASH_PROPERTY = "pipewright.content_hash";

interface AzureAssetRecordBase {
  readonly name: string;
  readonly version: string;
  /** `azureml:<name>:<version>`, the reference a job uses to pin this version. */
  readonly id: string;
  readonly armId: string;
  readonly description?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly properties: Readonly<Record<string, string>>;
  /** Azure keeps no labels but `latest`; always empty (the field mirrors local records). */
  readonly labels: readonly string[];
  readonly archived: boolean;
  /** Milliseconds since the epoch (0 when the service gave no time). */
  readonly createdAt: number;
  /** `sha256:<hex>` pipewright recorded at creation, when it created the version. */
  readonly contentHash?: string;
  /** Set by createOrUpdate: false when an identical version already existed (nothing was sent). */
  readonly created?: boolean;
}

export interface AzureDataRecord extends AzureAssetRecordBase {
  readonly kind: "data";
  readonly type: string;
  /** The data URI (an uploaded local path becomes `azureml://datastores/.../LocalUpload/...`). */
  readonly path: string;
}

export interface AzureModelRecord extends AzureAssetRecordBase {
  readonly kind: "model";
  readonly type: string;
  readonly path: string;
}

export interface AzureEnvironmentRecord extends AzureAssetRecordBase {
  readonly kind: "environment";
  readonly image?: string;
  /** The conda file's text. */
  readonly condaFile?: string;
  /** The uploaded docker build context. */
  readonly build?: { readonly path: string; readonly dockerfilePath?: string };
  readonly osType?: string;
}

export interface AzureComponentRecord extends AzureAssetRecordBase {
  readonly kind: "component";
  readonly type: string;
  readonly displayName?: string;
}

export type AzureAssetRecord = AzureDataRecord | AzureModelRecord | AzureEnvironmentRecord | AzureComponentRecord;

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(asMap(value))) if (typeof item === "string") out[key] = item;
  return out;
}

function time(value: unknown): number {
  const ms = Date.parse(str(value) ?? "");
  return Number.isNaN(ms) ? 0 : ms;
}

function base(resource: JsonMap, name: string): Omit<AzureAssetRecordBase, "created"> {
  const props = asMap(resource["properties"]);
  const version = str(resource["name"]) ?? "";
  const properties = stringMap(props["properties"]);
  const description = str(props["description"]);
  const contentHash = properties[CONTENT_HASH_PROPERTY];
  return {
    name,
    version,
    id: `azureml:${name}:${version}`,
    armId: str(resource["id"]) ?? "",
    ...(description !== undefined ? { description } : {}),
    tags: stringMap(props["tags"]),
    properties,
    labels: [],
    archived: props["isArchived"] === true,
    createdAt: time(asMap(resource["systemData"])["createdAt"]),
    ...(contentHash !== undefined ? { contentHash } : {}),
  };
}

/** The asset name of a version resource: the segment before `/versions/` in its ARM id. */
function assetName(resource: JsonMap, fallback: string): string {
  const match = /\/([^/]+)\/versions\/[^/]+$/.exec(str(resource["id"]) ?? "");
  return match?.[1] !== undefined ? decodeURIComponent(match[1]) : fallback;
}

export function dataRecord(resource: JsonMap, name?: string): AzureDataRecord {
  const props = asMap(resource["properties"]);
  return { kind: "data", ...base(resource, assetName(resource, name ?? "")), type: str(props["dataType"]) ?? "uri_folder", path: str(props["dataUri"]) ?? "" };
}

export function modelRecord(resource: JsonMap, name?: string): AzureModelRecord {
  const props = asMap(resource["properties"]);
  return { kind: "model", ...base(resource, assetName(resource, name ?? "")), type: str(props["modelType"]) ?? "custom_model", path: str(props["modelUri"]) ?? "" };
}

export function environmentRecord(resource: JsonMap, name?: string): AzureEnvironmentRecord {
  const props = asMap(resource["properties"]);
  const image = str(props["image"]);
  const conda = str(props["condaFile"]);
  const build = asMap(props["build"]);
  const context = str(build["contextUri"]);
  const dockerfile = str(build["dockerfilePath"]);
  const osType = str(props["osType"]);
  return {
    kind: "environment",
    ...base(resource, assetName(resource, name ?? "")),
    ...(image !== undefined ? { image } : {}),
    ...(conda !== undefined ? { condaFile: conda } : {}),
    ...(context !== undefined ? { build: { path: context, ...(dockerfile !== undefined ? { dockerfilePath: dockerfile } : {}) } } : {}),
    ...(osType !== undefined ? { osType } : {}),
  };
}

export function componentRecord(resource: JsonMap, name?: string): AzureComponentRecord {
  const spec = asMap(asMap(resource["properties"])["componentSpec"]);
  const displayName = str(spec["display_name"]);
  return { kind: "component", ...base(resource, assetName(resource, name ?? "")), type: str(spec["type"]) ?? "command", ...(displayName !== undefined ? { displayName } : {}) };
}

/** A datastore without its secrets: Azure returns only `{secretsType}` for them anyway. */
export interface AzureDatastoreRecord {
  readonly name: string;
  readonly armId: string;
  /** azure_blob, azure_file, azure_data_lake_gen1, azure_data_lake_gen2 (or the service's word). */
  readonly type: string;
  /** AccountKey, Sas, ServicePrincipal, Certificate or None. */
  readonly credentialsType: string;
  readonly isDefault: boolean;
  readonly accountName?: string;
  /** Container, file share, filesystem or store name. */
  readonly container?: string;
  readonly endpoint?: string;
  readonly protocol?: string;
  readonly description?: string;
  readonly tags: Readonly<Record<string, string>>;
}

const DATASTORE_TYPES: Readonly<Record<string, string>> = {
  AzureBlob: "azure_blob",
  AzureFile: "azure_file",
  AzureDataLakeGen1: "azure_data_lake_gen1",
  AzureDataLakeGen2: "azure_data_lake_gen2",
};

export function datastoreRecord(resource: JsonMap): AzureDatastoreRecord {
  const props = asMap(resource["properties"]);
  const type = str(props["datastoreType"]) ?? "";
  const container = str(props["containerName"]) ?? str(props["fileShareName"]) ?? str(props["filesystem"]) ?? str(props["storeName"]);
  const optional = { accountName: str(props["accountName"]), container, endpoint: str(props["endpoint"]), protocol: str(props["protocol"]), description: str(props["description"]) };
  return {
    name: str(resource["name"]) ?? "",
    armId: str(resource["id"]) ?? "",
    type: DATASTORE_TYPES[type] ?? type,
    credentialsType: str(asMap(props["credentials"])["credentialsType"]) ?? "None",
    isDefault: props["isDefault"] === true,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
    tags: stringMap(props["tags"]),
  };
}

export interface AzureComputeRecord {
  readonly name: string;
  readonly armId: string;
  /** amlcompute, computeinstance, kubernetes, virtualmachine (or the service's word). */
  readonly type: string;
  readonly location?: string;
  /** Creating, Succeeded, Failed... */
  readonly provisioningState: string;
  readonly size?: string;
  readonly minInstances?: number;
  readonly maxInstances?: number;
  readonly description?: string;
  readonly attached: boolean;
  readonly tags: Readonly<Record<string, string>>;
}

const COMPUTE_TYPES: Readonly<Record<string, string>> = { AmlCompute: "amlcompute", ComputeInstance: "computeinstance", Kubernetes: "kubernetes", VirtualMachine: "virtualmachine" };

export function computeRecord(resource: JsonMap): AzureComputeRecord {
  const props = asMap(resource["properties"]);
  const inner = asMap(props["properties"]);
  const scale = asMap(inner["scaleSettings"]);
  const type = str(props["computeType"]) ?? "";
  const optional = {
    location: str(props["computeLocation"]) ?? str(resource["location"]),
    size: str(inner["vmSize"]) ?? str(inner["virtualMachineSize"]),
    minInstances: typeof scale["minNodeCount"] === "number" ? scale["minNodeCount"] : undefined,
    maxInstances: typeof scale["maxNodeCount"] === "number" ? scale["maxNodeCount"] : undefined,
    description: str(props["description"]),
  };
  return {
    name: str(resource["name"]) ?? "",
    armId: str(resource["id"]) ?? "",
    type: COMPUTE_TYPES[type] ?? type,
    provisioningState: str(props["provisioningState"]) ?? "Unknown",
    attached: props["isAttachedCompute"] === true,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
    tags: stringMap(resource["tags"]),
  };
}

export interface AzureWorkspaceRecord {
  readonly name: string;
  readonly armId: string;
  readonly location?: string;
  readonly displayName?: string;
  readonly provisioningState: string;
  readonly discoveryUrl?: string;
}

export function workspaceRecord(resource: JsonMap): AzureWorkspaceRecord {
  const props = asMap(resource["properties"]);
  const optional = { location: str(resource["location"]), displayName: str(props["friendlyName"]), discoveryUrl: str(props["discoveryUrl"]) };
  return {
    name: str(resource["name"]) ?? "",
    armId: str(resource["id"]) ?? "",
    provisioningState: str(props["provisioningState"]) ?? "Unknown",
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
  };
}
