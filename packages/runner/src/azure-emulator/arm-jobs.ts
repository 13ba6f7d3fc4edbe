// ARM job routes: create (PUT, idempotent by name), get, list, cancel (a long-running operation
// with a Location to poll), plus the operation-result route that Location points at.
import { ML_AUDIENCE } from "./auth.js";
import { armPage, type ArmCall, type EmulatorContext } from "./context.js";
import { notFound, parseAssetId, userError } from "./arm-assets.js";
import { emptyResponse, errorResponse, header, jsonResponse, type EmulatorRequest, type EmulatorResponse } from "./http.js";
import { uuidFrom } from "./ids.js";
import { deepEqual, isJsonObject, stringMap, type JsonObject } from "./json.js";
import {
  behaviourFor,
  isTerminal,
  lifecycleDefaults,
  runStatus,
  schedulePipeline,
  scheduleSingle,
  type SimulatedRun,
} from "./job-simulation.js";
import { inspectPipelineJob } from "./pipeline-shape.js";
import type { SpecIssue } from "./spec-validator.js";
import { armEnvelope, PROVIDER, versionKey, withoutReadOnly, type JobRecord, type WorkspaceStore } from "./workspace-store.js";

const JOB_TYPE = `${PROVIDER}/workspaces/jobs`;

export function jobResource(ctx: EmulatorContext, ws: WorkspaceStore, job: JobRecord): JsonObject {
  const host = new URL(ctx.baseUrl).host;
  const cancelMs = lifecycleDefaults(ctx.lifecycle()).cancelMs;
  const stored = job.properties;
  const services = isJsonObject(stored["services"]) ? stored["services"] : {};
  const properties: JsonObject = {
    experimentName: "Default",
    isArchived: false,
    ...stored,
    status: runStatus(job.run, ctx.clock.now(), cancelMs),
    services: {
      ...services,
      Tracking: { jobServiceType: "Tracking", endpoint: `azureml://${host}/mlflow/v1.0${ws.armId}?` },
      Studio: { jobServiceType: "Studio", endpoint: `https://ml.azure.com/runs/${encodeURIComponent(job.name)}?wsid=${ws.armId}` },
    },
  };
  return armEnvelope(ws.resourceId("jobs", job.name), job.name, JOB_TYPE, job.createdAt, job.modifiedAt, properties);
}

function isExpression(value: string): boolean {
  return value === "serverless" || value.includes("${{");
}

function computeName(ws: WorkspaceStore, value: string): string | undefined | "elsewhere" {
  const id = value.replace(/^azureml:/, "");
  if (!id.startsWith("/subscriptions/")) return id; // a bare name
  const prefix = `${ws.armId}/computes/`.toLowerCase();
  return id.toLowerCase().startsWith(prefix) ? id.slice(prefix.length) : "elsewhere";
}

/** Cross-references a job body makes to this workspace: components, code, computes. */
function referenceIssues(ws: WorkspaceStore, properties: JsonObject, nodes: readonly { name: string; componentId: string | undefined; computeId: string | undefined }[]): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const checkCompute = (value: unknown, path: string): void => {
    if (typeof value !== "string" || isExpression(value)) return;
    const name = computeName(ws, value);
    if (name !== "elsewhere" && (name === undefined || !ws.computes.has(name))) {
      issues.push({ code: "REFERENCE_NOT_FOUND", path, message: `Compute ${value} does not exist in this workspace` });
    }
  };
  const checkComponent = (value: unknown, path: string): void => {
    if (typeof value !== "string" || isExpression(value)) return;
    const ref = parseAssetId(ws, "components", value);
    if (ref === "elsewhere") return;
    if (ref === undefined || !ws.componentVersions.has(versionKey(ref.name, ref.version))) {
      issues.push({ code: "REFERENCE_NOT_FOUND", path, message: `Component ${value} does not exist in this workspace (register it before the job)` });
    }
  };
  checkCompute(properties["computeId"], "properties.computeId");
  checkComponent(properties["componentId"], "properties.componentId");
  const settings = properties["settings"];
  if (isJsonObject(settings)) checkCompute(settings["default_compute"], "properties.settings.default_compute");
  const codeId = properties["codeId"];
  if (typeof codeId === "string") {
    const ref = parseAssetId(ws, "codes", codeId);
    if (ref === undefined || (ref !== "elsewhere" && !ws.codeVersions.has(versionKey(ref.name, ref.version)))) {
      issues.push({ code: "REFERENCE_NOT_FOUND", path: "properties.codeId", message: `Code asset ${codeId} does not exist in this workspace` });
    }
  }
  for (const node of nodes) {
    checkComponent(node.componentId, `properties.jobs.${node.name}.componentId`);
    checkCompute(node.computeId, `properties.jobs.${node.name}.computeId`);
  }
  return issues;
}

