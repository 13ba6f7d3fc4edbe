/**
 * A validated resource or asset document (plain YAML data) to its model. Keys the format does
 * not list are kept in `extra`; credential fields become secret references when they hold a
 * `<secret:SOURCE:NAME>` placeholder, and inline secrets (value dropped) otherwise.
 */
import type {
  AmlComputeModel,
  AssetModel,
  ComputeInstanceModel,
  CredentialValue,
  DatastoreCredentialModel,
  EnvironmentAssetModel,
  NetworkSettingsModel,
  SourceLocation,
  StorageCredentialModel,
  TenantCredentialModel,
  VirtualMachineComputeModel,
} from "@pipewright/dsl";
import { tryParseSecretPlaceholder } from "@pipewright/dsl";
import { deepFreezeModel, cleaned, type Loose } from "./freeze.js";
import type { AssetSchemaKey } from "./schema-urls.js";
import { modelledKeys } from "./schemas.js";

type Doc = Readonly<Record<string, unknown>>;
export type Locate = (keys: readonly (string | number)[]) => SourceLocation;

export interface ReadContext {
  readonly key: AssetSchemaKey;
  readonly baseDir: string;
  readonly location: SourceLocation;
  readonly locate: Locate;
}

export function readAsset(doc: Doc, context: ReadContext): AssetModel {
  const common = {
    name: String(doc["name"]),
    description: str(doc["description"]),
    tags: tags(doc["tags"]),
    baseDir: context.baseDir,
    location: context.location,
    extra: extra(doc, modelledKeys(context.key)),
  };
  const versioned = { ...common, version: doc["version"] === undefined ? undefined : String(doc["version"]), properties: record(doc["properties"]) };
  const computeCommon = { ...common, kind: "compute" as const, region: str(doc["location"]) };
  const secretAt = (value: unknown, keys: readonly string[]): CredentialValue => credential(value, context.locate(keys));
  let model: Loose<AssetModel>;
  switch (context.key) {
    case "workspace":
      model = {
        ...common,
        kind: "workspace",
        displayName: str(doc["display_name"]),
        region: str(doc["location"]),
        resourceGroup: str(doc["resource_group"]),
        hbiWorkspace: bool(doc["hbi_workspace"]),
      };
      break;
    case "compute/amlcompute": {
      const ssh = record(doc["ssh_settings"]);
      const model_: Loose<AmlComputeModel> = {
        ...computeCommon,
        type: "amlcompute",
        size: str(doc["size"]),
        minInstances: num(doc["min_instances"]),
        maxInstances: num(doc["max_instances"]),
        idleTimeBeforeScaleDown: num(doc["idle_time_before_scale_down"]),
        tier: lower(doc["tier"]),
        sshPublicAccessEnabled: bool(doc["ssh_public_access_enabled"]),
        sshSettings: ssh && cleaned<NonNullable<AmlComputeModel["sshSettings"]>>({
          adminUsername: str(ssh["admin_username"]),
          sshKeyValue: str(ssh["ssh_key_value"]),
          adminPassword: ssh["admin_password"] === undefined ? undefined : secretAt(ssh["admin_password"], ["ssh_settings", "admin_password"]),
        }),
        networkSettings: network(doc["network_settings"]),
        enableNodePublicIp: bool(doc["enable_node_public_ip"]),
      };
      model = model_;
      break;
    }
    case "compute/computeinstance": {
      const ssh = record(doc["ssh_settings"]);
      const onBehalf = record(doc["create_on_behalf_of"]);
      const model_: Loose<ComputeInstanceModel> = {
        ...computeCommon,
        type: "computeinstance",
        size: str(doc["size"]),
        idleTimeBeforeShutdownMinutes: num(doc["idle_time_before_shutdown_minutes"]),
        sshPublicAccessEnabled: bool(doc["ssh_public_access_enabled"]),
        sshSettings: ssh && cleaned<NonNullable<ComputeInstanceModel["sshSettings"]>>({ sshKeyValue: str(ssh["ssh_key_value"]) }),
        createOnBehalfOf: onBehalf && { userTenantId: String(onBehalf["user_tenant_id"]), userObjectId: String(onBehalf["user_object_id"]) },
        networkSettings: network(doc["network_settings"]),
        enableNodePublicIp: bool(doc["enable_node_public_ip"]),
      };
      model = model_;
      break;
    }
    case "compute/kubernetes":
      model = { ...computeCommon, type: "kubernetes", resourceId: String(doc["resource_id"]), namespace: str(doc["namespace"]) };
      break;
    case "compute/virtualmachine": {
      const ssh = record(doc["ssh_settings"]);
      const model_: Loose<VirtualMachineComputeModel> = {
        ...computeCommon,
        type: "virtualmachine",
        resourceId: String(doc["resource_id"]),
        sshSettings: ssh && cleaned<NonNullable<VirtualMachineComputeModel["sshSettings"]>>({
          adminUsername: str(ssh["admin_username"]),
          sshPort: num(ssh["ssh_port"]),
          sshPrivateKeyFile: str(ssh["ssh_private_key_file"]),
          adminPassword: ssh["admin_password"] === undefined ? undefined : secretAt(ssh["admin_password"], ["ssh_settings", "admin_password"]),
        }),
      };
      model = model_;
      break;
    }
    case "datastore/azure_blob":
    case "datastore/azure_file":
    case "datastore/azure_data_lake_gen2": {
      const storage = {
        ...common,
        kind: "datastore" as const,
        accountName: String(doc["account_name"]),
        protocol: lower(doc["protocol"]),
        endpoint: str(doc["endpoint"]),
      };
      const creds = credentials(doc["credentials"], secretAt);
      if (context.key === "datastore/azure_blob") {
        model = { ...storage, type: "azure_blob", containerName: String(doc["container_name"]), credentials: creds as StorageCredentialModel | undefined };
      } else if (context.key === "datastore/azure_file") {
        model = { ...storage, type: "azure_file", fileShareName: String(doc["file_share_name"]), credentials: creds as StorageCredentialModel | undefined };
      } else {
        model = { ...storage, type: "azure_data_lake_gen2", filesystem: String(doc["filesystem"]), credentials: creds as TenantCredentialModel | undefined };
      }
      break;
    }
    case "datastore/azure_data_lake_gen1":
      model = {
        ...common,
        kind: "datastore",
        type: "azure_data_lake_gen1",
        storeName: String(doc["store_name"]),
        credentials: credentials(doc["credentials"], secretAt) as TenantCredentialModel | undefined,
      };
      break;
    case "data":
    case "model":
      model = { ...versioned, kind: context.key, type: lower(doc["type"]), path: String(doc["path"]) };
      break;
    case "environment": {
      const build = record(doc["build"]);
      const conda = doc["conda_file"];
      model = {
        ...versioned,
        kind: "environment",
        image: str(doc["image"]),
        condaFile: typeof conda === "string" ? conda : record(conda) && structuredClone(record(conda)),
        build: build && cleaned<NonNullable<EnvironmentAssetModel["build"]>>({ path: String(build["path"]), dockerfilePath: str(build["dockerfile_path"]) }),
        osType: lower(doc["os_type"]),
      };
      break;
    }
  }
  return deepFreezeModel(model);
}

