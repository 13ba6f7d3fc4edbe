// ARM routes for the workspace, computes, datastores, code and component assets.
import { armPage, type ArmCall, type EmulatorContext } from "./context.js";
import { errorResponse, jsonResponse, type EmulatorResponse } from "./http.js";
import { deepEqual, isJsonObject, type Json, type JsonObject } from "./json.js";
import { inspectComponentSpec } from "./pipeline-shape.js";
import type { SpecIssue } from "./spec-validator.js";
import { armEnvelope, PROVIDER, versionKey, withoutReadOnly, type AssetRecord, type WorkspaceStore } from "./workspace-store.js";

type AssetKind = "codes" | "components";

const READ_ONLY_ASSET_KEYS = ["provisioningState", "latestVersion", "nextVersion"];

export function notFound(what: string): EmulatorResponse {
  return errorResponse(404, "ResourceNotFound", `${what} was not found in the emulated workspace.`);
}

export function userError(message: string, issues: readonly SpecIssue[]): EmulatorResponse {
  return errorResponse(400, "UserError", message, { details: issues });
}

export function workspaceResource(ctx: EmulatorContext, ws: WorkspaceStore): JsonObject {
  const host = new URL(ctx.baseUrl).host;
  const { subscriptionId, resourceGroup, name } = ws.identity;
  return {
    ...armEnvelope(ws.armId, name, `${PROVIDER}/workspaces`, ws.createdAt, ws.createdAt, {
      workspaceId: ws.workspaceId,
      friendlyName: name,
      description: "Emulated Azure Machine Learning workspace (pipewright)",
      discoveryUrl: `${ctx.baseUrl}/discovery`,
      mlFlowTrackingUri: `azureml://${host}/mlflow/v1.0${ws.armId}`,
      storageAccount: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Storage/storageAccounts/${ctx.blobs.account}`,
      provisioningState: "Succeeded",
      publicNetworkAccess: "Enabled",
      hbiWorkspace: false,
      v1LegacyMode: false,
    }),
    location: ctx.location,
    kind: "Default",
    tags: {},
    sku: { name: "Basic", tier: "Basic" },
  };
}

export function computeRoutes(ctx: EmulatorContext, call: ArmCall): EmulatorResponse | undefined {
  const { ws } = call;
  if (call.operationId === "Compute_Get") {
    const compute = ws.computes.get(call.pathParams["computeName"] ?? "");
    return compute ? jsonResponse(200, compute) : notFound(`Compute '${call.pathParams["computeName"] ?? ""}'`);
  }
  if (call.operationId === "Compute_List") return jsonResponse(200, armPage(ctx, call, [...ws.computes.values()], 50));
  return undefined;
}

function datastoreResource(ws: WorkspaceStore, record: AssetRecord): JsonObject {
  return armEnvelope(ws.resourceId("datastores", record.name), record.name, `${PROVIDER}/workspaces/datastores`, record.createdAt, record.modifiedAt, record.properties);
}

export function datastoreRoutes(ctx: EmulatorContext, call: ArmCall): EmulatorResponse | undefined {
  const { ws, request } = call;
  const name = call.pathParams["name"] ?? "";
  switch (call.operationId) {
    case "Datastores_List": {
      let records = [...ws.datastores.values()];
      const isDefault = request.query.get("isDefault");
      if (isDefault !== null) records = records.filter((r) => (r.properties["isDefault"] === true) === (isDefault.toLowerCase() === "true"));
      const names = request.query.getAll("names").flatMap((n) => n.split(","));
      if (names.length > 0) records = records.filter((r) => names.includes(r.name));
      const count = Number(request.query.get("count") ?? "30");
      return jsonResponse(200, armPage(ctx, call, records.map((r) => datastoreResource(ws, r)), count > 0 ? count : 30));
    }
    case "Datastores_Get": {
      const record = ws.datastores.get(name);
      return record ? jsonResponse(200, datastoreResource(ws, record)) : notFound(`Datastore '${name}'`);
    }
    case "Datastores_ListSecrets": {
      const record = ws.datastores.get(name);
      if (!record) return notFound(`Datastore '${name}'`);
      const container = String(record.properties["containerName"] ?? "");
      return jsonResponse(200, { secretsType: "Sas", sasToken: ctx.blobs.sas(container, "racwdl", ctx.sasTtlMs) });
    }
  }
  return undefined;
}

function maps(ws: WorkspaceStore, kind: AssetKind): { containers: Map<string, AssetRecord>; versions: Map<string, AssetRecord> } {
  return kind === "codes" ? { containers: ws.codeContainers, versions: ws.codeVersions } : { containers: ws.componentContainers, versions: ws.componentVersions };
}

function versionsOf(ws: WorkspaceStore, kind: AssetKind, name: string): AssetRecord[] {
  return [...maps(ws, kind).versions.values()].filter((v) => v.name === name);
}

function containerResource(ws: WorkspaceStore, kind: AssetKind, record: AssetRecord): JsonObject {
  const versions = versionsOf(ws, kind, record.name);
  const latest = versions.sort((a, b) => a.createdAt - b.createdAt).at(-1)?.version;
  const numeric = versions.map((v) => Number(v.version)).filter((n) => Number.isInteger(n));
  const properties: JsonObject = {
    isArchived: false,
    ...record.properties,
    latestVersion: latest ?? null,
    nextVersion: String((numeric.length > 0 ? Math.max(...numeric) : 0) + 1),
    provisioningState: "Succeeded",
  };
  return armEnvelope(ws.resourceId(kind, record.name), record.name, `${PROVIDER}/workspaces/${kind}`, record.createdAt, record.modifiedAt, properties);
}

export function versionResource(ws: WorkspaceStore, kind: AssetKind, record: AssetRecord): JsonObject {
  const properties: JsonObject = { isAnonymous: false, isArchived: false, ...record.properties, provisioningState: "Succeeded" };
  const version = record.version ?? "";
  return armEnvelope(ws.resourceId(kind, record.name, "versions", version), version, `${PROVIDER}/workspaces/${kind}/versions`, record.createdAt, record.modifiedAt, properties);
}

function upsertContainer(ctx: EmulatorContext, ws: WorkspaceStore, kind: AssetKind, name: string, properties: JsonObject | undefined): { record: AssetRecord; created: boolean } {
  const { containers } = maps(ws, kind);
  const now = ctx.clock.now();
  const existing = containers.get(name);
  if (existing) {
    if (properties) {
      existing.properties = properties;
      existing.modifiedAt = now;
    }
    return { record: existing, created: false };
  }
  const record: AssetRecord = { name, version: undefined, properties: properties ?? {}, createdAt: now, modifiedAt: now };
  containers.set(name, record);
  return { record, created: true };
}

/** Parses `[azureml:]<this workspace's ARM id>/<kind>/<name>/versions/<version>`. */
export function parseAssetId(ws: WorkspaceStore, kind: AssetKind, value: string): { name: string; version: string } | "elsewhere" | undefined {
  const id = value.replace(/^azureml:/, "");
  if (!id.startsWith("/subscriptions/")) return "elsewhere";
  const prefix = `${ws.armId}/${kind}/`.toLowerCase();
  if (!id.toLowerCase().startsWith(prefix)) return id.toLowerCase().startsWith(`${ws.armId.toLowerCase()}/`) ? undefined : "elsewhere";
  const match = /^([^/]+)\/versions\/([^/]+)$/.exec(id.slice(prefix.length));
  return match?.[1] !== undefined && match[2] !== undefined ? { name: match[1], version: match[2] } : undefined;
}

function changedCreateOnly(ctx: EmulatorContext, definition: string, before: JsonObject, after: JsonObject): string[] {
  const keys = ctx.validator.createOnlyProperties(ctx.validator.docs.definition(ctx.validator.docs.mainFile, definition), after);
  return keys.filter((key) => !deepEqual(before[key] ?? null, after[key] ?? null));
}

function putVersion(ctx: EmulatorContext, call: ArmCall, kind: AssetKind): EmulatorResponse {
  const { ws } = call;
  const name = call.pathParams["name"] ?? "";
  const version = call.pathParams["version"] ?? "";
  const body = isJsonObject(call.body) ? call.body : {};
  const properties = withoutReadOnly(isJsonObject(body["properties"]) ? body["properties"] : {}, READ_ONLY_ASSET_KEYS);
  if (kind === "components") {
    const issues = inspectComponentSpec(properties["componentSpec"]);
    const spec = properties["componentSpec"];
    const code = isJsonObject(spec) ? spec["code"] : undefined;
    if (typeof code === "string") {
      const ref = parseAssetId(ws, "codes", code);
      if (ref === undefined || (ref !== "elsewhere" && !ws.codeVersions.has(versionKey(ref.name, ref.version)))) {
        issues.push({ code: "REFERENCE_NOT_FOUND", path: "properties.componentSpec.code", message: `Code asset ${code} does not exist in this workspace (register the code version before the component)` });
      }
    }
    if (issues.length > 0) return userError(`Component ${name}:${version} is not a valid component: ${issues[0]?.message ?? ""}`, issues);
  }
  const { versions } = maps(ws, kind);
  const key = versionKey(name, version);
  const existing = versions.get(key);
  const now = ctx.clock.now();
  const definition = kind === "codes" ? "CodeVersion" : "ComponentVersion";
  if (existing) {
    const changed = changedCreateOnly(ctx, definition, existing.properties, properties);
    if (changed.length > 0) {
      const issues = changed.map((p): SpecIssue => ({ code: "IMMUTABLE_PROPERTY", path: `properties.${p}`, message: `${p} cannot be changed once ${name}:${version} exists (x-ms-mutability: create, read)` }));
      return userError(`${kind === "codes" ? "Code" : "Component"} version ${name}:${version} already exists with different ${changed.join(", ")}.`, issues);
    }
    existing.properties = properties;
    existing.modifiedAt = now;
    return jsonResponse(200, versionResource(ws, kind, existing));
  }
  upsertContainer(ctx, ws, kind, name, undefined);
  const record: AssetRecord = { name, version, properties, createdAt: now, modifiedAt: now };
  versions.set(key, record);
  return jsonResponse(201, versionResource(ws, kind, record));
}

function listVersions(ctx: EmulatorContext, call: ArmCall, kind: AssetKind): EmulatorResponse {
  const { ws, request } = call;
  const name = call.pathParams["name"] ?? "";
  const hash = request.query.get("hash");
  const hashVersion = request.query.get("hashVersion");
  let records: AssetRecord[];
  if (kind === "codes" && hash !== null) {
    // "Return CodeVersion assets with specified content hash value, regardless of name."
    records = [...ws.codeVersions.values()].filter((r) => {
      const props = isJsonObject(r.properties["properties"]) ? r.properties["properties"] : {};
      return props["hash_sha256"] === hash && (hashVersion === null || props["hash_version"] === hashVersion);
    });
  } else {
    records = versionsOf(ws, kind, name);
  }
  const view = request.query.get("listViewType") ?? "ActiveOnly";
  if (view !== "All") records = records.filter((r) => (r.properties["isArchived"] === true) === (view === "ArchivedOnly"));
  records.sort((a, b) => b.createdAt - a.createdAt);
  const top = Number(request.query.get("$top") ?? "0");
  if (Number.isInteger(top) && top > 0) records = records.slice(0, top);
  return jsonResponse(200, armPage(ctx, call, records.map((r) => versionResource(ws, kind, r)), 100));
}

function startPendingUpload(ctx: EmulatorContext, call: ArmCall): EmulatorResponse {
  const { ws } = call;
  const key = versionKey(call.pathParams["name"] ?? "", call.pathParams["version"] ?? "");
  const body = isJsonObject(call.body) ? call.body : {};
  // "CreateOrGet": asking again for the same code version hands back the same temporary container.
  let pending = ws.pendingUploads.get(key);
  if (!pending) {
    const requested = body["pendingUploadId"];
    pending = {
      pendingUploadId: typeof requested === "string" && requested !== "" ? requested : ctx.ids.uuid("pending-upload"),
      container: `${ws.workspaceId.slice(0, 8)}-${ctx.ids.hex("pending-container", 24)}`,
    };
    ws.pendingUploads.set(key, pending);
    ctx.blobs.ensureContainer(pending.container);
  }
  const blobUri = `${ctx.baseUrl}/${ctx.blobs.account}/${pending.container}`;
  const response: Json = {
    pendingUploadId: pending.pendingUploadId,
    pendingUploadType: "TemporaryBlobReference",
    blobReferenceForConsumption: {
      blobUri,
      storageAccountArmId: `/subscriptions/${ws.identity.subscriptionId}/resourceGroups/${ws.identity.resourceGroup}/providers/Microsoft.Storage/storageAccounts/${ctx.blobs.account}`,
      credential: { credentialType: "SAS", sasUri: `${blobUri}?${ctx.blobs.sas(pending.container, "racwdl", ctx.sasTtlMs)}` },
    },
  };
  return jsonResponse(200, response);
}

export function assetRoutes(ctx: EmulatorContext, call: ArmCall): EmulatorResponse | undefined {
  const match = /^(Code|Component)(Containers|Versions)_(\w+)$/.exec(call.operationId);
  if (!match) return undefined;
  const kind: AssetKind = match[1] === "Code" ? "codes" : "components";
  const { ws } = call;
  const name = call.pathParams["name"] ?? "";
  const version = call.pathParams["version"] ?? "";
  const action = `${match[2] ?? ""}_${match[3] ?? ""}`;
  switch (action) {
    case "Containers_List":
      return jsonResponse(200, armPage(ctx, call, [...maps(ws, kind).containers.values()].map((r) => containerResource(ws, kind, r)), 100));
    case "Containers_Get": {
      const record = maps(ws, kind).containers.get(name);
      return record ? jsonResponse(200, containerResource(ws, kind, record)) : notFound(`${kind === "codes" ? "Code" : "Component"} container '${name}'`);
    }
    case "Containers_CreateOrUpdate": {
      const body = isJsonObject(call.body) ? call.body : {};
      const properties = withoutReadOnly(isJsonObject(body["properties"]) ? body["properties"] : {}, READ_ONLY_ASSET_KEYS);
      const { record, created } = upsertContainer(ctx, ws, kind, name, properties);
      return jsonResponse(created ? 201 : 200, containerResource(ws, kind, record));
    }
    case "Versions_List":
      return listVersions(ctx, call, kind);
    case "Versions_Get": {
      const record = maps(ws, kind).versions.get(versionKey(name, version));
      return record ? jsonResponse(200, versionResource(ws, kind, record)) : notFound(`${kind === "codes" ? "Code" : "Component"} version '${name}:${version}'`);
    }
    case "Versions_CreateOrUpdate":
      return putVersion(ctx, call, kind);
    case "Versions_CreateOrGetStartPendingUpload":
      return kind === "codes" ? startPendingUpload(ctx, call) : undefined;
  }
  return undefined;
}