function createRuns(ctx: EmulatorContext, ws: WorkspaceStore, name: string, properties: JsonObject, nodes: ReturnType<typeof inspectPipelineJob> | undefined): { run: SimulatedRun; children: SimulatedRun[] } {
  const now = ctx.clock.now();
  const lifecycle = ctx.lifecycle();
  const jobType = String(properties["jobType"] ?? "");
  const tags = stringMap(properties["tags"]);
  const displayName = typeof properties["displayName"] === "string" ? properties["displayName"] : name;
  const number = (): number => ws.runs.size + 1;
  if (!nodes) {
    const componentId = typeof properties["componentId"] === "string" ? properties["componentId"] : undefined;
    const single = scheduleSingle(now, name, behaviourFor(lifecycle, { jobName: name, node: undefined, jobType, tags, componentId }), lifecycle);
    const run: SimulatedRun = { runId: name, runUuid: uuidFrom(`${ws.workspaceId}/${name}`), runNumber: number(), parentRunId: undefined, node: undefined, displayName, kind: "job", schedule: single.schedule, lines: single.lines, logName: "user_logs/std_log.txt", cancelAt: undefined };
    ws.runs.set(run.runId, run);
    return { run, children: [] };
  }
  const steps = nodes.nodes.map((node) => ({
    node: node.name,
    dependsOn: node.dependsOn,
    behaviour: behaviourFor(lifecycle, { jobName: name, node: node.name, jobType: node.type, tags: { ...tags, ...node.tags }, componentId: node.componentId }),
  }));
  const plan = schedulePipeline(now, steps, nodes.continueOnStepFailure, lifecycle);
  const run: SimulatedRun = { runId: name, runUuid: uuidFrom(`${ws.workspaceId}/${name}`), runNumber: number(), parentRunId: undefined, node: undefined, displayName, kind: "pipeline", schedule: plan.pipeline, lines: [], logName: "logs/azureml/executionlogs.txt", cancelAt: undefined };
  ws.runs.set(run.runId, run);
  const children = plan.steps.map((step): SimulatedRun => {
    const shape = nodes.nodes.find((n) => n.name === step.node);
    const child: SimulatedRun = {
      runId: uuidFrom(`${ws.workspaceId}/${name}/${step.node}`),
      runUuid: uuidFrom(`${ws.workspaceId}/${name}/${step.node}/uuid`),
      runNumber: number(),
      parentRunId: name,
      node: step.node,
      displayName: shape?.displayName ?? step.node,
      kind: "step",
      schedule: step.schedule,
      lines: step.lines,
      logName: "user_logs/std_log.txt",
      cancelAt: undefined,
    };
    ws.runs.set(child.runId, child);
    return child;
  });
  return { run, children };
}

function putJob(ctx: EmulatorContext, call: ArmCall): EmulatorResponse {
  const { ws } = call;
  const name = call.pathParams["id"] ?? "";
  const body = isJsonObject(call.body) ? call.body : {};
  const properties = withoutReadOnly(isJsonObject(body["properties"]) ? body["properties"] : {}, ["status"]);
  if (properties["jobType"] === "Pipeline") {
    const denied = ctx.auth.checkToken(header(call.request, "x-azureml-token"), [ML_AUDIENCE], "x-azureml-token");
    if (denied) return denied;
  }
  if (ws.runs.has(name) && !ws.jobs.has(name)) {
    return userError(`Job '${name}' is a pipeline step; steps are created by their pipeline job, not by PUT.`, [{ code: "CONFLICT", path: "path.id", message: "name of an existing pipeline step" }]);
  }
  const shape = properties["jobType"] === "Pipeline" ? inspectPipelineJob(properties) : undefined;
  const issues = [...(shape?.issues ?? []), ...referenceIssues(ws, properties, shape?.nodes ?? [])];
  if (issues.length > 0) return userError(`The ${String(properties["jobType"])} job '${name}' is not valid: ${issues[0]?.message ?? ""}`, issues);
  const now = ctx.clock.now();
  const existing = ws.jobs.get(name);
  if (existing) {
    const jobBase = ctx.validator.docs.definition(ctx.validator.docs.mainFile, "JobBase");
    const changed = ctx.validator.createOnlyProperties(jobBase, properties).filter((key) => !deepEqual(existing.properties[key] ?? null, properties[key] ?? null));
    if (changed.length > 0) {
      const details = changed.map((p): SpecIssue => ({ code: "IMMUTABLE_PROPERTY", path: `properties.${p}`, message: `${p} cannot be changed after the job was created (x-ms-mutability: create, read)` }));
      return userError(`Job '${name}' already exists with different ${changed.join(", ")}; only tags, description, properties, isArchived and notificationSetting can be updated.`, details);
    }
    existing.properties = { ...existing.properties, ...properties };
    existing.modifiedAt = now;
    return jsonResponse(200, jobResource(ctx, ws, existing));
  }
  const { run, children } = createRuns(ctx, ws, name, properties, shape);
  const job: JobRecord = { name, properties, createdAt: now, modifiedAt: now, run, children };
  ws.jobs.set(name, job);
  return jsonResponse(201, jobResource(ctx, ws, job));
}