function credentials(value: unknown, secretAt: (value: unknown, keys: readonly string[]) => CredentialValue): DatastoreCredentialModel | undefined {
  const creds = record(value);
  if (!creds) return undefined;
  if ("account_key" in creds) return { type: "account_key", accountKey: secretAt(creds["account_key"], ["credentials", "account_key"]) };
  if ("sas_token" in creds) return { type: "sas", sasToken: secretAt(creds["sas_token"], ["credentials", "sas_token"]) };
  const tenant = {
    tenantId: String(creds["tenant_id"]),
    clientId: String(creds["client_id"]),
    authorityUrl: str(creds["authority_url"]),
    resourceUrl: str(creds["resource_url"]),
  };
  if ("certificate" in creds) {
    return cleaned<DatastoreCredentialModel>({
      type: "certificate",
      ...tenant,
      certificate: secretAt(creds["certificate"], ["credentials", "certificate"]),
      thumbprint: String(creds["thumbprint"]),
    });
  }
  return cleaned<DatastoreCredentialModel>({ type: "service_principal", ...tenant, clientSecret: secretAt(creds["client_secret"], ["credentials", "client_secret"]) });
}

/** A placeholder becomes its reference; any other value is an inline secret and is dropped here. */
function credential(value: unknown, location: SourceLocation): CredentialValue {
  const ref = typeof value === "string" ? tryParseSecretPlaceholder(value) : undefined;
  return ref ?? { kind: "inline_secret", location };
}

function network(value: unknown): NetworkSettingsModel | undefined {
  const settings = record(value);
  return settings && cleaned<NetworkSettingsModel>({ vnetName: str(settings["vnet_name"]), subnet: str(settings["subnet"]) });
}

function extra(doc: Doc, known: ReadonlySet<string>): Readonly<Record<string, unknown>> | undefined {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc)) if (!known.has(key)) out[key] = structuredClone(value);
  return Object.keys(out).length > 0 ? out : undefined;
}

function str(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : String(value);
}

/** Azure lower-cases enum fields before checking them; the model keeps the lowercase form. */
function lower(value: unknown): string | undefined {
  return typeof value === "string" ? value.toLowerCase() : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === "number" ? value : undefined;
}

function bool(value: unknown): boolean | undefined {
  return typeof value === "boolean" ? value : undefined;
}

function record(value: unknown): Doc | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Doc) : undefined;
}

function tags(value: unknown): Readonly<Record<string, string>> | undefined {
  const map = record(value);
  if (!map) return undefined;
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(map)) out[key] = String(item);
  return out;
}
