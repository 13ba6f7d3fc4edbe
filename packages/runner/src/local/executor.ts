/**
 * Running a planned job: asks the schedule what is ready, runs each step as a child process
 * (or reuses an earlier identical step), records everything in the workspace and emits events.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import type { RunEvent } from "../events/run-events.js";
import type { AssetResolver } from "../registry/asset-resolver.js";
import type { JobRecord } from "../workspace/records.js";
import type { LocalWorkspace } from "../workspace/workspace.js";
import { hashPath, SNAPSHOT_EXCLUDES } from "./content-hash.js";
import { renderValue } from "./coerce.js";
import { RunnerError } from "./errors.js";
import { EventSink } from "./event-sink.js";
import { fingerprintOf, fingerprintParts } from "./fingerprint.js";
import { InputMaterializer, type MaterializedInput } from "./materialize.js";
import { readMetrics, METRICS_ENV } from "./metrics.js";
import { outputTarget } from "./outputs.js";
import type { ExecutionPlan, PlannedStep } from "./plan-types.js";
import { findReusable, type ReuseMatch } from "./reuse.js";
import { StepSchedule, type StepOutcome } from "./schedule.js";
import { runAttempts, type AttemptContext } from "./step-attempts.js";
import type { RunningTask } from "./running-task.js";
import { snapshotCode } from "./snapshot.js";
import { loadNativeSpawner, NativeSpawner } from "./native-spawner.js";
import { DirectSpawner, HelperSpawner, type Spawner } from "./spawner.js";

/** Steps handed to a queueing spawner per slot: running ones plus those waiting their turn. */
const QUEUE_DEPTH = 4;

export interface LocalRunOptions {
  /** Steps running at once. @default os.availableParallelism() */
  readonly concurrency?: number;
  /** Run every step even when an identical earlier step could be reused. @default false */
  readonly forceRerun?: boolean;
  /** Extra attempts for a failed step. @default 0 */
  readonly retries?: number;
  /** Delay before the first retry, doubled for each further one. @default 1000 */
  readonly retryBackoffMs?: number;
  /** Time between SIGTERM and SIGKILL when a step is stopped. @default 5000 */
  readonly killGraceMs?: number;
  /** Environment the steps start from (the node's variables are added). @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** How often to look for a cancel request from another process. @default 250 */
  readonly cancelPollMs?: number;
  /**
   * How step processes are started: "native" with posix_spawn from this process (the native
   * spawner built by `npm run setup`); "helper" through a small helper process (posix_spawn from
   * python3 where it works, else forks from a small Node process); "node-helper" always through
   * the Node helper; "direct" with child_process.spawn. "auto" is native where it was built, else
   * the helper. @default "auto"
   */
  readonly spawner?: "auto" | "native" | "helper" | "node-helper" | "direct";
  /** Resolves `azureml:` references and registers named outputs. @default references are refused */
  readonly assets?: AssetResolver;
}

/** The identity of a run inside the workspace. */
export interface RunIdentity {
  readonly name: string;
  readonly resumed: boolean;
}

/** The spawner the options ask for; a helper starts booting at once. */
export function createSpawner(options: LocalRunOptions): Spawner {
  const env = options.env ?? {};
  const choice = options.spawner ?? "auto";
  if (choice === "native" || (choice === "auto" && "module" in loadNativeSpawner())) return new NativeSpawner(env, options.concurrency ?? availableParallelism());
  return choice === "direct" ? new DirectSpawner(env) : new HelperSpawner(env, { prefer: choice === "node-helper" ? "node" : "python" });
}

export class LocalExecutor {
  private readonly schedule: StepSchedule;
  private readonly steps = new Map<string, PlannedStep>();
  private readonly tasks = new Map<string, RunningTask>();
  private readonly outputs = new Map<string, { path: string; hash: string }>();
  /**
   * Steps of this run that completed, by fingerprint: an identical step later in the same run
   * reuses them without waiting for the group commit that records them.
   */
  private readonly completedHere = new Map<string, { readonly reuse: ReuseMatch }>();
  /** The workspace's completed fingerprints at the first reuse check (null: too many to hold). */
  private knownFingerprints: Set<string> | null | undefined;
  private readonly codeHashes = new Map<string, string>();
  private readonly snapshots = new Map<string, string>();
  private readonly external = new Map<string, MaterializedInput>();
  private readonly abort = new AbortController();
  private readonly jobFolder: string;
  private readonly startedAt = Date.now();
  private readonly freshJob: boolean;
  private canceled = false;
  private active = 0;
  private spawnerInstance: Spawner | undefined;

