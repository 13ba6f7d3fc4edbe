/**
 * zod schemas of the resource and asset YAML formats (`az ml <kind> create -f`), field names as
 * Azure spells them (the azure-ai-ml marshmallow schemas: `_schema/assets`, `_schema/compute`,
 * `_schema/_datastore`, `_schema/workspace`). They check shapes and enums; the naming rules are
 * checks of their own (PW15xx) so they report with the right code. Objects are loose: keys they
 * do not list are kept by the loader as `extra` and reported as warnings.
 */
import { z } from "zod";
import type { AssetSchemaKey } from "./schema-urls.js";

/** An enum Azure lower-cases before checking. */
function lowerEnum<const T extends readonly [string, ...string[]]>(values: T) {
  return z.string().refine((value) => (values as readonly string[]).includes(value.toLowerCase()), {
    message: `expected one of ${values.map((v) => JSON.stringify(v)).join(", ")}`,
  });
}

const text = z.string();
const count = z.number().int().min(0);
const tags = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
const version = z.union([z.string().min(1), z.number()]);
const properties = z.record(z.string(), z.unknown());

/**
 * Keys Azure's formats define that pipewright keeps as written rather than models (identities,
 * networking, schedules, MLflow flavors...): known, so not reported, and carried in `extra`.
 */
const kept = (names: readonly string[]): Record<string, z.ZodOptional<z.ZodUnknown>> =>
  Object.fromEntries(names.map((name) => [name, z.unknown().optional()]));

const PASSTHROUGH = {
  workspace: kept([
    "storage_account", "container_registry", "key_vault", "application_insights", "customer_managed_key",
    "image_build_compute", "public_network_access", "identity", "primary_user_assigned_identity", "managed_network",
    "enable_data_isolation", "system_datastores_auth_mode", "serverless_compute",
  ]),
  amlcompute: kept(["identity", "resource_id"]),
  virtualmachine: kept(["identity"]),
  computeinstance: kept(["identity", "resource_id", "schedules", "setup_scripts", "custom_applications", "enable_sso", "enable_root_access", "enable_os_patching", "release_quota_on_stop"]),
  kubernetes: kept(["identity", "properties"]),
  datastore: kept([]),
  data: kept(["auto_delete_setting"]),
  model: kept(["flavors", "stage", "job_name"]),
  environment: kept(["inference_config"]),
};

function passthroughGroup(key: AssetSchemaKey): keyof typeof PASSTHROUGH {
  if (key === "compute/computeinstance") return "computeinstance";
  if (key === "compute/kubernetes") return "kubernetes";
  if (key === "compute/amlcompute") return "amlcompute";
  if (key === "compute/virtualmachine") return "virtualmachine";
  if (key.startsWith("datastore/")) return "datastore";
  return key as "workspace" | "data" | "model" | "environment";
}

const common = {
  $schema: text.optional(),
  name: z.string().min(1),
  description: text.optional(),
  tags: tags.optional(),
};

export const workspaceSchema = z
  .object({
    ...common,
    location: text.optional(),
    display_name: text.optional(),
    resource_group: text.optional(),
    hbi_workspace: z.boolean().optional(),
    ...PASSTHROUGH.workspace,
  })
  .loose();

const computeCommon = { ...common, location: text.optional() };
const networkSettings = z.object({ vnet_name: text.optional(), subnet: text.optional() }).loose();

export const amlComputeSchema = z
  .object({
    ...computeCommon,
    type: lowerEnum(["amlcompute"]),
    size: text.optional(),
    min_instances: count.optional(),
    max_instances: count.optional(),
    idle_time_before_scale_down: count.optional(),
    tier: lowerEnum(["dedicated", "low_priority"]).optional(),
    ssh_public_access_enabled: z.boolean().optional(),
    ssh_settings: z
      .object({ admin_username: text.optional(), ssh_key_value: text.optional(), admin_password: text.optional() })
      .loose()
      .optional(),
    network_settings: networkSettings.optional(),
    enable_node_public_ip: z.boolean().optional(),
    ...PASSTHROUGH.amlcompute,
  })
  .loose();

export const computeInstanceSchema = z
  .object({
    ...computeCommon,
    type: lowerEnum(["computeinstance"]),
    size: text.optional(),
    idle_time_before_shutdown_minutes: count.optional(),
    ssh_public_access_enabled: z.boolean().optional(),
    ssh_settings: z.object({ ssh_key_value: text.optional() }).loose().optional(),
    create_on_behalf_of: z.object({ user_tenant_id: text, user_object_id: text }).loose().optional(),
    network_settings: networkSettings.optional(),
    enable_node_public_ip: z.boolean().optional(),
    ...PASSTHROUGH.computeinstance,
  })
  .loose();

