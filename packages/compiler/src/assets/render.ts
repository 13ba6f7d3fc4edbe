/**
 * Resource and asset models to plain YAML data in Azure's snake_case, key order as in Azure's
 * own samples (`$schema`, `name`, `version`, `type`, ...). Secrets become placeholders
 * (`<secret:env:NAME>`) and are listed, so the runner can fill them in when it creates the
 * resource: a secret value never reaches this code.
 */
import type {
  AmlComputeModel,
  AssetModel,
  ComputeInstanceModel,
  ComputeModel,
  CredentialValue,
  DatastoreCredentialModel,
  DatastoreModel,
  EnvironmentAssetModel,
  KubernetesComputeModel,
  NetworkSettingsModel,
  SecretRef,
  VirtualMachineComputeModel,
} from "@pipewright/dsl";
import { secretPlaceholder } from "@pipewright/dsl";
import { renderComponent } from "../emit/components.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { plainMap, put, putExtra, structuredCopy, type YamlMap } from "../emit/fields.js";
import { assetPath } from "./asset-paths.js";
import { assetSchemaUrl } from "./schema-urls.js";

/** Where a secret placeholder sits in the emitted YAML, and where its value comes from. */
export interface SecretPlacement {
  /** Dotted key path in the document, e.g. `credentials.account_key`. */
  readonly key: string;
  readonly ref: SecretRef;
}

export interface RenderContext {
  /** Absolute folder of the emitted file. */
  readonly fileDir: string;
  readonly secrets: SecretPlacement[];
  readonly diagnostics: Diagnostic[];
}

export function renderAsset(asset: AssetModel, context: RenderContext): YamlMap {
  if (asset.kind === "component") {
    return renderComponent(asset.component, {
      standalone: true,
      fileDir: context.fileDir,
      diagnostics: context.diagnostics,
      // A registered component is a command component, or a pipeline component whose nodes name
      // registered components; a node's inline component is written where it stands.
      componentRef: (component) => renderComponent(component, { standalone: false, fileDir: context.fileDir, diagnostics: context.diagnostics, componentRef: () => undefined }),
    });
  }
  const out: YamlMap = { $schema: assetSchemaUrl(asset) };
  out["name"] = asset.name;
  if (asset.kind === "workspace") {
    put(out, "location", asset.region);
    put(out, "display_name", asset.displayName);
    put(out, "description", asset.description);
    put(out, "tags", plainMap(asset.tags));
    put(out, "resource_group", asset.resourceGroup);
    put(out, "hbi_workspace", asset.hbiWorkspace);
  } else if (asset.kind === "compute") {
    putCompute(out, asset, context);
  } else if (asset.kind === "datastore") {
    putDatastore(out, asset, context);
  } else {
    put(out, "version", asset.version);
    if (asset.kind === "environment") putEnvironment(out, asset, context);
    else {
      put(out, "type", asset.type);
      out["path"] = assetPath(asset.path, asset.baseDir, context.fileDir);
      put(out, "description", asset.description);
    }
    put(out, "tags", plainMap(asset.tags));
    put(out, "properties", asset.properties && structuredCopy(asset.properties));
  }
  putExtra(out, asset.extra);
  return out;
}

function putEnvironment(out: YamlMap, env: EnvironmentAssetModel, context: RenderContext): void {
  put(out, "image", env.image);
  if (typeof env.condaFile === "string") out["conda_file"] = assetPath(env.condaFile, env.baseDir, context.fileDir);
  else put(out, "conda_file", env.condaFile && structuredCopy(env.condaFile));
  if (env.build) {
    const build: YamlMap = { path: assetPath(env.build.path, env.baseDir, context.fileDir) };
    put(build, "dockerfile_path", env.build.dockerfilePath);
    out["build"] = build;
  }
  put(out, "os_type", env.osType);
  put(out, "description", env.description);
}

function putCompute(out: YamlMap, compute: ComputeModel, context: RenderContext): void {
  out["type"] = compute.type;
  put(out, "description", compute.description);
  put(out, "location", compute.region);
  if (compute.type === "amlcompute") putAmlCompute(out, compute, context);
  else if (compute.type === "computeinstance") putComputeInstance(out, compute);
  else if (compute.type === "kubernetes") putKubernetes(out, compute);
  else putVirtualMachine(out, compute, context);
  put(out, "tags", plainMap(compute.tags));
}