  constructor(
    private readonly workspace: LocalWorkspace,
    private readonly plan: ExecutionPlan,
    private readonly identity: RunIdentity,
    private readonly options: LocalRunOptions,
    private readonly sink: EventSink,
    /** Started by the caller (so a helper boots while the job is planned), closed by `run`. */
    spawner?: Spawner,
  ) {
    this.spawnerInstance = spawner;
    this.jobFolder = workspace.jobFolder(identity.name);
    this.freshJob = !identity.resumed && !existsSync(join(this.jobFolder, "steps"));
    this.schedule = new StepSchedule(plan.steps, plan.continueOnStepFailure);
    for (const step of plan.steps) this.steps.set(step.id, step);
  }

  get name(): string {
    return this.identity.name;
  }

  /** Stops every running step (SIGTERM, then SIGKILL) and starts no new ones. */
  cancel(): void {
    if (this.canceled) return;
    this.canceled = true;
    this.abort.abort();
    for (const id of this.schedule.cancel()) this.tasks.get(id)?.stop("cancel");
  }

  async run(): Promise<JobRecord> {
    const store = this.workspace.store;
    const job = this.identity.name;
    this.sink.emit({
      type: "job_started",
      job,
      time: Date.now(),
      pipeline: this.plan.pipelineName,
      steps: this.plan.steps.map((s) => ({ id: s.id, ...(s.displayName !== undefined ? { displayName: s.displayName } : {}) })),
      folder: this.jobFolder,
      resumed: this.identity.resumed,
    });
    const poll = setInterval(() => {
      if (store.isCancelRequested(job)) this.cancel();
    }, this.options.cancelPollMs ?? 250);
    poll.unref();
    let error: string | undefined;
    // Boot the spawn helper while inputs are prepared.
    this.spawner();
    try {
      if (this.identity.resumed) this.restoreCompleted();
      await this.prepareInputs();
      await this.drain();
    } catch (caught) {
      error = caught instanceof RunnerError ? caught.render() : String((caught as Error).stack ?? caught);
      this.cancel();
      await this.drain().catch(() => undefined);
    } finally {
      clearInterval(poll);
      this.spawnerInstance?.close();
    }
    const record = this.finish(error);
    store.checkpointSoon();
    return record;
  }

  private restoreCompleted(): void {
    const store = this.workspace.store;
    for (const output of store.getOutputs(this.identity.name)) {
      this.outputs.set(`${output.step}\0${output.name}`, { path: output.path, hash: output.contentHash });
    }
    for (const record of store.getSteps(this.identity.name)) {
      if (record.status === "completed") this.schedule.markCompleted(record.id);
      else store.updateStep(this.identity.name, record.id, { status: "not_started", reason: null, exitCode: null });
    }
  }

  /** Resolves every external data input and code folder before any step starts. */
  private async prepareInputs(): Promise<void> {
    const materializer = new InputMaterializer(this.workspace, this.jobFolder, this.options.assets);
    for (const step of this.plan.steps) {
      if (this.schedule.stateOf(step.id) === "completed") continue;
      for (const [name, input] of Object.entries(step.inputs)) {
        if (input.kind !== "data") continue;
        const where = `${this.plan.pipelineName}/${step.id}/inputs/${name}`;
        this.external.set(`${step.id}\0${name}`, await materializer.materialize(input.source, input.type, where));
      }
      if (step.codeDir !== undefined && !this.codeHashes.has(step.codeDir)) {
        const hash = hashPath(step.codeDir, SNAPSHOT_EXCLUDES);
        if (hash === "missing") {
          throw new RunnerError("PW4003", `the code folder ${step.codeDir} of component '${step.component.name}' does not exist (code paths resolve against the file that declared the component)`, { path: `${this.plan.pipelineName}/${step.id}` });
        }
        this.codeHashes.set(step.codeDir, hash);
      }
    }
  }

