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
import type { ExecutionPlan, PlannedStep } from "./plan-types.js";
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
      planJson: encodePlan(plan),
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
  const plan = decodePlan(internals.planJson);
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

/**
 * The plan as kept with the job for `--resume`: each component once, its steps naming it by
 * index (steps share a handful of components; written out per step, a 2,000-step plan was 2 MB
 * of JSON, and serializing it delayed the first step by 16 ms).
 */
export function encodePlan(plan: ExecutionPlan): string {
  const components: PlannedStep["component"][] = [];
  const indexes = new Map<PlannedStep["component"], number>();
  const steps = plan.steps.map((step) => {
    let index = indexes.get(step.component);
    if (index === undefined) {
      index = components.push(step.component) - 1;
      indexes.set(step.component, index);
    }
    return { ...step, component: index };
  });
  return JSON.stringify({ ...plan, steps, components });
}

/** The plan `encodePlan` wrote (or, for a job recorded before it, the plan written whole). */
export function decodePlan(json: string): ExecutionPlan {
  const stored = JSON.parse(json) as Omit<ExecutionPlan, "steps"> & { steps: Array<Omit<PlannedStep, "component"> & { component: unknown }>; components?: Array<PlannedStep["component"]> };
  const { components, ...plan } = stored;
  if (!components) return stored as unknown as ExecutionPlan;
  return { ...plan, steps: plan.steps.map((step) => ({ ...step, component: components[step.component as number] as PlannedStep["component"] })) };
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
