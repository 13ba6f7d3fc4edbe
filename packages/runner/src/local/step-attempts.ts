/**
 * One step's attempts: fresh working copy and staged outputs per attempt, the process started and
 * awaited, outputs moved into place on success, retries with doubling backoff, each attempt's
 * log kept as `attempt-N.log`.
 */
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import type { OutputRecord } from "../workspace/records.js";
import type { StepUpdate, WorkspaceStore } from "../workspace/store.js";
import { hashPath } from "./content-hash.js";
import { renderValue } from "./coerce.js";
import { renderCommand } from "./command-line.js";
import type { EventSink } from "./event-sink.js";
import { readLogTail } from "./log-tail.js";
import { commitOutput, discardOutput, isFileOutput, stageOutput, stagingPath } from "./outputs.js";
import type { PlannedStep } from "./plan-types.js";
import { RunningTask, type TaskResult } from "./running-task.js";
import type { Spawner } from "./spawner.js";
import { prepareWorkDir } from "./snapshot.js";

export interface AttemptContext {
  readonly job: string;
  readonly step: PlannedStep;
  readonly stepFolder: string;
  readonly inputPaths: Readonly<Record<string, string>>;
  /** Final path of each output. */
  readonly targets: Readonly<Record<string, string>>;
  /** Variables added to the spawner's base environment. */
  readonly env: Readonly<Record<string, string>>;
  readonly spawner: Spawner;
  /** Written with the first attempt's start (fingerprint, reuse reason). */
  readonly initialUpdate: StepUpdate;
  readonly snapshot?: string;
  readonly retries: number;
  readonly retryBackoffMs: number;
  readonly killGraceMs: number;
  /** The job is new and its steps folder did not exist: step folders hold no leftovers. */
  readonly freshJob: boolean;
  /** Attempts already made in an earlier run of this job (resume keeps numbering). */
  readonly firstAttempt: number;
  readonly signal: AbortSignal;
  readonly store: WorkspaceStore;
  readonly sink: EventSink;
  readonly track: (task: RunningTask | undefined) => void;
  readonly isCanceled: () => boolean;
  /** The process exited 0: another step may start while this one's outputs are committed. */
  readonly releaseSlot: () => void;
}

export interface AttemptsResult {
  readonly outcome: "completed" | "failed" | "canceled";
  /** The outputs of a completed step, as recorded in the workspace. */
  readonly outputs: readonly OutputRecord[];
}

