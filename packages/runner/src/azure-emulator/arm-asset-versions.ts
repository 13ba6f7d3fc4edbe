// ARM routes for data, model and environment containers and versions, and datastore creation.
// Bodies reach these handlers only after the spec validator accepted them; here the emulator adds
// what the service checks beyond the spec: immutable versions, existing datastores in data URIs,
// environments with an image or a build context. Stored datastores keep no secret values.
import { armPage, type ArmCall, type EmulatorContext } from "./context.js";
import { jsonResponse, type EmulatorResponse } from "./http.js";
import { deepEqual, isJsonObject, type JsonObject } from "./json.js";
import { notFound, userError } from "./arm-assets.js";
import type { SpecIssue } from "./spec-validator.js";
import { armEnvelope, PROVIDER, versionKey, withoutReadOnly, type AssetRecord, type WorkspaceStore } from "./workspace-store.js";

type VersionedKind = "data" | "models" | "environments";

interface KindStore {
  readonly containers: Map<string, AssetRecord>;
  readonly versions: Map<string, AssetRecord>;
}

const STORES = new WeakMap<WorkspaceStore, Record<VersionedKind, KindStore>>();

function storeOf(ws: WorkspaceStore, kind: VersionedKind): KindStore {
  let stores = STORES.get(ws);
  if (!stores) {
    const fresh = (): KindStore => ({ containers: new Map(), versions: new Map() });
    stores = { data: fresh(), models: fresh(), environments: fresh() };
    STORES.set(ws, stores);
  }
  return stores[kind];
}

const KINDS: Readonly<Record<string, VersionedKind>> = { Data: "data", Model: "models", Environment: "environments" };
const DEFINITIONS: Readonly<Record<VersionedKind, string>> = { data: "DataVersionBase", models: "ModelVersion", environments: "EnvironmentVersion" };
const LABELS: Readonly<Record<VersionedKind, string>> = { data: "Data", models: "Model", environments: "Environment" };
const READ_ONLY = ["provisioningState", "latestVersion", "nextVersion", "environmentType"];

function versionsOf(store: KindStore, name: string): AssetRecord[] {
  return [...store.versions.values()].filter((v) => v.name === name);
}

function containerResource(ws: WorkspaceStore, kind: VersionedKind, store: KindStore, record: AssetRecord): JsonObject {
  const versions = versionsOf(store, record.name).sort((a, b) => a.createdAt - b.createdAt);
  const numeric = versions.map((v) => Number(v.version)).filter((n) => Number.isInteger(n));
  const properties: JsonObject = {
    isArchived: false,
    ...record.properties,
    latestVersion: versions.at(-1)?.version ?? null,
    nextVersion: String((numeric.length > 0 ? Math.max(...numeric) : 0) + 1),
    provisioningState: "Succeeded",
  };
  if (kind === "data") properties["dataType"] = String(versions.at(-1)?.properties["dataType"] ?? "uri_folder");
  return armEnvelope(ws.resourceId(kind, record.name), record.name, `${PROVIDER}/workspaces/${kind}`, record.createdAt, record.modifiedAt, properties);
}

function versionResource(ws: WorkspaceStore, kind: VersionedKind, record: AssetRecord): JsonObject {
  const properties: JsonObject = { isAnonymous: false, isArchived: false, ...record.properties, provisioningState: "Succeeded" };
  if (kind === "environments") properties["environmentType"] = "UserCreated";
  if (kind === "data") delete properties["provisioningState"];
  const version = record.version ?? "";
  return armEnvelope(ws.resourceId(kind, record.name, "versions", version), version, `${PROVIDER}/workspaces/${kind}/versions`, record.createdAt, record.modifiedAt, properties);
}

