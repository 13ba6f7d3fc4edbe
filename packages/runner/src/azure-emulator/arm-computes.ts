// Long-running creations: Compute_CreateOrUpdate (201 + Azure-AsyncOperation, as the spec
// declares) and the workspace PUT (202 + Azure-AsyncOperation). The operation reports InProgress
// for the first polls, then Succeeded (or Failed when the definition carries the emulator's
// outcome tag), and the resource's provisioningState follows it.
import { isoTime } from "./clock.js";
import type { ArmCall, EmulatorContext } from "./context.js";
import { errorResponse, jsonResponse, type EmulatorRequest, type EmulatorResponse } from "./http.js";
import { isJsonObject, type Json, type JsonObject } from "./json.js";
import { EMULATOR_OUTCOME_TAG } from "./job-simulation.js";
import { userError } from "./arm-assets.js";
import type { SpecIssue } from "./spec-validator.js";
import { PROVIDER, withoutReadOnly, type WorkspaceIdentity, type WorkspaceStore } from "./workspace-store.js";

/** Polling target of a compute or workspace creation. */
export const CREATION_OPERATION_PATH = /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.MachineLearningServices\/locations\/([^/]+)\/(compute|workspace)OperationsStatus\/([^/?]+)\/?$/i;

/** Polls answered InProgress before an operation ends. */
const POLLS_BEFORE_DONE = 2;

interface CreationOperation {
  polls: number;
  readonly failed: boolean;
  readonly startedAt: number;
  /** Sets the resource's provisioningState when the operation ends. */
  readonly finish: (state: "Succeeded" | "Failed") => void;
}

const OPERATIONS = new WeakMap<EmulatorContext, Map<string, CreationOperation>>();

function operations(ctx: EmulatorContext): Map<string, CreationOperation> {
  let map = OPERATIONS.get(ctx);
  if (!map) OPERATIONS.set(ctx, (map = new Map()));
  return map;
}

function startOperation(ctx: EmulatorContext, kind: "compute" | "workspace", subscriptionId: string, request: EmulatorRequest, failed: boolean, finish: CreationOperation["finish"]): Record<string, string> {
  const id = ctx.ids.uuid(`${kind}-operation`);
  operations(ctx).set(id, { polls: 0, failed, startedAt: ctx.clock.now(), finish });
  const url = `${ctx.baseUrl}/subscriptions/${subscriptionId}/providers/${PROVIDER}/locations/${ctx.location}/${kind}OperationsStatus/${id}?api-version=${request.query.get("api-version") ?? ""}`;
  return { "azure-asyncoperation": url, "retry-after": String(ctx.lroRetryAfterSeconds) };
}

/** `GET .../{compute|workspace}OperationsStatus/{id}`: the Azure-AsyncOperation status body. */
export function creationOperationStatus(ctx: EmulatorContext, request: EmulatorRequest): EmulatorResponse {
  const match = CREATION_OPERATION_PATH.exec(request.path);
  const id = decodeURIComponent(match?.[4] ?? "");
  const operation = operations(ctx).get(id);
  if (!operation) return errorResponse(404, "ResourceNotFound", "No such operation in the emulator.");
  operation.polls += 1;
  const startTime = isoTime(operation.startedAt);
  if (operation.polls <= POLLS_BEFORE_DONE) {
    return jsonResponse(200, { id, name: id, status: "InProgress", startTime }, { "retry-after": String(ctx.lroRetryAfterSeconds) });
  }
  const status = operation.failed ? "Failed" : "Succeeded";
  operation.finish(status);
  const body: JsonObject = { id, name: id, status, startTime, endTime: isoTime(ctx.clock.now()) };
  if (operation.failed) body["error"] = { code: "ComputeProvisioningFailed", message: `Provisioning failed (the definition asked for it with the tag ${EMULATOR_OUTCOME_TAG}).` };
  return jsonResponse(200, body);
}

function tagsOf(body: JsonObject): JsonObject {
  return isJsonObject(body["tags"]) ? body["tags"] : {};
}