function listJobs(ctx: EmulatorContext, call: ArmCall): EmulatorResponse {
  const { ws, request } = call;
  let jobs = [...ws.jobs.values()];
  const jobType = request.query.get("jobType");
  if (jobType !== null) jobs = jobs.filter((j) => String(j.properties["jobType"] ?? "").toLowerCase() === jobType.toLowerCase());
  const tag = request.query.get("tag");
  if (tag !== null) jobs = jobs.filter((j) => Object.hasOwn(stringMap(j.properties["tags"]), tag));
  const view = request.query.get("listViewType") ?? "ActiveOnly";
  if (view !== "All") jobs = jobs.filter((j) => (j.properties["isArchived"] === true) === (view === "ArchivedOnly"));
  const wanted = request.query.get("properties");
  if (wanted !== null) {
    const pairs = wanted.split(",").filter((p) => p !== "").map((p) => p.split("="));
    jobs = jobs.filter((j) => {
      const props = stringMap(j.properties["properties"]);
      return pairs.every(([key = "", value]) => Object.hasOwn(props, key) && (value === undefined || props[key] === value));
    });
  }
  jobs.sort((a, b) => b.createdAt - a.createdAt || (a.name < b.name ? -1 : 1));
  return jsonResponse(200, armPage(ctx, call, jobs.map((j) => jobResource(ctx, ws, j)), 50));
}

function operationLocation(ctx: EmulatorContext, ws: WorkspaceStore, operationId: string, apiVersion: string): string {
  return `${ctx.baseUrl}/subscriptions/${ws.identity.subscriptionId}/providers/${PROVIDER}/locations/${ctx.location}/mfeOperationResults/jc:${operationId}?api-version=${apiVersion}`;
}

function cancelJob(ctx: EmulatorContext, call: ArmCall): EmulatorResponse {
  const { ws } = call;
  const name = call.pathParams["id"] ?? "";
  const job = ws.jobs.get(name);
  if (!job) {
    if (ws.runs.has(name)) return userError(`'${name}' is a pipeline step; cancel its pipeline job instead.`, [{ code: "NOT_A_JOB", path: "path.id", message: "pipeline step" }]);
    return notFound(`Job '${name}'`);
  }
  const now = ctx.clock.now();
  const cancelMs = lifecycleDefaults(ctx.lifecycle()).cancelMs;
  if (isTerminal(runStatus(job.run, now, cancelMs))) return emptyResponse(200);
  for (const run of [job.run, ...job.children]) {
    if (run.cancelAt === undefined && !isTerminal(runStatus(run, now, cancelMs))) run.cancelAt = now;
  }
  const operationId = ctx.ids.uuid("operation");
  ws.operations.set(operationId, name);
  return emptyResponse(202, { location: operationLocation(ctx, ws, operationId, call.apiVersion), "retry-after": String(ctx.lroRetryAfterSeconds) });
}

export function jobRoutes(ctx: EmulatorContext, call: ArmCall): EmulatorResponse | undefined {
  const { ws } = call;
  switch (call.operationId) {
    case "Jobs_CreateOrUpdate":
      return putJob(ctx, call);
    case "Jobs_Get": {
      const name = call.pathParams["id"] ?? "";
      const job = ws.jobs.get(name);
      if (job) return jsonResponse(200, jobResource(ctx, ws, job));
      const run = ws.runs.get(name);
      // The service answers for pipeline steps without `properties`; the SDK detects steps that way.
      if (run) return jsonResponse(200, armEnvelope(ws.resourceId("jobs", name), name, JOB_TYPE, run.schedule.createdAt, run.schedule.createdAt, undefined));
      return notFound(`Job '${name}'`);
    }
    case "Jobs_List":
      return listJobs(ctx, call);
    case "Jobs_Cancel":
      return cancelJob(ctx, call);
  }
  return undefined;
}

export const OPERATION_RESULT_PATH = /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.MachineLearningServices\/locations\/([^/]+)\/mfeOperationResults\/jc:([^/?]+)\/?$/i;

/** Polling target of a cancel: 202 while the cancel is in progress, 200 once the job is final. */
export function operationResult(ctx: EmulatorContext, workspaces: Iterable<WorkspaceStore>, request: EmulatorRequest): EmulatorResponse {
  const match = OPERATION_RESULT_PATH.exec(request.path);
  const operationId = decodeURIComponent(match?.[3] ?? "");
  for (const ws of workspaces) {
    const jobName = ws.operations.get(operationId);
    const job = jobName === undefined ? undefined : ws.jobs.get(jobName);
    if (!job) continue;
    const status = runStatus(job.run, ctx.clock.now(), lifecycleDefaults(ctx.lifecycle()).cancelMs);
    if (isTerminal(status)) return emptyResponse(200);
    return emptyResponse(202, { location: `${ctx.baseUrl}${request.path}${request.url.search}`, "retry-after": String(ctx.lroRetryAfterSeconds) });
  }
  return errorResponse(404, "ResourceNotFound", "No such operation in the emulator.");
}
