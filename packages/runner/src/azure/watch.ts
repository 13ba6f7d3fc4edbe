/**
 * Watching an Azure ML pipeline job: poll the job and its child runs (run history) with a
 * back-off, stream each step's log as it grows, and emit the same RunEvents a local run emits.
 * Every event is recorded in a WatchState before it is yielded, so a restarted watcher resumes
 * without repeating an event or a log line; network errors are retried with the same back-off.
 */
import { setTimeout as delay } from "node:timers/promises";
import type { RunEvent } from "../events/run-events.js";
import { AzureError, isAzureError } from "./azure-error.js";
import { FAILURE_STATUSES, isFinalStatus, STALLED_STATUSES } from "./azure-records.js";
import { freshWatchState, MemoryWatchStore, type WatchState, type WatchStateStore, type WatchStepState } from "./watch-state.js";
import { asMap, str, type JsonMap, type WorkspaceApi } from "./workspace-api.js";

export interface WatchOptions {
  /** Shortest wait between polls. @default 2000 */
  readonly minPollMs?: number;
  /** Longest wait between polls (the back-off grows towards it). @default 60000 */
  readonly maxPollMs?: number;
  /** How to wait; tests pass one that moves an emulator clock. @default a timer */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Clock for back-off and event times. @default Date.now */
  readonly now?: () => number;
  /** Where progress is kept between watchers. @default in memory (this watcher only) */
  readonly store?: WatchStateStore;
  /** Stops watching (the job keeps running). */
  readonly signal?: AbortSignal;
  /** How long NotResponding/Paused/Unknown may last before the watch ends as failed. @default 30 min */
  readonly stalledGraceMs?: number;
  /** Polls in a row that may fail (after the HTTP retries) before the watch gives up. @default 20 */
  readonly maxConsecutiveErrors?: number;
  /** Lines of a failed step's log in its step_failed event. @default 30 */
  readonly logTailLines?: number;
  /** Told about a poll that failed and will be retried. */
  readonly onPollError?: (error: Error) => void;
}

/** The Python SDK's sigmoid: short waits at first, towards `max` after a minute or two. */
export function pollDelayMs(elapsedMs: number, min = 2000, max = 60_000): number {
  const sigmoid = max / (1 + 100 * Math.exp(-elapsedMs / 1000 / 20));
  return Math.round(Math.max(min, Math.min(max, sigmoid)));
}

const defaultSleep = (ms: number, signal?: AbortSignal): Promise<void> => delay(ms, undefined, signal ? { signal } : {}).catch(() => undefined);