/** Compute_CreateOrUpdate: stored as Creating, answered 201 with the operation to poll. */
export function computeCreateRoute(ctx: EmulatorContext, call: ArmCall): EmulatorResponse | undefined {
  if (call.operationId !== "Compute_CreateOrUpdate") return undefined;
  const { ws, request } = call;
  const name = call.pathParams["computeName"] ?? "";
  const body = isJsonObject(call.body) ? call.body : {};
  const inner = withoutReadOnly(isJsonObject(body["properties"]) ? body["properties"] : {}, ["provisioningState", "createdOn", "modifiedOn", "provisioningErrors", "isAttachedCompute"]);
  const type = inner["computeType"];
  const issues: SpecIssue[] = [];
  if ((type === "Kubernetes" || type === "VirtualMachine") && typeof inner["resourceId"] !== "string") {
    issues.push({ code: "REQUIRED_PROPERTY_MISSING", path: "properties.resourceId", message: `Attaching a ${String(type)} compute needs the ARM id of the resource (properties.resourceId)` });
  }
  const existing = ws.computes.get(name);
  const existingType = isJsonObject(existing?.["properties"]) ? existing["properties"]["computeType"] : undefined;
  if (existingType !== undefined && existingType !== type) {
    issues.push({ code: "COMPUTE_TYPE_CHANGE", path: "properties.computeType", message: `Compute '${name}' exists as ${String(existingType)}; its type cannot change` });
  }
  if (issues.length > 0) return userError(`Compute ${name} cannot be created: ${issues[0]?.message ?? ""}`, issues);
  const now = isoTime(ctx.clock.now());
  const location = typeof body["location"] === "string" ? body["location"] : ctx.location;
  const properties: JsonObject = {
    ...inner,
    computeLocation: typeof inner["computeLocation"] === "string" ? inner["computeLocation"] : location,
    provisioningState: "Creating",
    isAttachedCompute: type === "Kubernetes" || type === "VirtualMachine",
    createdOn: now,
    modifiedOn: now,
  };
  // What a GET shows never includes credentials.
  if (isJsonObject(properties["properties"])) {
    const nested: JsonObject = { ...properties["properties"] };
    delete nested["userAccountCredentials"];
    delete nested["administratorAccount"];
    properties["properties"] = nested;
  }
  const resource: JsonObject = { id: ws.resourceId("computes", name), name, type: `${PROVIDER}/workspaces/computes`, location, tags: tagsOf(body), properties };
  ws.computes.set(name, resource);
  const failed = tagsOf(body)[EMULATOR_OUTCOME_TAG] === "Failed";
  const headers = startOperation(ctx, "compute", ws.identity.subscriptionId, request, failed, (state) => {
    properties["provisioningState"] = state;
    properties["modifiedOn"] = isoTime(ctx.clock.now());
  });
  return jsonResponse(existing ? 200 : 201, resource, headers);
}

const WORKSPACE_KEYS = new Set(["location", "tags", "identity", "sku", "kind", "properties"]);

/**
 * The workspace PUT. Its operation (Workspaces_CreateOrUpdate) lives in workspaceRP.json, which is
 * not among the copied spec files, so the body is checked by hand: location required, known
 * top-level keys only, properties an object.
 */
export function workspaceCreateRoute(
  ctx: EmulatorContext,
  request: EmulatorRequest,
  identity: WorkspaceIdentity,
  existing: WorkspaceStore | undefined,
  create: () => WorkspaceStore,
  describe: (ws: WorkspaceStore) => JsonObject,
): EmulatorResponse {
  let body: Json;
  try {
    body = JSON.parse(request.body.toString("utf8")) as Json;
  } catch {
    return userError("The request body is not valid JSON.", [{ code: "INVALID_JSON", path: "body", message: "The request body is not valid JSON" }]);
  }
  const issues: SpecIssue[] = [];
  if (!isJsonObject(body)) issues.push({ code: "INVALID_TYPE", path: "body", message: "Expected an object" });
  else {
    if (typeof body["location"] !== "string" || body["location"] === "") issues.push({ code: "OBJECT_MISSING_REQUIRED_PROPERTY", path: "location", message: "Missing required property: location" });
    for (const key of Object.keys(body)) if (!WORKSPACE_KEYS.has(key)) issues.push({ code: "OBJECT_ADDITIONAL_PROPERTIES", path: key, message: `Additional property ${key} is not allowed` });
    if (body["properties"] !== undefined && !isJsonObject(body["properties"])) issues.push({ code: "INVALID_TYPE", path: "properties", message: "Expected an object" });
  }
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$/.test(identity.name)) issues.push({ code: "PATTERN", path: "path.workspaceName", message: "Workspace names are 3 to 33 letters, digits, '-' and '_'" });
  if (issues.length > 0) return userError(`The workspace ${identity.name} cannot be created: ${issues[0]?.message ?? ""}`, issues);
  const ws = existing ?? create();
  const headers = startOperation(ctx, "workspace", identity.subscriptionId, request, false, () => undefined);
  return jsonResponse(existing ? 200 : 202, describe(ws), headers);
}
