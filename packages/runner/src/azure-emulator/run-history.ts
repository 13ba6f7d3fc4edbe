// The data plane a watcher uses (REST.md §3): discovery, run, run details (with log file SAS URLs),
// child runs; and the log files themselves, served as blobs in the artifact container that grow
// as the emulator clock moves.
import { isoTime } from "./clock.js";
import type { VirtualBlobSource } from "./blob-store.js";
import type { EmulatorContext } from "./context.js";
import { errorResponse, jsonResponse, type EmulatorRequest, type EmulatorResponse } from "./http.js";
import { uuidFrom } from "./ids.js";
import { isJsonObject, stringMap, type Json, type JsonObject } from "./json.js";
import { lifecycleDefaults, logText, pipelineLogText, runError, runStatus, runTimes, type SimulatedRun } from "./job-simulation.js";
import type { WorkspaceStore } from "./workspace-store.js";

export const RUN_HISTORY_PATH =
  /^\/history\/v1\.0\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.MachineLearningServices\/workspaces\/([^/]+)\/(?:experiments\/[^/]+\/|experimentids\/[^/]+\/)?runs\/([^/]+)(?:\/(details|children))?\/?$/i;

export const ARTIFACT_CONTAINER = "azureml";

export function discoveryDocument(ctx: EmulatorContext): JsonObject {
  const api = ctx.baseUrl;
  return { api, catalog: api, experimentation: api, gallery: api, history: api, hyperdrive: api, labeling: api, modelmanagement: api, pipelines: api, studio: "https://ml.azure.com" };
}

function logBlobName(run: SimulatedRun): string {
  return `ExperimentRun/dcid.${run.runId}/${run.logName}`;
}

interface RunContext {
  readonly run: SimulatedRun;
  readonly ws: WorkspaceStore;
  readonly now: number;
  readonly cancelMs: number;
}

function visible(run: SimulatedRun, now: number): boolean {
  return now >= run.schedule.createdAt;
}

/** Node body (from the parent's PUT) of a pipeline step, or the job's own properties. */
function definitionOf(ws: WorkspaceStore, run: SimulatedRun): { tags: Record<string, string>; properties: Record<string, string>; computeId: string | undefined; experiment: string } {
  const job = ws.jobs.get(run.parentRunId ?? run.runId);
  const props = job?.properties ?? {};
  const experiment = typeof props["experimentName"] === "string" ? props["experimentName"] : "Default";
  if (run.node === undefined) {
    const settings = isJsonObject(props["settings"]) ? props["settings"] : {};
    const compute = props["computeId"] ?? settings["default_compute"];
    return { tags: stringMap(props["tags"]), properties: stringMap(props["properties"]), computeId: typeof compute === "string" ? compute : undefined, experiment };
  }
  const jobs = isJsonObject(props["jobs"]) ? props["jobs"] : {};
  const node = jobs[run.node];
  const nodeObject: JsonObject = isJsonObject(node) ? node : {};
  const compute = nodeObject["computeId"];
  return { tags: stringMap(nodeObject["tags"]), properties: stringMap(nodeObject["properties"]), computeId: typeof compute === "string" ? compute : undefined, experiment };
}

function baseFields(rc: RunContext): JsonObject {
  const { run, ws, now, cancelMs } = rc;
  const def = definitionOf(ws, run);
  const times = runTimes(run, now, cancelMs);
  const root = run.parentRunId === undefined ? run : ws.runs.get(run.parentRunId);
  const fields: JsonObject = {
    runId: run.runId,
    runUuid: run.runUuid,
    rootRunId: root?.runId ?? run.runId,
    rootRunUuid: root?.runUuid ?? run.runUuid,
    experimentId: uuidFrom(`${ws.workspaceId}/experiment/${def.experiment}`),
    status: runStatus(run, now, cancelMs),
    runNumber: run.runNumber,
    target: def.computeId?.split("/").at(-1) ?? "serverless",
    tags: def.tags,
    properties: {
      ...def.properties,
      "azureml.runsource": run.kind === "pipeline" ? "azureml.PipelineRun" : run.kind === "step" ? "azureml.StepRun" : "azureml.scriptrun",
      ...(run.node !== undefined ? { "azureml.nodeid": run.node, "azureml.pipelinerunid": run.parentRunId ?? "" } : {}),
    },
    runTypeV2: { orchestrator: run.kind === "pipeline" ? "AzureMLPipeline" : "Execution", traits: run.kind === "step" ? ["azureml.StepRun"] : [] },
    warnings: [],
  };
  if (run.parentRunId !== undefined) {
    fields["parentRunId"] = run.parentRunId;
    if (root) fields["parentRunUuid"] = root.runUuid;
  }
  if (times.startedAt !== undefined) fields["startTimeUtc"] = isoTime(times.startedAt);
  if (times.endedAt !== undefined) fields["endTimeUtc"] = isoTime(times.endedAt);
  const error = runError(run, now, cancelMs);
  if (error !== undefined) fields["error"] = { error: { code: "UserError", message: error } };
  return fields;
}

function runObject(ctx: EmulatorContext, rc: RunContext): JsonObject {
  const { run } = rc;
  return {
    ...baseFields(rc),
    name: run.node ?? run.runId,
    displayName: run.displayName,
    createdUtc: isoTime(run.schedule.createdAt),
    lastModifiedUtc: isoTime(Math.min(rc.now, runTimes(run, rc.now, rc.cancelMs).endedAt ?? rc.now)),
    runType: run.kind === "pipeline" ? "azureml.PipelineRun" : run.kind === "step" ? "azureml.StepRun" : "azureml.scriptrun",
    dataContainerId: `dcid.${run.runId}`,
    hidden: false,
  };
}

