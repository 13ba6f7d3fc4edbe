/**
 * REST bodies of workspace resources: Datastores_CreateOrUpdate (mfe.json), Compute_CreateOrUpdate
 * (machineLearningServices.json) and the workspace create body. Pure: secret values come from a
 * lookup the runner passes in at creation, and a missing or inline secret is a diagnostic that
 * names where the value should come from, never the value.
 */
import type {
  AmlComputeModel,
  ComputeInstanceModel,
  ComputeModel,
  CredentialValue,
  DatastoreCredentialModel,
  DatastoreModel,
  KubernetesComputeModel,
  NetworkSettingsModel,
  SecretRef,
  VirtualMachineComputeModel,
  WorkspaceModel,
} from "@pipewright/dsl";
import type { DiagnosticCode } from "../diagnostics/codes.js";
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { RestMap } from "./rest-values.js";
import type { WorkspaceScope } from "./workspace-ids.js";

/** Reads a secret's value at creation: undefined when the source does not have it. */
export type SecretLookup = (ref: SecretRef) => string | undefined;

export interface ResourceBody {
  /** The request body; undefined when a problem is an error. */
  readonly body: RestMap | undefined;
  readonly problems: readonly Diagnostic[];
}

interface Collector {
  readonly problems: Diagnostic[];
  secret(value: CredentialValue | undefined, key: string): string | undefined;
  warn(message: string, key: string): void;
  error(code: DiagnosticCode, message: string, key: string): void;
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function collector(kind: string, definition: { readonly name: string; readonly location?: import("@pipewright/dsl").SourceLocation }, lookup: SecretLookup): Collector {
  const problems: Diagnostic[] = [];
  const where = (key: string) => ({ path: `${kind}/${definition.name}/${key}`, ...(definition.location !== undefined ? { location: definition.location } : {}) });
  return {
    problems,
    secret(value, key) {
      if (value === undefined) return undefined;
      if (value.kind === "inline_secret") {
        problems.push(diagnostic("PW1503", `${kind} ${definition.name}: ${key} is written inline; pass secret.env("NAME") (or secret.from(source, name)) so the value is read only at creation.`, where(key)));
        return undefined;
      }
      const text = lookup(value);
      if (text === undefined || text === "") {
        const from = value.source === "env" ? `the environment variable ${value.name} is not set` : `the secret source '${value.source}' has no secret named ${value.name}`;
        problems.push(diagnostic("PW4609", `${kind} ${definition.name}: ${key} cannot be read: ${from}; set it before creating the ${kind}.`, where(key)));
        return undefined;
      }
      return text;
    },
    warn(message, key) {
      problems.push(diagnostic("PW4612", `${kind} ${definition.name}: ${message}`, where(key)));
    },
    error(code, message, key) {
      problems.push(diagnostic(code, `${kind} ${definition.name}: ${message}`, where(key)));
    },
  };
}

function result(body: RestMap, problems: readonly Diagnostic[]): ResourceBody {
  return { body: problems.some((p) => p.severity === "error") ? undefined : body, problems };
}

function put(out: RestMap, key: string, value: unknown): void {
  if (value !== undefined) out[key] = value;
}

// --- datastores ---

const DATASTORE_TYPES: Readonly<Record<DatastoreModel["type"], string>> = {
  azure_blob: "AzureBlob",
  azure_file: "AzureFile",
  azure_data_lake_gen1: "AzureDataLakeGen1",
  azure_data_lake_gen2: "AzureDataLakeGen2",
};

function credentials(creds: DatastoreCredentialModel | undefined, c: Collector): RestMap {
  if (creds === undefined) return { credentialsType: "None" };
  switch (creds.type) {
    case "account_key":
      return { credentialsType: "AccountKey", secrets: { secretsType: "AccountKey", key: c.secret(creds.accountKey, "credentials.account_key") ?? "" } };
    case "sas":
      return { credentialsType: "Sas", secrets: { secretsType: "Sas", sasToken: c.secret(creds.sasToken, "credentials.sas_token") ?? "" } };
    case "service_principal":
    case "certificate": {
      for (const [key, id] of [["tenant_id", creds.tenantId], ["client_id", creds.clientId]] as const) {
        if (!GUID.test(id)) c.error("PW1511", `credentials.${key} ${JSON.stringify(id)} is not a GUID (Azure AD ids look like 00000000-0000-0000-0000-000000000000); copy it from the app registration.`, `credentials.${key}`);
      }
      const out: RestMap = { credentialsType: creds.type === "certificate" ? "Certificate" : "ServicePrincipal", tenantId: creds.tenantId, clientId: creds.clientId };
      put(out, "authorityUrl", creds.authorityUrl);
      put(out, "resourceUrl", creds.resourceUrl);
      if (creds.type === "certificate") {
        out["thumbprint"] = creds.thumbprint;
        out["secrets"] = { secretsType: "Certificate", certificate: c.secret(creds.certificate, "credentials.certificate") ?? "" };
      } else {
        out["secrets"] = { secretsType: "ServicePrincipal", clientSecret: c.secret(creds.clientSecret, "credentials.client_secret") ?? "" };
      }
      return out;
    }
  }
}

/** DatastoreResource for Datastores_CreateOrUpdate; no credentials means identity-based access. */
export function datastoreBody(model: DatastoreModel, lookup: SecretLookup): ResourceBody {
  const c = collector("datastore", model, lookup);
  const properties: RestMap = { datastoreType: DATASTORE_TYPES[model.type], credentials: credentials(model.credentials, c) };
  put(properties, "description", model.description);
  if (model.tags !== undefined && Object.keys(model.tags).length > 0) properties["tags"] = { ...model.tags };
  switch (model.type) {
    case "azure_blob":
      Object.assign(properties, { accountName: model.accountName, containerName: model.containerName });
      break;
    case "azure_file":
      Object.assign(properties, { accountName: model.accountName, fileShareName: model.fileShareName });
      break;
    case "azure_data_lake_gen1":
      properties["storeName"] = model.storeName;
      break;
    case "azure_data_lake_gen2":
      Object.assign(properties, { accountName: model.accountName, filesystem: model.filesystem });
      break;
  }
  if (model.type !== "azure_data_lake_gen1") {
    put(properties, "endpoint", model.endpoint);
    put(properties, "protocol", model.protocol);
  }
  return result({ properties }, c.problems);
}

// --- computes ---

export interface ComputeBodyOptions {
  /** For ARM ids built from short names (a subnet given with its vnet name). */
  readonly workspace: WorkspaceScope;
  readonly lookup: SecretLookup;
  /** A VM's SSH private key, read by the runner from `sshPrivateKeyFile`. */
  readonly sshPrivateKey?: string;
}

function subnet(network: NetworkSettingsModel | undefined, ws: WorkspaceScope): RestMap | undefined {
  const name = network?.subnet;
  if (name === undefined) return undefined;
  if (name.startsWith("/subscriptions/") || network?.vnetName === undefined) return { id: name };
  return { id: `/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroup}/providers/Microsoft.Network/virtualNetworks/${network.vnetName}/subnets/${name}` };
}

function publicAccess(enabled: boolean | undefined): string | undefined {
  return enabled === undefined ? undefined : enabled ? "Enabled" : "Disabled";
}

function amlCompute(model: AmlComputeModel, c: Collector, options: ComputeBodyOptions): RestMap {
  const props: RestMap = {};
  put(props, "vmSize", model.size);
  if (model.tier !== undefined) props["vmPriority"] = model.tier === "low_priority" ? "LowPriority" : "Dedicated";
  const scale: RestMap = { maxNodeCount: model.maxInstances ?? 1, minNodeCount: model.minInstances ?? 0 };
  if (model.idleTimeBeforeScaleDown !== undefined) scale["nodeIdleTimeBeforeScaleDown"] = `PT${model.idleTimeBeforeScaleDown}S`;
  props["scaleSettings"] = scale;
  put(props, "remoteLoginPortPublicAccess", publicAccess(model.sshPublicAccessEnabled));
  const ssh = model.sshSettings;
  if (ssh?.adminUsername !== undefined) {
    const account: RestMap = { adminUserName: ssh.adminUsername };
    put(account, "adminUserSshPublicKey", ssh.sshKeyValue);
    put(account, "adminUserPassword", c.secret(ssh.adminPassword, "ssh_settings.admin_password"));
    props["userAccountCredentials"] = account;
  } else if (ssh?.sshKeyValue !== undefined || ssh?.adminPassword !== undefined) {
    c.warn("ssh_settings without admin_username are not sent (Azure needs a user name for SSH access); add admin_username.", "ssh_settings");
  }
  put(props, "subnet", subnet(model.networkSettings, options.workspace));
  put(props, "enableNodePublicIp", model.enableNodePublicIp);
  return { computeType: "AmlCompute", properties: props };
}

function computeInstance(model: ComputeInstanceModel, c: Collector, options: ComputeBodyOptions): RestMap {
  const props: RestMap = {};
  put(props, "vmSize", model.size);
  const sshAccess = publicAccess(model.sshPublicAccessEnabled);
  if (sshAccess !== undefined || model.sshSettings?.sshKeyValue !== undefined) {
    const ssh: RestMap = {};
    put(ssh, "sshPublicAccess", sshAccess);
    put(ssh, "adminPublicKey", model.sshSettings?.sshKeyValue);
    props["sshSettings"] = ssh;
  }
  if (model.createOnBehalfOf !== undefined) {
    props["computeInstanceAuthorizationType"] = "personal";
    props["personalComputeInstanceSettings"] = { assignedUser: { objectId: model.createOnBehalfOf.userObjectId, tenantId: model.createOnBehalfOf.userTenantId } };
  }
  put(props, "subnet", subnet(model.networkSettings, options.workspace));
  put(props, "enableNodePublicIp", model.enableNodePublicIp);
  if (model.idleTimeBeforeShutdownMinutes !== undefined) {
    c.warn("idle_time_before_shutdown_minutes is not sent: the stable REST API (2025-12-01) has no such field on ComputeInstanceProperties; set a schedule in the studio.", "idle_time_before_shutdown_minutes");
  }
  return { computeType: "ComputeInstance", properties: props };
}

function kubernetes(model: KubernetesComputeModel): RestMap {
  return { computeType: "Kubernetes", resourceId: model.resourceId, properties: model.namespace !== undefined ? { namespace: model.namespace } : {} };
}

function virtualMachine(model: VirtualMachineComputeModel, c: Collector, options: ComputeBodyOptions): RestMap {
  const props: RestMap = {};
  const ssh = model.sshSettings;
  put(props, "sshPort", ssh?.sshPort);
  const account: RestMap = {};
  put(account, "username", ssh?.adminUsername);
  put(account, "password", c.secret(ssh?.adminPassword, "ssh_settings.admin_password"));
  put(account, "privateKeyData", options.sshPrivateKey);
  if (Object.keys(account).length > 0) props["administratorAccount"] = account;
  return { computeType: "VirtualMachine", resourceId: model.resourceId, properties: props };
}

/** ComputeResource for Compute_CreateOrUpdate (a cluster or instance is created; Kubernetes and VMs are attached). */
export function computeBody(model: ComputeModel, options: ComputeBodyOptions): ResourceBody {
  const c = collector("compute", model, options.lookup);
  const inner =
    model.type === "amlcompute"
      ? amlCompute(model, c, options)
      : model.type === "computeinstance"
        ? computeInstance(model, c, options)
        : model.type === "kubernetes"
          ? kubernetes(model)
          : virtualMachine(model, c, options);
  put(inner, "description", model.description);
  put(inner, "computeLocation", model.region);
  const body: RestMap = { properties: inner };
  put(body, "location", model.region);
  if (model.tags !== undefined && Object.keys(model.tags).length > 0) body["tags"] = { ...model.tags };
  return result(body, c.problems);
}

// --- workspaces ---

export interface WorkspaceBodyOptions {
  /** Region when the definition gives none. */
  readonly defaultRegion?: string;
  /** ARM ids of the dependent resources Azure requires (the SDK creates them first). */
  readonly storageAccount?: string;
  readonly keyVault?: string;
  readonly applicationInsights?: string;
  readonly containerRegistry?: string;
}

/**
 * The workspace PUT body (Workspaces_CreateOrUpdate, workspaceRP.json: not among the spec files
 * copied to shared/azureml/rest, so the shape follows the Python SDK's workspace entity).
 */
export function workspaceBody(model: WorkspaceModel, options: WorkspaceBodyOptions = {}): ResourceBody {
  const problems: Diagnostic[] = [];
  const location = model.region ?? options.defaultRegion;
  if (location === undefined) {
    problems.push(diagnostic("PW1509", `workspace ${model.name} has no location; give one (e.g. location: "eastus").`, { path: `workspace/${model.name}/location`, ...(model.location !== undefined ? { location: model.location } : {}) }));
  }
  const properties: RestMap = { friendlyName: model.displayName ?? model.name };
  put(properties, "description", model.description);
  put(properties, "hbiWorkspace", model.hbiWorkspace);
  put(properties, "storageAccount", options.storageAccount);
  put(properties, "keyVault", options.keyVault);
  put(properties, "applicationInsights", options.applicationInsights);
  put(properties, "containerRegistry", options.containerRegistry);
  const body: RestMap = { location: location ?? "", identity: { type: "SystemAssigned" }, properties };
  if (model.tags !== undefined && Object.keys(model.tags).length > 0) body["tags"] = { ...model.tags };
  return result(body, problems);
}
