/** Starting a new local run of a pipeline job, or resuming an interrupted one. */
import type { PipelineJobModel } from "@pipewright/dsl";
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import type { JobRecord } from "../workspace/records.js";
import type { LocalWorkspace } from "../workspace/workspace.js";
import { RunnerError } from "./errors.js";
import { EventSink } from "./event-sink.js";
import { createSpawner, LocalExecutor, type LocalRunOptions } from "./executor.js";
import { planJob, type PlanOptions } from "./plan.js";
import type { ExecutionPlan } from "./plan-types.js";
import { isAlive, signalGroup } from "./running-task.js";
import type { Spawner } from "./spawner.js";

export interface StartJobOptions extends LocalRunOptions, PlanOptions {
  /** The job name. @default the job model's name, else `<pipeline>_<time>_<random>` */
  readonly name?: string;
}

export interface StartedRun {
  readonly name: string;
  readonly sink: EventSink;
  readonly executor: LocalExecutor;
  /** Settles with the final job record; never rejects for a step failure. */
  readonly done: Promise<JobRecord>;
}

/** Options kept with the job so `--resume` runs it the same way. */
type StoredOptions = Pick<LocalRunOptions, "concurrency" | "forceRerun" | "retries" | "retryBackoffMs" | "killGraceMs">;

export function startLocalJob(workspace: LocalWorkspace, job: PipelineJobModel, options: StartJobOptions = {}): StartedRun {
  // The spawn helper boots (python3 takes ~0.1 s behind a version-manager shim) while the job
  // is planned and recorded, so steps rarely have to be started without it.
  const spawner = createSpawner(options);
  try {
    return startPlanned(workspace, job, options, spawner);
  } catch (error) {
    spawner.close();
    throw error;
  }
}

function startPlanned(workspace: LocalWorkspace, job: PipelineJobModel, options: StartJobOptions, spawner: Spawner): StartedRun {
  const plan = planJob(options.assets ? options.assets.resolveJob(job) : job, options);
  const name = options.name ?? job.name ?? generateJobName(plan.pipelineName);
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name)) {
    throw new RunnerError("PW4006", `job name '${name}' may only contain letters, digits, '_', '.' and '-' (it names the job's folder in the workspace)`);
  }
  if (workspace.store.hasJob(name)) {
    throw new RunnerError("PW4011", `a job named '${name}' already exists in ${workspace.root}; choose another name or leave it out to get a fresh one`);
  }
  const folder = workspace.jobFolder(name);
  mkdirSync(folder, { recursive: true });
  workspace.store.createJob(
    {
      name,
      ...(plan.displayName !== undefined ? { displayName: plan.displayName } : {}),
      pipeline: plan.pipelineName,
      ...(plan.experimentName !== undefined ? { experiment: plan.experimentName } : {}),
      folder,
      planJson: JSON.stringify(plan),
      optionsJson: JSON.stringify(storedOptions(options)),
      runnerPid: process.pid,
      steps: plan.steps.map((s) => ({ id: s.id, component: s.component.name, deterministic: s.deterministic })),
    },
    Date.now(),
  );
  return launch(workspace, plan, name, false, options, spawner);
}

/**
 * Finishes a job whose runner died (or that failed or was canceled): completed steps keep their
 * outputs, steps that were running are started again from scratch.
 */
export function resumeLocalJob(workspace: LocalWorkspace, name: string, options: LocalRunOptions = {}): StartedRun {
  const store = workspace.store;
  const record = store.getJob(name);
  const internals = store.jobInternals(name);
  if (!record || !internals) throw new RunnerError("PW4010", `no job named '${name}' in ${workspace.root}; \`pipewright runs list\` shows the jobs`);
  if (record.status === "completed") throw new RunnerError("PW4011", `job '${name}' already completed; there is nothing to resume`);
  if (record.status === "running" && record.runnerPid !== undefined && record.runnerPid !== process.pid && isAlive(record.runnerPid)) {
    throw new RunnerError("PW4011", `job '${name}' is still running (runner pid ${record.runnerPid}); cancel it first or wait for it`);
  }
  // Steps the dead runner left running may still have live process groups: stop them first.
  for (const attempt of store.getAttempts(name)) {
    if (attempt.endedAt === undefined && attempt.pid !== undefined) {
      signalGroup(attempt.pid, "SIGKILL");
      store.finishAttempt(name, attempt.step, attempt.attempt, { endedAt: Date.now(), signal: "SIGKILL", stoppedFor: "cancel" });
    }
  }
  const plan = JSON.parse(internals.planJson) as ExecutionPlan;
  const stored = JSON.parse(internals.optionsJson) as StoredOptions;
  store.reopenJob(name, process.pid);
  return launch(workspace, plan, name, true, { ...stored, ...options });
}

function launch(workspace: LocalWorkspace, plan: ExecutionPlan, name: string, resumed: boolean, options: LocalRunOptions, spawner?: Spawner): StartedRun {
  const sink = new EventSink(workspace.store, name);
  const executor = new LocalExecutor(workspace, plan, { name, resumed }, options, sink, spawner);
  // Start on the next tick so callers can subscribe to the first event.
  const done = new Promise<void>((resolve) => setImmediate(resolve)).then(() => executor.run());
  return { name, sink, executor, done };
}

function storedOptions(options: LocalRunOptions): StoredOptions {
  const out: { -readonly [K in keyof StoredOptions]: StoredOptions[K] } = {};
  if (options.concurrency !== undefined) out.concurrency = options.concurrency;
  if (options.forceRerun !== undefined) out.forceRerun = options.forceRerun;
  if (options.retries !== undefined) out.retries = options.retries;
  if (options.retryBackoffMs !== undefined) out.retryBackoffMs = options.retryBackoffMs;
  if (options.killGraceMs !== undefined) out.killGraceMs = options.killGraceMs;
  return out;
}

export function generateJobName(pipeline: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "_").slice(0, 15);
  return `${pipeline}_${stamp}_${randomBytes(3).toString("hex")}`;
}