function putAmlCompute(out: YamlMap, compute: AmlComputeModel, context: RenderContext): void {
  put(out, "size", compute.size);
  put(out, "min_instances", compute.minInstances);
  put(out, "max_instances", compute.maxInstances);
  put(out, "idle_time_before_scale_down", compute.idleTimeBeforeScaleDown);
  put(out, "tier", compute.tier);
  put(out, "ssh_public_access_enabled", compute.sshPublicAccessEnabled);
  const ssh = compute.sshSettings;
  if (ssh) {
    const settings: YamlMap = {};
    put(settings, "admin_username", ssh.adminUsername);
    put(settings, "ssh_key_value", ssh.sshKeyValue);
    put(settings, "admin_password", secretValue(ssh.adminPassword, "ssh_settings.admin_password", context));
    out["ssh_settings"] = settings;
  }
  put(out, "network_settings", network(compute.networkSettings));
  put(out, "enable_node_public_ip", compute.enableNodePublicIp);
}

function putComputeInstance(out: YamlMap, compute: ComputeInstanceModel): void {
  put(out, "size", compute.size);
  put(out, "idle_time_before_shutdown_minutes", compute.idleTimeBeforeShutdownMinutes);
  put(out, "ssh_public_access_enabled", compute.sshPublicAccessEnabled);
  if (compute.sshSettings) {
    const settings: YamlMap = {};
    put(settings, "ssh_key_value", compute.sshSettings.sshKeyValue);
    out["ssh_settings"] = settings;
  }
  if (compute.createOnBehalfOf) {
    out["create_on_behalf_of"] = {
      user_tenant_id: compute.createOnBehalfOf.userTenantId,
      user_object_id: compute.createOnBehalfOf.userObjectId,
    };
  }
  put(out, "network_settings", network(compute.networkSettings));
  put(out, "enable_node_public_ip", compute.enableNodePublicIp);
}

function putKubernetes(out: YamlMap, compute: KubernetesComputeModel): void {
  out["resource_id"] = compute.resourceId;
  put(out, "namespace", compute.namespace);
}

function putVirtualMachine(out: YamlMap, compute: VirtualMachineComputeModel, context: RenderContext): void {
  out["resource_id"] = compute.resourceId;
  const ssh = compute.sshSettings;
  if (!ssh) return;
  const settings: YamlMap = {};
  put(settings, "admin_username", ssh.adminUsername);
  put(settings, "ssh_port", ssh.sshPort);
  put(settings, "ssh_private_key_file", ssh.sshPrivateKeyFile && assetPath(ssh.sshPrivateKeyFile, compute.baseDir, context.fileDir));
  put(settings, "admin_password", secretValue(ssh.adminPassword, "ssh_settings.admin_password", context));
  out["ssh_settings"] = settings;
}

function network(settings: NetworkSettingsModel | undefined): YamlMap | undefined {
  if (!settings) return undefined;
  const out: YamlMap = {};
  put(out, "vnet_name", settings.vnetName);
  put(out, "subnet", settings.subnet);
  return out;
}

function putDatastore(out: YamlMap, store: DatastoreModel, context: RenderContext): void {
  out["type"] = store.type;
  put(out, "description", store.description);
  if (store.type === "azure_data_lake_gen1") out["store_name"] = store.storeName;
  else {
    out["account_name"] = store.accountName;
    if (store.type === "azure_blob") out["container_name"] = store.containerName;
    else if (store.type === "azure_file") out["file_share_name"] = store.fileShareName;
    else out["filesystem"] = store.filesystem;
    put(out, "protocol", store.protocol);
    put(out, "endpoint", store.endpoint);
  }
  put(out, "credentials", store.credentials && credentials(store.credentials, context));
  put(out, "tags", plainMap(store.tags));
}

function credentials(model: DatastoreCredentialModel, context: RenderContext): YamlMap {
  const out: YamlMap = {};
  if (model.type === "account_key") put(out, "account_key", secretValue(model.accountKey, "credentials.account_key", context));
  else if (model.type === "sas") put(out, "sas_token", secretValue(model.sasToken, "credentials.sas_token", context));
  else {
    out["tenant_id"] = model.tenantId;
    out["client_id"] = model.clientId;
    if (model.type === "service_principal") {
      put(out, "client_secret", secretValue(model.clientSecret, "credentials.client_secret", context));
    } else {
      put(out, "certificate", secretValue(model.certificate, "credentials.certificate", context));
      out["thumbprint"] = model.thumbprint;
    }
    put(out, "authority_url", model.authorityUrl);
    put(out, "resource_url", model.resourceUrl);
  }
  return out;
}

/** A placeholder for a secret reference; nothing for an inline secret (the checks report it). */
function secretValue(value: CredentialValue | undefined, key: string, context: RenderContext): string | undefined {
  if (value?.kind !== "secret") return undefined;
  context.secrets.push({ key, ref: value });
  return secretPlaceholder(value);
}