function detailsObject(ctx: EmulatorContext, rc: RunContext): JsonObject {
  const { run, now } = rc;
  const logFiles: JsonObject = {};
  if (now >= run.schedule.runningAt || (run.cancelAt !== undefined && now >= run.cancelAt)) {
    const name = logBlobName(run);
    logFiles[run.logName] = `${ctx.baseUrl}/${ctx.blobs.account}/${ARTIFACT_CONTAINER}/${name}?${ctx.blobs.sas(ARTIFACT_CONTAINER, "r", ctx.sasTtlMs, name)}`;
  }
  return { ...baseFields(rc), createdTimeUtc: isoTime(run.schedule.createdAt), logFiles, revision: run.runNumber };
}

export function runHistoryRoute(ctx: EmulatorContext, workspaces: ReadonlyMap<string, WorkspaceStore>, request: EmulatorRequest, workspaceKey: (sub: string, rg: string, ws: string) => string): EmulatorResponse {
  const match = RUN_HISTORY_PATH.exec(request.path);
  if (!match || request.method !== "GET") {
    return errorResponse(request.method === "GET" ? 404 : 405, "NotFound", `The emulator's run-history routes are GET runs/{runId}, runs/{runId}/details and runs/{runId}/children; ${request.method} ${request.path.split("?")[0] ?? ""} is not one of them.`);
  }
  const [, sub = "", rg = "", wsName = "", rawRunId = "", kind] = match;
  const ws = workspaces.get(workspaceKey(decodeURIComponent(sub), decodeURIComponent(rg), decodeURIComponent(wsName)));
  if (!ws) return errorResponse(404, "NotFound", `Workspace '${decodeURIComponent(wsName)}' is not served by this emulator.`);
  const runId = decodeURIComponent(rawRunId);
  const now = ctx.clock.now();
  const cancelMs = lifecycleDefaults(ctx.lifecycle()).cancelMs;
  const run = ws.runs.get(runId);
  const operationId = kind === "details" ? "RunHistory_GetDetails" : kind === "children" ? "RunHistory_GetChildren" : "RunHistory_GetRun";
  if (!run || !visible(run, now)) return { ...errorResponse(404, "NotFound", `Run ${runId} was not found.`), operationId };
  if (kind === "details") return { ...jsonResponse(200, detailsObject(ctx, { run, ws, now, cancelMs })), operationId };
  if (kind !== "children") return { ...jsonResponse(200, runObject(ctx, { run, ws, now, cancelMs })), operationId };
  const children = [...ws.runs.values()].filter((r) => r.parentRunId === runId && visible(r, now)).sort((a, b) => a.runNumber - b.runNumber);
  const top = Number(request.query.get("$top") ?? "100");
  const size = Number.isInteger(top) && top > 0 ? top : 100;
  const token = Number(request.query.get("$continuationtoken") ?? request.query.get("continuationToken") ?? "0");
  const offset = Number.isInteger(token) && token > 0 ? token : 0;
  const page: JsonObject = { value: children.slice(offset, offset + size).map((r): Json => runObject(ctx, { run: r, ws, now, cancelMs })) };
  if (offset + size < children.length) {
    const next = String(offset + size);
    const query = new URLSearchParams(request.query);
    query.set("$continuationtoken", next);
    page["continuationToken"] = next;
    page["nextLink"] = `${ctx.baseUrl}${request.path}?${query.toString()}`;
  }
  return { ...jsonResponse(200, page), operationId };
}

/** Serves run logs as blobs in the artifact container, computed at read time. */
export function logBlobSource(ctx: EmulatorContext, workspaces: ReadonlyMap<string, WorkspaceStore>): VirtualBlobSource {
  const parse = (name: string): { run: SimulatedRun; ws: WorkspaceStore } | undefined => {
    const match = /^ExperimentRun\/dcid\.([^/]+)\/(.+)$/.exec(name);
    if (!match) return undefined;
    for (const ws of workspaces.values()) {
      const run = ws.runs.get(match[1] ?? "");
      if (run && run.logName === match[2]) return { run, ws };
    }
    return undefined;
  };
  const started = (run: SimulatedRun, now: number): boolean => now >= run.schedule.runningAt || (run.cancelAt !== undefined && now >= run.cancelAt);
  return {
    get(container, name) {
      if (container !== ARTIFACT_CONTAINER) return undefined;
      const found = parse(name);
      const now = ctx.clock.now();
      if (!found || !started(found.run, now)) return undefined;
      const { run, ws } = found;
      const cancelMs = lifecycleDefaults(ctx.lifecycle()).cancelMs;
      const text = run.kind === "pipeline" ? pipelineLogText([...ws.runs.values()].filter((r) => r.parentRunId === run.runId), now, cancelMs) : logText(run, now);
      return { content: Buffer.from(text, "utf8"), modifiedAt: now };
    },
    list(container, prefix) {
      if (container !== ARTIFACT_CONTAINER) return [];
      const now = ctx.clock.now();
      const names: string[] = [];
      for (const ws of workspaces.values()) {
        for (const run of ws.runs.values()) {
          const name = logBlobName(run);
          if (name.startsWith(prefix) && started(run, now)) names.push(name);
        }
      }
      return names;
    },
  };
}