  /**
   * Runs ready steps, `concurrency` processes at a time. A step whose process exited 0 gives its
   * slot back before its outputs are moved and recorded, so the next process starts at once and
   * that bookkeeping overlaps it (its dependants still wait: the schedule hears of it last).
   */
  private drain(): Promise<void> {
    return new Promise((resolve, reject) => {
      // A spawner that queues (the native one) is handed up to 3 x `concurrency` further ready
      // steps, and starts each the moment a running one ends; it runs `concurrency` at a time.
      // With more waiting than it may run, it reports ends in batches (one wake-up of this
      // thread for several steps) until its queue runs low.
      const running = Math.max(1, this.options.concurrency ?? availableParallelism());
      const concurrency = this.spawner().admits !== undefined ? QUEUE_DEPTH * running : running;
      let working = 0;
      const pump = () => {
        while (this.active < concurrency) {
          const id = this.schedule.next();
          if (id === undefined) break;
          this.active++;
          working++;
          let holding = true;
          const giveBack = () => {
            if (holding) this.active--;
            holding = false;
          };
          const releaseEarly = () => {
            if (!holding) return;
            giveBack();
            pump();
          };
          this.runStep(id, releaseEarly).then(
            (outcome) => {
              working--;
              giveBack();
              this.settle(id, outcome);
              pump();
            },
            (error: unknown) => {
              working--;
              giveBack();
              this.settle(id, "failed");
              reject(error);
            },
          );
        }
        if (this.schedule.isDone() && working === 0) resolve();
      };
      pump();
    });
  }

  private settle(id: string, outcome: StepOutcome): void {
    const result = this.schedule.finish(id, outcome);
    const now = Date.now();
    for (const skipped of result.skipped) {
      this.workspace.store.updateStep(this.identity.name, skipped.id, { status: "skipped", reason: skipped.reason });
      this.sink.emit({ type: "step_skipped", job: this.identity.name, time: now, step: skipped.id, reason: skipped.reason });
    }
    for (const other of result.cancel) this.tasks.get(other)?.stop("cancel");
  }

  private async runStep(id: string, releaseSlot: () => void): Promise<StepOutcome> {
    const step = this.steps.get(id) as PlannedStep;
    const store = this.workspace.store;
    const job = this.identity.name;
    const inputHashes: Record<string, string> = {};
    const inputPaths: Record<string, string> = {};
    for (const [name, input] of Object.entries(step.inputs)) {
      if (input.kind === "value") {
        inputHashes[name] = `value ${input.type} ${renderValue(input.value)}`;
      } else if (input.kind === "data") {
        const data = this.external.get(`${id}\0${name}`) as MaterializedInput;
        inputHashes[name] = data.hash;
        inputPaths[name] = data.path;
      } else if (input.kind === "step_output") {
        const upstream = this.outputs.get(`${input.step}\0${input.output}`);
        if (!upstream) throw new RunnerError("PW4005", `step '${id}' reads '${input.step}.${input.output}', which was not produced`, { path: id });
        inputHashes[name] = upstream.hash;
        inputPaths[name] = upstream.path;
      } else {
        inputHashes[name] = "unset";
      }
    }
    const codeHash = step.codeDir !== undefined ? (this.codeHashes.get(step.codeDir) as string) : "none";
    const parts = fingerprintParts(step, codeHash, inputHashes);
    const { fingerprint, partsJson } = fingerprintOf(parts);
    const forced = this.plan.forceRerun ? "force_rerun is set on the pipeline job" : this.options.forceRerun ? "--force-rerun was given" : undefined;
    let reason: string;
    if (!step.deterministic) reason = "the component is not deterministic (is_deterministic: false)";
    else if (forced) reason = forced;
    else {
      this.knownFingerprints ??= store.completedFingerprints() ?? null;
      const decision = this.completedHere.get(fingerprint) ?? findReusable(store, fingerprint, Object.keys(step.outputs), this.knownFingerprints ?? undefined);
      if ("reuse" in decision) {
        const now = Date.now();
        const outputs = decision.reuse.outputs.map((o) => ({ ...o, job, step: id }));
        store.defer(() => {
          store.updateStep(job, id, { status: "completed", reusedFrom: decision.reuse.from, reason: null, fingerprint, fingerprintParts: partsJson, startedAt: now, endedAt: now });
          store.setOutputs(outputs);
        });
        this.completedHere.set(fingerprint, decision);
        for (const o of outputs) this.outputs.set(`${id}\0${o.name}`, { path: o.path, hash: o.contentHash });
        this.registerOutputs(step);
        this.sink.emit({ type: "step_reused", job, time: now, step: id, from: decision.reuse.from });
        return "completed";
      }
      reason = decision.reason;
    }

    const snapshot = step.codeDir !== undefined ? this.snapshotFor(step.codeDir, codeHash) : undefined;
    const stepFolder = join(this.jobFolder, "steps", ...id.split("/"));
    const targets: Record<string, string> = {};
    const baseDir = step.component.baseDir ?? process.cwd();
    for (const [name, output] of Object.entries(step.outputs)) {
      targets[name] = outputTarget(this.workspace, this.jobFolder, id, name, output, baseDir);
    }
    const context: AttemptContext = {
      job,
      step,
      stepFolder,
      inputPaths,
      targets,
      env: {
        ...step.environmentVariables,
        [METRICS_ENV]: join(stepFolder, "pw-metrics.jsonl"),
        PIPEWRIGHT_JOB: job,
        PIPEWRIGHT_STEP: id,
      },
      ...(snapshot !== undefined ? { snapshot } : {}),
      retries: Math.max(0, this.options.retries ?? 0),
      retryBackoffMs: this.options.retryBackoffMs ?? 1000,
      killGraceMs: this.options.killGraceMs ?? 5000,
      freshJob: this.freshJob,
      firstAttempt: this.identity.resumed ? (store.getStep(job, id)?.attempts ?? 0) : 0,
      spawner: this.spawner(),
      initialUpdate: { fingerprint, fingerprintParts: partsJson, reason, ...(snapshot !== undefined ? { codeSnapshot: snapshot } : {}) },
      signal: this.abort.signal,
      store,
      sink: this.sink,
      track: (task) => {
        if (task) this.tasks.set(id, task);
        else this.tasks.delete(id);
        if (task && this.canceled) task.stop("cancel");
      },
      isCanceled: () => this.canceled || this.schedule.isStopped(),
      releaseSlot,
    };
    const result = await runAttempts(context);
    if (result.outcome === "completed") {
      for (const o of result.outputs) this.outputs.set(`${id}\0${o.name}`, { path: o.path, hash: o.contentHash });
      if (step.deterministic) this.completedHere.set(fingerprint, { reuse: { from: { job, step: id }, outputs: result.outputs } });
      this.registerOutputs(step);
    }
    const metrics = readMetrics(join(stepFolder, "pw-metrics.jsonl"), job, id, Date.now());
    if (metrics.length) store.addMetrics(metrics);
    return result.outcome;
  }

