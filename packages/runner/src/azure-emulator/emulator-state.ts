// Read-only views of what the emulator holds, for tests: the request log (with spec violations),
// jobs and their steps as they stand on the emulator clock, registered assets and stored blobs.
import type { BlobStore } from "./blob-store.js";
import type { EmulatorClock } from "./clock.js";
import type { Fault, RequestScope } from "./faults.js";
import { cloneJson, type JsonObject } from "./json.js";
import { lifecycleDefaults, logText, pipelineLogText, runStatus, type EmulatorLifecycleOptions } from "./job-simulation.js";
import type { SpecIssue } from "./spec-validator.js";
import type { WorkspaceStore } from "./workspace-store.js";

export interface EmulatorRequestLogEntry {
  readonly seq: number;
  /** Emulator clock when the request arrived. */
  readonly at: number;
  readonly method: string;
  readonly path: string;
  /** Query string with signatures and secrets replaced by REDACTED. */
  readonly query: string;
  readonly scope: RequestScope | "unknown";
  readonly operationId: string | undefined;
  readonly apiVersion: string | undefined;
  /** 0 when the connection was reset instead of answered. */
  readonly status: number;
  readonly fault: Fault["kind"] | undefined;
  readonly errorCode: string | undefined;
  /** Why the request was rejected: spec violations, SDK-shape problems, missing references. */
  readonly issues: readonly SpecIssue[];
}

export interface EmulatorStepSnapshot {
  readonly runId: string;
  readonly node: string;
  readonly status: string;
}

export interface EmulatorJobSnapshot {
  readonly name: string;
  readonly workspace: string;
  readonly jobType: string;
  readonly status: string;
  readonly createdAt: number;
  /** The `properties` the client PUT (read-only fields removed). */
  readonly properties: JsonObject;
  readonly steps: readonly EmulatorStepSnapshot[];
}

export interface EmulatorAssetSnapshot {
  readonly workspace: string;
  readonly name: string;
  readonly version: string;
  readonly properties: JsonObject;
  readonly createdAt: number;
}

export interface EmulatorBlobSnapshot {
  readonly container: string;
  readonly name: string;
  readonly content: Buffer;
  readonly contentType: string;
  readonly metadata: Readonly<Record<string, string>>;
}

export interface EmulatorStateView {
  /** Every request in arrival order. */
  readonly requests: readonly EmulatorRequestLogEntry[];
  /** Requests rejected with issues (spec violations and the like): a passing client has none. */
  violations(): EmulatorRequestLogEntry[];
  /** Unexpected exceptions inside the emulator (a bug in the emulator, not in the client). */
  readonly internalErrors: readonly string[];
  jobs(): EmulatorJobSnapshot[];
  job(name: string): EmulatorJobSnapshot | undefined;
  codeVersions(): EmulatorAssetSnapshot[];
  componentVersions(): EmulatorAssetSnapshot[];
  containers(): string[];
  blobs(container?: string): EmulatorBlobSnapshot[];
  /** The log a run shows now (step log, or a pipeline's execution log). */
  logText(runId: string): string | undefined;
  /** Token requests served, by client id and audience. */
  readonly tokens: readonly { readonly clientId: string; readonly audience: string }[];
}

export interface StateSources {
  readonly requests: readonly EmulatorRequestLogEntry[];
  readonly internalErrors: readonly string[];
  readonly workspaces: ReadonlyMap<string, WorkspaceStore>;
  readonly blobs: BlobStore;
  readonly clock: EmulatorClock;
  readonly lifecycle: () => EmulatorLifecycleOptions | undefined;
  readonly tokens: readonly { readonly clientId: string; readonly audience: string }[];
}

export function createStateView(src: StateSources): EmulatorStateView {
  const cancelMs = (): number => lifecycleDefaults(src.lifecycle()).cancelMs;
  const snapshotJob = (ws: WorkspaceStore, name: string): EmulatorJobSnapshot | undefined => {
    const job = ws.jobs.get(name);
    if (!job) return undefined;
    const now = src.clock.now();
    return {
      name,
      workspace: ws.identity.name,
      jobType: String(job.properties["jobType"] ?? ""),
      status: runStatus(job.run, now, cancelMs()),
      createdAt: job.createdAt,
      properties: cloneJson(job.properties),
      steps: job.children.map((c) => ({ runId: c.runId, node: c.node ?? c.runId, status: runStatus(c, now, cancelMs()) })),
    };
  };
  const assets = (pick: (ws: WorkspaceStore) => Iterable<{ name: string; version: string | undefined; properties: JsonObject; createdAt: number }>): EmulatorAssetSnapshot[] =>
    [...src.workspaces.values()].flatMap((ws) =>
      [...pick(ws)].map((r) => ({ workspace: ws.identity.name, name: r.name, version: r.version ?? "", properties: cloneJson(r.properties), createdAt: r.createdAt })),
    );
  return {
    requests: src.requests,
    internalErrors: src.internalErrors,
    tokens: src.tokens,
    violations: () => src.requests.filter((r) => r.issues.length > 0),
    jobs: () => [...src.workspaces.values()].flatMap((ws) => [...ws.jobs.keys()].flatMap((name) => snapshotJob(ws, name) ?? [])),
    job: (name) => {
      for (const ws of src.workspaces.values()) {
        const found = snapshotJob(ws, name);
        if (found) return found;
      }
      return undefined;
    },
    codeVersions: () => assets((ws) => ws.codeVersions.values()),
    componentVersions: () => assets((ws) => ws.componentVersions.values()),
    containers: () => [...src.blobs.containers.keys()],
    blobs: (container) =>
      [...src.blobs.containers.values()]
        .filter((c) => container === undefined || c.name === container)
        .flatMap((c) => [...c.blobs.values()].map((b) => ({ container: c.name, name: b.name, content: b.content, contentType: b.contentType, metadata: b.metadata }))),
    logText: (runId) => {
      const now = src.clock.now();
      for (const ws of src.workspaces.values()) {
        const run = ws.runs.get(runId);
        if (!run) continue;
        if (run.kind !== "pipeline") return logText(run, now);
        return pipelineLogText([...ws.runs.values()].filter((r) => r.parentRunId === runId), now, cancelMs());
      }
      return undefined;
    },
  };
}