/** What the service checks beyond the spec. */
function contentIssues(ws: WorkspaceStore, kind: VersionedKind, properties: JsonObject): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const uri = kind === "data" ? properties["dataUri"] : kind === "models" ? properties["modelUri"] : undefined;
  if (typeof uri === "string") {
    const match = /^azureml:\/\/datastores\/([^/]+)\/paths\//.exec(uri);
    if (match?.[1] !== undefined && !ws.datastores.has(match[1])) {
      issues.push({ code: "REFERENCE_NOT_FOUND", path: `properties.${kind === "data" ? "dataUri" : "modelUri"}`, message: `Datastore '${match[1]}' does not exist in this workspace` });
    }
  }
  if (kind === "models" && typeof uri !== "string") issues.push({ code: "REQUIRED_PROPERTY_MISSING", path: "properties.modelUri", message: "A model version needs a modelUri" });
  if (kind === "environments") {
    const image = properties["image"];
    const build = properties["build"];
    if ((typeof image === "string") === isJsonObject(build)) {
      issues.push({ code: "INVALID_ENVIRONMENT", path: "properties", message: "An environment version needs exactly one of image and build" });
    }
    const context = isJsonObject(build) ? build["contextUri"] : undefined;
    if (typeof context === "string" && !/^https:\/\//.test(context)) {
      issues.push({ code: "INVALID_BUILD_CONTEXT", path: "properties.build.contextUri", message: "The build context must be a blob storage URL (https://...)" });
    }
  }
  return issues;
}

function putVersion(ctx: EmulatorContext, call: ArmCall, kind: VersionedKind): EmulatorResponse {
  const { ws } = call;
  const store = storeOf(ws, kind);
  const name = call.pathParams["name"] ?? "";
  const version = call.pathParams["version"] ?? "";
  const body = isJsonObject(call.body) ? call.body : {};
  const properties = withoutReadOnly(isJsonObject(body["properties"]) ? body["properties"] : {}, READ_ONLY);
  const issues = contentIssues(ws, kind, properties);
  if (issues.length > 0) return userError(`${LABELS[kind]} version ${name}:${version} is not valid: ${issues[0]?.message ?? ""}`, issues);
  const key = versionKey(name, version);
  const existing = store.versions.get(key);
  const now = ctx.clock.now();
  if (existing) {
    const definition = ctx.validator.docs.definition(ctx.validator.docs.mainFile, DEFINITIONS[kind]);
    const changed = ctx.validator.createOnlyProperties(definition, properties).filter((p) => !deepEqual(existing.properties[p] ?? null, properties[p] ?? null));
    if (changed.length > 0) {
      const details = changed.map((p): SpecIssue => ({ code: "IMMUTABLE_PROPERTY", path: `properties.${p}`, message: `${p} cannot be changed once ${name}:${version} exists (x-ms-mutability: create, read)` }));
      return userError(`${LABELS[kind]} version ${name}:${version} already exists with different ${changed.join(", ")}.`, details);
    }
    existing.properties = properties;
    existing.modifiedAt = now;
    return jsonResponse(200, versionResource(ws, kind, existing));
  }
  if (!store.containers.has(name)) store.containers.set(name, { name, version: undefined, properties: {}, createdAt: now, modifiedAt: now });
  const record: AssetRecord = { name, version, properties, createdAt: now, modifiedAt: now };
  store.versions.set(key, record);
  return jsonResponse(201, versionResource(ws, kind, record));
}

function listVersions(ctx: EmulatorContext, call: ArmCall, kind: VersionedKind): EmulatorResponse {
  const { ws, request } = call;
  let records = versionsOf(storeOf(ws, kind), call.pathParams["name"] ?? "");
  const view = request.query.get("listViewType") ?? "ActiveOnly";
  if (view !== "All") records = records.filter((r) => (r.properties["isArchived"] === true) === (view === "ArchivedOnly"));
  // Newest first; versions created at the same instant, the later one first.
  records.reverse().sort((a, b) => b.createdAt - a.createdAt);
  const top = Number(request.query.get("$top") ?? "0");
  if (Number.isInteger(top) && top > 0) records = records.slice(0, top);
  return jsonResponse(200, armPage(ctx, call, records.map((r) => versionResource(ws, kind, r)), 100));
}

