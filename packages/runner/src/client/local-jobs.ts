/** `JobsOperations` over the local workspace: runs in this process, history in `.pipewright/`. */
import type { PipelineJob, PipelineJobModel } from "@pipewright/dsl";
import type { RunEvent } from "../events/run-events.js";
import { RunnerError } from "../local/errors.js";
import type { LocalRunOptions } from "../local/executor.js";
import { explainReuse, type ReuseExplanation } from "../local/explain-reuse.js";
import { isAlive, signalGroup } from "../local/running-task.js";
import { resumeLocalJob, startLocalJob, type StartedRun } from "../local/start-job.js";
import type { AttemptRecord, JobRecord, MetricRecord, OutputRecord, StepRecord } from "../workspace/records.js";
import type { LocalWorkspace } from "../workspace/workspace.js";
import { EventQueue } from "./event-queue.js";
import { jobModelOf, type CreateJobOptions, type JobsOperations, type ListJobsFilter, type StreamOptions } from "./jobs-operations.js";

export interface LocalCreateJobOptions extends CreateJobOptions, LocalRunOptions {}

export class LocalJobsOperations implements JobsOperations {
  private readonly runs = new Map<string, StartedRun>();
  private readonly finished = new Map<string, Promise<JobRecord>>();

  constructor(
    readonly workspace: LocalWorkspace,
    private readonly defaults: LocalRunOptions = {},
  ) {}

  async createOrUpdate(job: PipelineJob | PipelineJobModel, options: LocalCreateJobOptions = {}): Promise<JobRecord> {
    const run = startLocalJob(this.workspace, jobModelOf(job), { ...this.defaults, ...options });
    return this.track(run);
  }

  /** Finishes an interrupted job without redoing its completed steps. */
  async resume(name: string, options: LocalRunOptions = {}): Promise<JobRecord> {
    const run = resumeLocalJob(this.workspace, name, { ...this.defaults, ...options });
    return this.track(run);
  }

  /** The final record of a job started by this client. */
  async wait(name: string): Promise<JobRecord> {
    const pending = this.finished.get(name);
    if (pending) return pending;
    for await (const _event of this.stream(name)) {
      // drain until the job finishes
    }
    return this.get(name);
  }

  async *stream(name: string, options: StreamOptions = {}): AsyncGenerator<RunEvent> {
    const store = this.workspace.store;
    const run = this.runs.get(name);
    if (run) {
      const queue = new EventQueue<RunEvent>();
      const unsubscribe = run.sink.subscribe((event) => {
        queue.push(event);
        if (event.type === "job_finished") queue.close();
      });
      const live = run.sink.nextSeq;
      try {
        for (const row of store.eventsSince(name, 0)) {
          if (row.seq >= live) break;
          const event = JSON.parse(row.json) as RunEvent;
          yield event;
          if (event.type === "job_finished" && row.seq === live - 1) return;
        }
        for await (const event of queue) yield event;
      } finally {
        unsubscribe();
      }
      return;
    }
    if (!store.hasJob(name)) throw new RunnerError("PW4010", `no job named '${name}' in ${this.workspace.root}; \`pipewright runs list\` shows the jobs`);
    let seq = 0;
    for (;;) {
      for (const row of store.eventsSince(name, seq)) {
        seq = row.seq + 1;
        const event = JSON.parse(row.json) as RunEvent;
        yield event;
        if (event.type === "job_finished" && store.getJob(name)?.status !== "running") return;
      }
      const record = store.getJob(name);
      if (!record || record.status !== "running") {
        if (!store.eventsSince(name, seq).length) return;
        continue;
      }
      if (record.runnerPid !== undefined && !isAlive(record.runnerPid)) return;
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 200));
    }
  }

  async get(name: string): Promise<JobRecord> {
    const record = this.workspace.store.getJob(name);
    if (!record) throw new RunnerError("PW4010", `no job named '${name}' in ${this.workspace.root}; \`pipewright runs list\` shows the jobs`);
    return record;
  }

  async list(filter: ListJobsFilter = {}): Promise<JobRecord[]> {
    return this.workspace.store.listJobs(filter);
  }

  async cancel(name: string): Promise<JobRecord> {
    const record = await this.get(name);
    const run = this.runs.get(name);
    if (run) {
      run.executor.cancel();
      return this.get(name);
    }
    if (record.status !== "running") return record;
    const store = this.workspace.store;
    store.requestCancel(name);
    if (record.runnerPid === undefined || !isAlive(record.runnerPid)) {
      // The runner is gone: nobody will see the request, so stop its leftovers and record it here.
      const now = Date.now();
      for (const attempt of store.getAttempts(name)) {
        if (attempt.endedAt === undefined && attempt.pid !== undefined) {
          signalGroup(attempt.pid, "SIGKILL");
          store.finishAttempt(name, attempt.step, attempt.attempt, { endedAt: now, signal: "SIGKILL", stoppedFor: "cancel" });
        }
      }
      for (const step of store.getSteps(name)) {
        if (step.status === "running") store.updateStep(name, step.id, { status: "canceled", endedAt: now, reason: "the job was canceled" });
        else if (step.status === "not_started") store.updateStep(name, step.id, { status: "skipped", reason: "the job was canceled" });
      }
      store.finishJob(name, "canceled", now, {}, JSON.stringify({ ignored: [], counts: {} }), "canceled after its runner had stopped");
    }
    return this.get(name);
  }

  steps(name: string): StepRecord[] {
    return this.workspace.store.getSteps(name);
  }

  attempts(name: string, step?: string): AttemptRecord[] {
    return this.workspace.store.getAttempts(name, step);
  }

  outputs(name: string, step?: string): OutputRecord[] {
    return this.workspace.store.getOutputs(name, step);
  }

  metrics(name: string): MetricRecord[] {
    return this.workspace.store.getMetrics(name);
  }

  /** Why a step was or was not reused. */
  explain(name: string, step: string): ReuseExplanation {
    return explainReuse(this.workspace.store, name, step);
  }

  private track(run: StartedRun): JobRecord {
    this.runs.set(run.name, run);
    const done = run.done.finally(() => this.runs.delete(run.name));
    this.finished.set(run.name, done);
    done.catch(() => undefined);
    return this.workspace.store.getJob(run.name) as JobRecord;
  }

  /** Cancels every run this client started (e.g. on Ctrl-C) and waits for them to end. */
  async cancelAll(): Promise<void> {
    const pending = [...this.runs.values()];
    for (const run of pending) run.executor.cancel();
    await Promise.allSettled(pending.map((run) => run.done));
  }
}
