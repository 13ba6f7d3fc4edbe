/** ARM job resources as the client's plain records (the same shape the local backend returns). */
import type { JobRecord, JobStatus } from "../workspace/records.js";
import { asMap, str, type JsonMap } from "./workspace-api.js";

export interface AzureJobRecord extends JobRecord {
  /** The service's status, e.g. Queued, Running, CancelRequested, NotResponding. */
  readonly azureStatus: string;
  /** ARM id of the job. */
  readonly id: string;
  readonly jobType: string;
  /** The job's page in Azure ML studio (also in `folder`). */
  readonly studioUrl?: string;
  /** Set for a pipeline step: the pipeline job's name. */
  readonly parent?: string;
}

export const SUCCESS_STATUSES: ReadonlySet<string> = new Set(["Completed"]);
export const FAILURE_STATUSES: ReadonlySet<string> = new Set(["Failed", "Canceled"]);
/** The service may come back from these (REST.md §7.2); a watcher keeps polling up to a grace period. */
export const STALLED_STATUSES: ReadonlySet<string> = new Set(["NotResponding", "Paused", "Unknown"]);

export function isFinalStatus(status: string): boolean {
  return SUCCESS_STATUSES.has(status) || FAILURE_STATUSES.has(status);
}

export function recordStatus(azureStatus: string): JobStatus {
  if (azureStatus === "Completed") return "completed";
  if (azureStatus === "Failed") return "failed";
  if (azureStatus === "Canceled") return "canceled";
  return "running";
}

function time(value: unknown): number | undefined {
  const text = str(value);
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** An ARM JobBase resource as a record. */
export function jobRecordFromResource(resource: JsonMap): AzureJobRecord {
  const properties = asMap(resource["properties"]);
  const name = str(resource["name"]) ?? "";
  const azureStatus = str(properties["status"]) ?? "Unknown";
  const studioUrl = str(asMap(asMap(properties["services"])["Studio"])["endpoint"]);
  const systemData = asMap(resource["systemData"]);
  const outputs: Record<string, string> = {};
  for (const [key, value] of Object.entries(asMap(properties["outputs"]))) {
    const uri = str(asMap(value)["uri"]);
    if (uri !== undefined) outputs[key] = uri;
  }
  const displayName = str(properties["displayName"]);
  const experiment = str(properties["experimentName"]);
  return {
    name,
    ...(displayName !== undefined ? { displayName } : {}),
    pipeline: displayName ?? name,
    ...(experiment !== undefined ? { experiment } : {}),
    status: recordStatus(azureStatus),
    createdAt: time(systemData["createdAt"]) ?? 0,
    folder: studioUrl ?? str(resource["id"]) ?? name,
    outputs,
    azureStatus,
    id: str(resource["id"]) ?? "",
    jobType: str(properties["jobType"]) ?? "",
    ...(studioUrl !== undefined ? { studioUrl } : {}),
  };
}

/** A run-history run (a pipeline step) as a record. */
export function jobRecordFromRun(run: JsonMap, parent: string): AzureJobRecord {
  const azureStatus = str(run["status"]) ?? "Unknown";
  const node = str(asMap(run["properties"])["azureml.nodeid"]) ?? str(run["name"]) ?? str(run["runId"]) ?? "";
  const endedAt = time(run["endTimeUtc"]);
  const error = str(asMap(asMap(run["error"])["error"])["message"]);
  const displayName = str(run["displayName"]);
  return {
    name: str(run["runId"]) ?? node,
    ...(displayName !== undefined ? { displayName } : {}),
    pipeline: node,
    status: recordStatus(azureStatus),
    createdAt: time(run["createdUtc"]) ?? time(run["startTimeUtc"]) ?? 0,
    ...(endedAt !== undefined ? { endedAt } : {}),
    folder: node,
    outputs: {},
    ...(error !== undefined ? { error } : {}),
    azureStatus,
    id: str(run["runId"]) ?? "",
    jobType: "Step",
    parent,
  };
}