export function assetVersionRoutes(ctx: EmulatorContext, call: ArmCall): EmulatorResponse | undefined {
  if (call.operationId === "Datastores_CreateOrUpdate") return putDatastore(ctx, call);
  const match = /^(Data|Model|Environment)(Containers|Versions)_(List|Get|CreateOrUpdate)$/.exec(call.operationId);
  const kind = match?.[1] !== undefined ? KINDS[match[1]] : undefined;
  if (!match || kind === undefined) return undefined;
  const { ws } = call;
  const store = storeOf(ws, kind);
  const name = call.pathParams["name"] ?? "";
  switch (`${match[2] ?? ""}_${match[3] ?? ""}`) {
    case "Containers_List":
      return jsonResponse(200, armPage(ctx, call, [...store.containers.values()].map((r) => containerResource(ws, kind, store, r)), 100));
    case "Containers_Get": {
      const record = store.containers.get(name);
      return record ? jsonResponse(200, containerResource(ws, kind, store, record)) : notFound(`${LABELS[kind]} container '${name}'`);
    }
    case "Containers_CreateOrUpdate": {
      const body = isJsonObject(call.body) ? call.body : {};
      const properties = withoutReadOnly(isJsonObject(body["properties"]) ? body["properties"] : {}, READ_ONLY);
      const now = ctx.clock.now();
      const existing = store.containers.get(name);
      const record: AssetRecord = existing ?? { name, version: undefined, properties, createdAt: now, modifiedAt: now };
      record.properties = properties;
      record.modifiedAt = now;
      store.containers.set(name, record);
      return jsonResponse(existing ? 200 : 201, containerResource(ws, kind, store, record));
    }
    case "Versions_List":
      return listVersions(ctx, call, kind);
    case "Versions_Get": {
      const record = store.versions.get(versionKey(name, call.pathParams["version"] ?? ""));
      return record ? jsonResponse(200, versionResource(ws, kind, record)) : notFound(`${LABELS[kind]} version '${name}:${call.pathParams["version"] ?? ""}'`);
    }
    case "Versions_CreateOrUpdate":
      return putVersion(ctx, call, kind);
  }
  return undefined;
}

/** Secrets are accepted and dropped: a GET shows only `{"secretsType": ...}`, as Azure does. */
function putDatastore(ctx: EmulatorContext, call: ArmCall): EmulatorResponse {
  const { ws } = call;
  const name = call.pathParams["name"] ?? "";
  const body = isJsonObject(call.body) ? call.body : {};
  const properties = withoutReadOnly(isJsonObject(body["properties"]) ? body["properties"] : {}, ["isDefault"]);
  const credentials = isJsonObject(properties["credentials"]) ? { ...properties["credentials"] } : {};
  if (isJsonObject(credentials["secrets"])) credentials["secrets"] = { secretsType: credentials["secrets"]["secretsType"] ?? null };
  properties["credentials"] = credentials;
  const existing = ws.datastores.get(name);
  if (existing?.properties["isDefault"] === true) {
    const issues: SpecIssue[] = [{ code: "DEFAULT_DATASTORE", path: "name", message: `${name} is a workspace's default datastore and cannot be replaced` }];
    return userError(`Datastore ${name} cannot be changed: it is the workspace's default datastore.`, issues);
  }
  const now = ctx.clock.now();
  const stored: AssetRecord = { name, version: undefined, properties: { ...properties, isDefault: false }, createdAt: existing?.createdAt ?? now, modifiedAt: now };
  ws.datastores.set(name, stored);
  return jsonResponse(existing ? 200 : 201, armEnvelope(ws.resourceId("datastores", name), name, `${PROVIDER}/workspaces/datastores`, stored.createdAt, now, stored.properties));
}