  /** Outputs with an asset name become registered versions once their step succeeded. */
  private registerOutputs(step: PlannedStep): void {
    const assets = this.options.assets;
    if (!assets || !step.registerOutputs) return;
    for (const [output, asset] of Object.entries(step.registerOutputs)) {
      const produced = this.outputs.get(`${step.id}\0${output}`);
      const type = step.outputs[output]?.type;
      if (!produced || type === undefined) continue;
      assets.registerOutput({ ...asset, type, path: produced.path, job: this.identity.name, step: step.id, output });
    }
  }

  private spawner(): Spawner {
    if (!this.spawnerInstance) this.spawnerInstance = createSpawner(this.options);
    return this.spawnerInstance;
  }

  private snapshotFor(codeDir: string, hash: string): string {
    let snapshot = this.snapshots.get(hash);
    if (!snapshot) {
      snapshot = snapshotCode(codeDir, this.workspace.snapshotsFolder, hash);
      this.snapshots.set(hash, snapshot);
    }
    return snapshot;
  }

  private finish(error: string | undefined): JobRecord {
    const store = this.workspace.store;
    const job = this.identity.name;
    const now = Date.now();
    const status = error !== undefined ? "failed" : this.schedule.outcome();
    const leftReason = status === "canceled" ? "the job was canceled" : "the job stopped after a step failed";
    for (const id of this.schedule.notStarted()) {
      store.updateStep(job, id, { status: "skipped", reason: error !== undefined ? "the job failed before this step could start" : leftReason });
      this.sink.emit({ type: "step_skipped", job, time: now, step: id, reason: leftReason });
    }
    const outputs: Record<string, string> = {};
    for (const [name, ref] of Object.entries(this.plan.outputs)) {
      const produced = this.outputs.get(`${ref.step}\0${ref.output}`);
      if (produced) outputs[name] = produced.path;
    }
    const counts = store.stepCounts(job);
    store.finishJob(job, status, now, outputs, JSON.stringify({ ignored: this.plan.ignored, counts }), error);
    this.sink.emit({
      type: "job_finished",
      job,
      time: now,
      status,
      durationMs: now - this.startedAt,
      outputs,
      ignored: this.plan.ignored,
      counts,
      ...(error !== undefined ? { error } : {}),
    });
    return store.getJob(job) as JobRecord;
  }
}

export type { RunEvent };