function time(value: unknown): number | undefined {
  const text = str(value);
  const ms = text === undefined ? Number.NaN : Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

function errorMessage(run: JsonMap): string | undefined {
  const error = asMap(asMap(run["error"])["error"]);
  return str(error["message"]) ?? str(asMap(run["error"])["message"]);
}

/** The log a step writes: the common runtime's std_log first (REST.md §3, step 4). */
function pickLog(logFiles: JsonMap): string | undefined {
  const names = Object.keys(logFiles).sort();
  return names.find((n) => /user_logs\/std_log[^0-9]*0*(_ps)?\.txt$/.test(n)) ?? names.find((n) => /azureml-logs\/\d+.*\.txt$/.test(n)) ?? names[0];
}

function nodeOf(run: JsonMap): string {
  return str(asMap(run["properties"])["azureml.nodeid"]) ?? str(run["name"]) ?? str(run["runId"]) ?? "?";
}

/** An event to yield and the watch-state change that records it (an event may be built late, from the state). */
type Pending = { readonly event: RunEvent | (() => RunEvent); readonly apply?: () => void };

export async function* watchJob(api: WorkspaceApi, name: string, options: WatchOptions = {}): AsyncGenerator<RunEvent> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const store = options.store ?? new MemoryWatchStore();
  const state: WatchState = store.load(name) ?? freshWatchState(name);
  const resumed = state.started;
  const tailLines = options.logTailLines ?? 30;

  const resource = await api.getJob(name);
  if (!resource) throw new AzureError("PW4604", `no job named '${name}' in workspace ${api.scope.workspaceName}; \`pipewright jobs list\` shows the jobs`);
  if (resource["properties"] === undefined) throw new AzureError("PW4604", `'${name}' is a step of a pipeline job, not a job; watch its pipeline job instead`);
  const properties = asMap(resource["properties"]);
  const isPipeline = str(properties["jobType"]) === "Pipeline";
  const declaredSteps = Object.entries(asMap(properties["jobs"])).map(([id, node]) => {
    const display = str(asMap(node)["display_name"]);
    return display !== undefined ? { id, displayName: display } : { id };
  });
  const studio = str(asMap(asMap(properties["services"])["Studio"])["endpoint"]) ?? str(resource["id"]) ?? name;
  // Watching a job again after its end reports the end again (and nothing before it).
  state.finished = false;

  const started = now();
  let consecutiveErrors = 0;
  let announced = false;
  let stalledSince: number | undefined;

  const stepLog = async (step: string, step_: WatchStepState, run: JsonMap, final: boolean): Promise<{ pending: Pending[]; fullText: string }> => {
    const runId = str(run["runId"]) ?? step_.runId;
    const details = await api.runDetails(runId);
    const logFiles = asMap(details?.["logFiles"]);
    const logFile = step_.logFile ?? pickLog(logFiles);
    const url = logFile === undefined ? undefined : str(logFiles[logFile]);
    if (logFile === undefined || url === undefined) return { pending: [], fullText: "" };
    const text = await api.logText(url);
    const bytes = Buffer.from(text, "utf8");
    const pending: Pending[] = [];
    if (bytes.length > step_.logOffset) {
      let chunk = bytes.subarray(step_.logOffset).toString("utf8");
      if (!final) chunk = chunk.slice(0, chunk.lastIndexOf("\n") + 1);
      if (chunk !== "") {
        const consumed = Buffer.byteLength(chunk, "utf8");
        const lines = chunk.replace(/\n$/, "").split("\n");
        pending.push({
          event: { type: "step_log", job: name, time: now(), step, lines },
          apply: () => {
            step_.logFile = logFile;
            step_.logOffset += consumed;
          },
        });
      }
    }
    return { pending, fullText: text };
  };

  const stepEvents = async (run: JsonMap): Promise<Pending[]> => {
    const step = nodeOf(run);
    const status = str(run["status"]) ?? "NotStarted";
    const runId = str(run["runId"]) ?? step;
    const current: WatchStepState = state.steps[step] ?? { runId, phase: "waiting", logOffset: 0 };
    if (state.steps[step] === undefined) state.steps[step] = current;
    if (current.phase === "done") return [];
    const out: Pending[] = [];
    const running = status === "Running" || status === "Finalizing" || status === "CancelRequested";
    const final = isFinalStatus(status);
    // A step the pipeline never ran has no start time, or (on some services) one equal to its end.
    const start = time(run["startTimeUtc"]);
    const end = time(run["endTimeUtc"]);
    const ran = current.phase === "started" || (start !== undefined && (end === undefined || end > start));
    if (current.phase === "waiting" && (running || (final && ran))) {
      out.push({ event: { type: "step_started", job: name, time: now(), step, attempt: 1 }, apply: () => (current.phase = "started") });
    }
    let fullText = "";
    if (running || (final && ran)) {
      const logs = await stepLog(step, current, run, final);
      out.push(...logs.pending);
      fullText = logs.fullText;
    }
    if (final) {
      const durationMs = start !== undefined && end !== undefined ? end - start : 0;
      const done = (outcome: string) => () => {
        current.phase = "done";
        current.outcome = outcome;
      };
      if (status === "Completed") out.push({ event: { type: "step_completed", job: name, time: now(), step, attempt: 1, durationMs }, apply: done("completed") });
      else if (status === "Failed") {
        const lines = fullText.replace(/\n$/, "").split("\n");
        out.push({
          event: {
            type: "step_failed",
            job: name,
            time: now(),
            step,
            attempt: 1,
            durationMs,
            reason: errorMessage(run) ?? "the step failed",
            logPath: current.logFile ?? pickLog(asMap(run["logFiles"])) ?? "",
            logTail: fullText === "" ? "" : lines.slice(-tailLines).join("\n"),
          },
          apply: done("failed"),
        });
      } else if (ran) out.push({ event: { type: "step_canceled", job: name, time: now(), step, reason: "the step was canceled" }, apply: done("canceled") });
      else out.push({ event: { type: "step_skipped", job: name, time: now(), step, reason: "not run: the pipeline ended before it started" }, apply: done("skipped") });
    }
    return out;
  };

  for (;;) {
    if (options.signal?.aborted) return;
    let batch: Pending[] = [];
    let finished = false;
    try {
      const details = await api.runDetails(name);
      const status = str(details?.["status"]) ?? "NotStarted";
      // Every watcher starts with job_started (resumed when an earlier one reported the start), so
      // a reporter attached to a restarted watcher knows the steps.
      if (!announced) {
        batch.push({
          event: { type: "job_started", job: name, time: now(), pipeline: str(properties["displayName"]) ?? name, steps: declaredSteps, folder: studio, resumed },
          apply: () => {
            announced = true;
            state.started = true;
          },
        });
      }
      if (isPipeline) {
        const children = (await api.runChildren(name)).sort((a, b) => Number(a["runNumber"] ?? 0) - Number(b["runNumber"] ?? 0));
        for (const child of children) batch.push(...(await stepEvents(child)));
      } else if (details) {
        batch.push(...(await stepEvents({ ...details, name })));
      }
      const stalled = STALLED_STATUSES.has(status);
      stalledSince = stalled ? (stalledSince ?? now()) : undefined;
      const stalledTooLong = stalledSince !== undefined && now() - stalledSince > (options.stalledGraceMs ?? 30 * 60_000);
      if (isFinalStatus(status) || stalledTooLong) {
        finished = true;
        const final = details ?? {};
        batch.push({ event: () => finishedEvent(name, status, final, properties, state, stalledTooLong, now()), apply: () => (state.finished = true) });
      }
      consecutiveErrors = 0;
    } catch (error) {
      if (isAzureError(error) && error.status !== undefined && [400, 401, 403].includes(error.status)) throw error;
      consecutiveErrors += 1;
      if (consecutiveErrors > (options.maxConsecutiveErrors ?? 20)) {
        throw new AzureError("PW4606", `watching job ${name} failed ${consecutiveErrors} times in a row; the last error: ${error instanceof Error ? error.message : String(error)}. The job keeps running; \`pipewright watch ${name}\` resumes.`);
      }
      options.onPollError?.(error instanceof Error ? error : new Error(String(error)));
      batch = [];
    }
    for (const item of batch) {
      const event = typeof item.event === "function" ? item.event() : item.event;
      item.apply?.();
      store.save(state);
      yield event;
    }
    if (finished) return;
    await sleep(pollDelayMs(now() - started, options.minPollMs ?? 2000, options.maxPollMs ?? 60_000), options.signal);
  }
}

