/**
 * What may run now: pure bookkeeping over the step graph, no processes and no clock (Nx's
 * `TasksSchedule`). The executor asks for ready steps and reports outcomes; the schedule answers
 * with the steps to skip or cancel as Azure ML's `continue_on_step_failure` prescribes.
 */

export type StepOutcome = "completed" | "failed" | "canceled";
export type ScheduledState = "waiting" | "running" | "completed" | "failed" | "canceled" | "skipped";

export interface ScheduleStep {
  readonly id: string;
  readonly dependsOn: readonly string[];
}

export interface FinishResult {
  /** Steps that will never run because this one failed (its dependants, transitively). */
  readonly skipped: readonly { readonly id: string; readonly reason: string }[];
  /** Running steps to stop now: a failure with continue_on_step_failure off stops the job. */
  readonly cancel: readonly string[];
}

export class StepSchedule {
  private readonly state = new Map<string, ScheduledState>();
  private readonly pending = new Map<string, number>();
  private readonly dependants = new Map<string, string[]>();
  private readonly ready: string[] = [];
  private readyHead = 0;
  private readonly order: readonly string[];
  private stopped: "failed" | "canceled" | undefined;
  private running = 0;

  constructor(
    steps: readonly ScheduleStep[],
    private readonly continueOnStepFailure: boolean,
  ) {
    this.order = steps.map((step) => step.id);
    for (const step of steps) {
      this.state.set(step.id, "waiting");
      this.pending.set(step.id, step.dependsOn.length);
      for (const dep of step.dependsOn) {
        const list = this.dependants.get(dep);
        if (list) list.push(step.id);
        else this.dependants.set(dep, [step.id]);
      }
    }
    for (const step of steps) if (step.dependsOn.length === 0) this.ready.push(step.id);
  }

  /** A step finished in an earlier run of this job (resume): its dependants may start. */
  markCompleted(id: string): void {
    if (this.state.get(id) !== "waiting") return;
    this.state.set(id, "completed");
    this.release(id);
  }

  /** The next step to start, in plan order among ready steps, or undefined. */
  next(): string | undefined {
    if (this.stopped) return undefined;
    while (this.readyHead < this.ready.length) {
      const id = this.ready[this.readyHead++];
      if (id !== undefined && this.state.get(id) === "waiting") {
        this.state.set(id, "running");
        this.running++;
        return id;
      }
    }
    return undefined;
  }

  finish(id: string, outcome: StepOutcome): FinishResult {
    if (this.state.get(id) !== "running") return { skipped: [], cancel: [] };
    this.state.set(id, outcome);
    this.running--;
    if (outcome === "completed") {
      this.release(id);
      return { skipped: [], cancel: [] };
    }
    if (outcome === "canceled") return { skipped: [], cancel: [] };
    if (!this.continueOnStepFailure) {
      this.stopped ??= "failed";
      return { skipped: [], cancel: this.runningSteps() };
    }
    const skipped: { id: string; reason: string }[] = [];
    const queue = [...(this.dependants.get(id) ?? [])];
    while (queue.length) {
      const next = queue.shift() as string;
      if (this.state.get(next) !== "waiting") continue;
      this.state.set(next, "skipped");
      skipped.push({ id: next, reason: `upstream step '${id}' failed` });
      queue.push(...(this.dependants.get(next) ?? []));
    }
    return { skipped, cancel: [] };
  }

  /** Cancel the job: no new steps; returns the running steps to stop. */
  cancel(): string[] {
    this.stopped = "canceled";
    return this.runningSteps();
  }

  isDone(): boolean {
    return this.running === 0 && (this.stopped !== undefined || this.readyHead >= this.ready.length);
  }

  /** A failure (continue_on_step_failure off) or a cancel stopped the job. */
  isStopped(): boolean {
    return this.stopped !== undefined;
  }

  hasRunning(): boolean {
    return this.running > 0;
  }

  stateOf(id: string): ScheduledState | undefined {
    return this.state.get(id);
  }

  /** Steps that never started, for the final record. */
  notStarted(): string[] {
    return this.order.filter((id) => this.state.get(id) === "waiting");
  }

  /** The job's status once done: canceled beats failed beats completed. */
  outcome(): "completed" | "failed" | "canceled" {
    if (this.stopped === "canceled") return "canceled";
    for (const state of this.state.values()) if (state === "failed") return "failed";
    if (this.stopped === "failed") return "failed";
    for (const state of this.state.values()) if (state === "canceled") return "canceled";
    return "completed";
  }

  private release(id: string): void {
    for (const next of this.dependants.get(id) ?? []) {
      const left = (this.pending.get(next) ?? 0) - 1;
      this.pending.set(next, left);
      if (left === 0 && this.state.get(next) === "waiting") this.ready.push(next);
    }
  }

  private runningSteps(): string[] {
    return this.order.filter((id) => this.state.get(id) === "running");
  }
}