export const kubernetesComputeSchema = z
  .object({ ...computeCommon, ...PASSTHROUGH.kubernetes, type: lowerEnum(["kubernetes"]), resource_id: text, namespace: text.optional() })
  .loose();

export const vmComputeSchema = z
  .object({
    ...computeCommon,
    ...PASSTHROUGH.virtualmachine,
    type: lowerEnum(["virtualmachine"]),
    resource_id: text,
    ssh_settings: z
      .object({
        admin_username: text.optional(),
        ssh_port: z.number().int().min(1).max(65535).optional(),
        ssh_private_key_file: text.optional(),
        admin_password: text.optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

const storageCredentials = z.union([
  z.object({ account_key: text }).loose(),
  z.object({ sas_token: text }).loose(),
]);

const tenant = { tenant_id: text, client_id: text, authority_url: text.optional(), resource_url: text.optional() };
const tenantCredentials = z.union([
  z.object({ ...tenant, client_secret: text }).loose(),
  z.object({ ...tenant, certificate: text, thumbprint: text }).loose(),
]);

const storage = { ...common, account_name: text, endpoint: text.optional() };

export const azureBlobSchema = z
  .object({
    ...storage,
    type: lowerEnum(["azure_blob"]),
    container_name: text,
    protocol: lowerEnum(["https", "wasbs"]).optional(),
    credentials: storageCredentials.optional(),
  })
  .loose();

export const azureFileSchema = z
  .object({
    ...storage,
    type: lowerEnum(["azure_file"]),
    file_share_name: text,
    protocol: lowerEnum(["https", "wasbs"]).optional(),
    credentials: storageCredentials.optional(),
  })
  .loose();

export const azureDataLakeGen1Schema = z
  .object({ ...common, type: lowerEnum(["azure_data_lake_gen1"]), store_name: text, credentials: tenantCredentials.optional() })
  .loose();

export const azureDataLakeGen2Schema = z
  .object({
    ...storage,
    type: lowerEnum(["azure_data_lake_gen2"]),
    filesystem: text,
    protocol: lowerEnum(["https", "abfss"]).optional(),
    credentials: tenantCredentials.optional(),
  })
  .loose();

const versioned = { ...common, version: version.optional(), properties: properties.optional() };

export const dataSchema = z
  .object({ ...versioned, ...PASSTHROUGH.data, type: lowerEnum(["uri_file", "uri_folder", "mltable"]).optional(), path: text })
  .loose();

export const modelSchema = z
  .object({ ...versioned, ...PASSTHROUGH.model, type: lowerEnum(["custom_model", "mlflow_model", "triton_model"]).optional(), path: text })
  .loose();

export const environmentSchema = z
  .object({
    ...versioned,
    image: text.optional(),
    conda_file: z.union([text, z.record(z.string(), z.unknown())]).optional(),
    build: z.object({ path: text, dockerfile_path: text.optional() }).loose().optional(),
    os_type: lowerEnum(["linux", "windows"]).optional(),
    ...PASSTHROUGH.environment,
  })
  .loose();

/** The schema of each resource and asset format, by schema key. */
export const ASSET_SCHEMAS = {
  workspace: workspaceSchema,
  "compute/amlcompute": amlComputeSchema,
  "compute/computeinstance": computeInstanceSchema,
  "compute/kubernetes": kubernetesComputeSchema,
  "compute/virtualmachine": vmComputeSchema,
  "datastore/azure_blob": azureBlobSchema,
  "datastore/azure_file": azureFileSchema,
  "datastore/azure_data_lake_gen1": azureDataLakeGen1Schema,
  "datastore/azure_data_lake_gen2": azureDataLakeGen2Schema,
  data: dataSchema,
  model: modelSchema,
  environment: environmentSchema,
} as const satisfies Record<AssetSchemaKey, z.ZodObject>;

/** The keys a format lists at its top level; anything else is reported as unknown (and kept). */
export function knownKeys(key: AssetSchemaKey): ReadonlySet<string> {
  return new Set(Object.keys(ASSET_SCHEMAS[key].shape));
}

/** The keys pipewright models; the rest of a loaded document is kept verbatim as `extra`. */
export function modelledKeys(key: AssetSchemaKey): ReadonlySet<string> {
  const passthrough: ReadonlySet<string> = new Set(Object.keys(PASSTHROUGH[passthroughGroup(key)]));
  return new Set(Object.keys(ASSET_SCHEMAS[key].shape).filter((name) => !passthrough.has(name)));
}