function finishedEvent(name: string, status: string, details: JsonMap, properties: JsonMap, state: WatchState, stalled: boolean, at: number): RunEvent {
  // Counted from the watch state, which has seen every step's final event by now.
  const counts: Record<string, number> = {};
  for (const step of Object.values(state.steps)) if (step.outcome !== undefined) counts[step.outcome] = (counts[step.outcome] ?? 0) + 1;
  const start = time(details["startTimeUtc"]);
  const end = time(details["endTimeUtc"]);
  const outputs: Record<string, string> = {};
  for (const [output, value] of Object.entries(asMap(properties["outputs"]))) {
    outputs[output] = str(asMap(value)["uri"]) ?? `azureml://datastores/workspaceblobstore/paths/azureml/${name}/${output}/`;
  }
  const result = status === "Completed" ? "completed" : status === "Canceled" ? "canceled" : "failed";
  const error = stalled ? `the job stayed ${status} past the grace period` : FAILURE_STATUSES.has(status) ? errorMessage(details) : undefined;
  return {
    type: "job_finished",
    job: name,
    time: at,
    status: result,
    durationMs: start !== undefined && end !== undefined ? end - start : 0,
    outputs,
    ignored: [],
    counts,
    ...(error !== undefined ? { error } : {}),
  };
}