export async function runAttempts(ctx: AttemptContext): Promise<AttemptsResult> {
  const { job, step, store, sink } = ctx;
  const id = step.id;
  const last = ctx.firstAttempt + ctx.retries + 1;
  for (let attempt = ctx.firstAttempt + 1; attempt <= last; attempt++) {
    if (ctx.isCanceled()) return canceled(ctx, "the job was canceled");
    // A step with code runs in a private copy of it; one without runs in its own step folder
    // (one folder fewer per step: on this file system every mkdir is measurable at 2,000 steps).
    const workDir = ctx.snapshot !== undefined ? join(ctx.stepFolder, "work-dir") : ctx.stepFolder;
    // In a new job nothing can be left in the step folder, so the spawner creates it and the
    // staging folders of outputs kept there, off this thread, just before the step starts.
    const lazy = ctx.freshJob && ctx.snapshot === undefined;
    const dirs: string[] = [];
    let fresh: string | undefined;
    if (lazy) dirs.push(ctx.stepFolder);
    else fresh = mkdirSync(ctx.stepFolder, { recursive: true }) !== undefined ? ctx.stepFolder : undefined;
    if (ctx.snapshot !== undefined) prepareWorkDir(workDir, ctx.snapshot);
    const staging: Record<string, string> = {};
    for (const [name, output] of Object.entries(step.outputs)) {
      const target = ctx.targets[name] as string;
      if (lazy && dirname(target) === ctx.stepFolder) {
        staging[name] = stagingPath(target, attempt);
        if (!isFileOutput(output.type)) dirs.push(staging[name]);
      } else {
        staging[name] = stageOutput(target, output.type, attempt, fresh);
      }
    }
    const script = renderCommand(step.component.command, (group, name) => {
      if (group === "outputs") return staging[name];
      const input = step.inputs[name];
      if (!input || input.kind === "unset") return undefined;
      return input.kind === "value" ? renderValue(input.value) : ctx.inputPaths[name];
    });
    const logPath = join(ctx.stepFolder, `attempt-${attempt}.log`);
    const task = new RunningTask(
      {
        script,
        cwd: workDir,
        env: ctx.env,
        logFile: logPath,
        dirs,
        killGraceMs: ctx.killGraceMs,
        ...(step.timeoutSeconds !== undefined ? { timeoutSeconds: step.timeoutSeconds } : {}),
      },
      ctx.spawner,
    );
    ctx.track(task);
    const pid = await task.whenStarted;
    const startedAt = Date.now();
    const started = { job, step: id, attempt, startedAt, logPath, ...(pid !== undefined ? { pid } : {}) };
    const runningUpdate: StepUpdate = { ...(attempt === ctx.firstAttempt + 1 ? ctx.initialUpdate : {}), status: "running", startedAt, attempts: attempt };
    // Written with the next group commit; a step that completes before then has its start
    // written with its end instead (one attempt row and one step update rather than two each).
    const start = { committed: false, merged: false };
    store.defer(() => {
      if (start.merged) return;
      start.committed = true;
      store.startAttempt(started);
      store.updateStep(job, id, runningUpdate);
    });
    sink.emit({ type: "step_started", job, time: startedAt, step: id, attempt });
    const result = await task.whenDone;
    ctx.track(undefined);
    if (result.exitCode === 0 && result.stoppedFor === undefined && !ctx.isCanceled()) ctx.releaseSlot();
    const endedAt = Date.now();
    const attemptEnd = {
      endedAt,
      ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
      ...(result.signal !== undefined ? { signal: result.signal } : {}),
      ...(result.stoppedFor !== undefined ? { stoppedFor: result.stoppedFor } : {}),
    };
    if (result.stoppedFor === "cancel" || (ctx.isCanceled() && result.exitCode !== 0)) {
      for (const path of Object.values(staging)) discardOutput(path);
      store.finishAttempt(job, id, attempt, attemptEnd);
      return canceled(ctx, "the job was canceled");
    }
    let failure = result.exitCode === 0 ? undefined : describeFailure(result, step.timeoutSeconds);
    const produced: Record<string, { path: string; hash: string }> = {};
    if (failure === undefined) {
      for (const [name, output] of Object.entries(step.outputs)) {
        const target = ctx.targets[name] as string;
        failure = commitOutput(staging[name] as string, target, output.type, name);
        if (failure !== undefined) break;
        produced[name] = { path: target, hash: hashPath(target) };
      }
    }
    if (failure === undefined) {
      // One deferred group: the attempt, its outputs and the step's completion commit together.
      start.merged = !start.committed;
      const merged = start.merged;
      const outputs = Object.entries(produced).map(([name, o]) => ({ job, step: id, name, type: step.outputs[name]?.type ?? "uri_folder", path: o.path, contentHash: o.hash }));
      store.defer(() => {
        if (merged) store.startAttempt({ ...started, ...attemptEnd });
        else store.finishAttempt(job, id, attempt, attemptEnd);
        store.setOutputs(outputs);
        store.updateStep(job, id, { ...(merged ? runningUpdate : {}), status: "completed", endedAt, exitCode: 0 });
      });
      sink.emit({ type: "step_completed", job, time: endedAt, step: id, attempt, durationMs: endedAt - startedAt });
      return { outcome: "completed", outputs };
    }
    for (const path of Object.values(staging)) discardOutput(path);
    store.finishAttempt(job, id, attempt, attemptEnd);
    if (attempt < last && !ctx.isCanceled()) {
      const delayMs = ctx.retryBackoffMs * 2 ** (attempt - ctx.firstAttempt - 1);
      sink.emit({ type: "step_retrying", job, time: endedAt, step: id, attempt: attempt + 1, delayMs, reason: failure });
      await sleep(delayMs, ctx.signal);
      continue;
    }
    store.updateStep(job, id, { status: "failed", endedAt, exitCode: result.exitCode ?? null, reason: failure });
    sink.emit({
      type: "step_failed",
      job,
      time: endedAt,
      step: id,
      attempt,
      durationMs: endedAt - startedAt,
      ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
      ...(result.signal !== undefined ? { signal: result.signal } : {}),
      reason: failure,
      logPath,
      logTail: readLogTail(logPath),
    });
    return { outcome: "failed", outputs: [] };
  }
  return canceled(ctx, "the job was canceled");
}

function canceled(ctx: AttemptContext, reason: string): AttemptsResult {
  const now = Date.now();
  ctx.store.updateStep(ctx.job, ctx.step.id, { status: "canceled", endedAt: now, reason });
  ctx.sink.emit({ type: "step_canceled", job: ctx.job, time: now, step: ctx.step.id, reason });
  return { outcome: "canceled", outputs: [] };
}

function describeFailure(result: TaskResult, timeoutSeconds: number | undefined): string {
  if (result.error !== undefined) return `could not start: ${result.error}`;
  if (result.stoppedFor === "timeout") return `timed out after ${timeoutSeconds}s (limits.timeout)`;
  if (result.signal !== undefined) return `killed by ${result.signal}`;
  return `exit code ${result.exitCode}`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });
}
