// Job lifecycles as pure functions of the emulator clock. When a job is created its whole schedule
// is worked out (when each step is queued, starts and ends, and how); status and log contents are
// then read off that schedule at "now". Advancing the clock is all it takes to move a pipeline.
import { isoTime } from "./clock.js";

export type TerminalOutcome = "Completed" | "Failed" | "Canceled";

/** What a step does; anything left out comes from the lifecycle defaults. */
export interface EmulatorStepBehaviour {
  readonly outcome?: "Completed" | "Failed";
  readonly notStartedMs?: number;
  readonly queuedMs?: number;
  readonly runningMs?: number;
  /** Lines the step writes to its log while running (spread evenly over its running time). */
  readonly logLines?: readonly string[];
  /** For a failing step: the error in RunDetails and the last line of its log. */
  readonly errorMessage?: string;
}

/** What a behaviour rule sees about a step (or about a standalone job, with `node` undefined). */
export interface EmulatorStepContext {
  readonly jobName: string;
  readonly node: string | undefined;
  readonly jobType: string;
  /** The node's tags merged over the job's tags. */
  readonly tags: Readonly<Record<string, string>>;
  readonly componentId: string | undefined;
}

export interface EmulatorLifecycleOptions {
  /** @default 1000 */
  readonly notStartedMs?: number;
  /** @default 2000 */
  readonly queuedMs?: number;
  /** @default 10000 */
  readonly runningMs?: number;
  /** Time from a cancel request to Canceled. @default 2000 */
  readonly cancelMs?: number;
  /** Decides per step; `undefined` means defaults (which honour the {@link EMULATOR_OUTCOME_TAG} tag). */
  readonly behaviour?: (step: EmulatorStepContext) => EmulatorStepBehaviour | undefined;
}

/** A node (or job) tagged with this key and the value "Failed" fails; see also {@link EMULATOR_ERROR_TAG}. */
export const EMULATOR_OUTCOME_TAG = "pipewright.emulator.outcome";
export const EMULATOR_ERROR_TAG = "pipewright.emulator.error";

export interface RunSchedule {
  readonly createdAt: number;
  readonly queuedAt: number;
  readonly runningAt: number;
  readonly endedAt: number;
  readonly outcome: TerminalOutcome;
  readonly errorMessage: string | undefined;
}

export interface TimedLine {
  readonly at: number;
  readonly text: string;
}

export interface SimulatedRun {
  readonly runId: string;
  readonly runUuid: string;
  readonly runNumber: number;
  readonly parentRunId: string | undefined;
  readonly node: string | undefined;
  readonly displayName: string;
  readonly kind: "pipeline" | "step" | "job";
  readonly schedule: RunSchedule;
  readonly lines: readonly TimedLine[];
  readonly logName: string;
  /** Set by a cancel request (emulator time). */
  cancelAt: number | undefined;
}

export interface StepPlan {
  readonly node: string;
  readonly dependsOn: readonly string[];
  readonly behaviour: EmulatorStepBehaviour;
}

const DEFAULTS = { notStartedMs: 1000, queuedMs: 2000, runningMs: 10000, cancelMs: 2000 };

export function lifecycleDefaults(options: EmulatorLifecycleOptions | undefined): typeof DEFAULTS {
  return {
    notStartedMs: options?.notStartedMs ?? DEFAULTS.notStartedMs,
    queuedMs: options?.queuedMs ?? DEFAULTS.queuedMs,
    runningMs: options?.runningMs ?? DEFAULTS.runningMs,
    cancelMs: options?.cancelMs ?? DEFAULTS.cancelMs,
  };
}

/** The behaviour for one step: the user's rule first, then the outcome tags. */
export function behaviourFor(options: EmulatorLifecycleOptions | undefined, step: EmulatorStepContext): EmulatorStepBehaviour {
  const chosen = options?.behaviour?.(step);
  if (chosen) return chosen;
  if (step.tags[EMULATOR_OUTCOME_TAG] === "Failed") {
    const message = step.tags[EMULATOR_ERROR_TAG];
    return message === undefined ? { outcome: "Failed" } : { outcome: "Failed", errorMessage: message };
  }
  return {};
}

export function runStatus(run: SimulatedRun, now: number, cancelMs: number): string {
  const s = run.schedule;
  if (run.cancelAt !== undefined && run.cancelAt < s.endedAt && now >= run.cancelAt) {
    return now < run.cancelAt + cancelMs ? "CancelRequested" : "Canceled";
  }
  if (now < s.queuedAt) return "NotStarted";
  if (now < s.runningAt) return "Queued";
  if (now < s.endedAt) return "Running";
  return s.outcome;
}

export function isTerminal(status: string): boolean {
  return status === "Completed" || status === "Failed" || status === "Canceled";
}

export interface RunTimes {
  readonly startedAt: number | undefined;
  readonly endedAt: number | undefined;
}

export function runTimes(run: SimulatedRun, now: number, cancelMs: number): RunTimes {
  const status = runStatus(run, now, cancelMs);
  const cut = run.cancelAt !== undefined && run.cancelAt < run.schedule.endedAt ? run.cancelAt : Infinity;
  const startedAt = run.schedule.runningAt <= Math.min(now, cut) ? run.schedule.runningAt : undefined;
  if (!isTerminal(status)) return { startedAt, endedAt: undefined };
  const endedAt = status === "Canceled" && cut !== Infinity ? cut + cancelMs : run.schedule.endedAt;
  return { startedAt, endedAt };
}

/** The error a failed run reports. */
export function runError(run: SimulatedRun, now: number, cancelMs: number): string | undefined {
  return runStatus(run, now, cancelMs) === "Failed" ? run.schedule.errorMessage : undefined;
}

/** Log text visible at `now`: it grows as the clock moves, and stops growing at a cancel. */
export function logText(run: SimulatedRun, now: number): string {
  const cut = run.cancelAt !== undefined && run.cancelAt < run.schedule.endedAt ? run.cancelAt : Infinity;
  const lines = run.lines.filter((l) => l.at <= now && l.at <= cut).map((l) => l.text);
  if (cut !== Infinity && now >= cut && run.schedule.runningAt <= cut) lines.push("Cancellation requested: the step is being stopped.");
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

/** Pipeline log: one line per step transition, read off the children's schedules. */
export function pipelineLogText(children: readonly SimulatedRun[], now: number, cancelMs: number): string {
  const events: TimedLine[] = [];
  for (const child of children) {
    const s = child.schedule;
    const cut = child.cancelAt !== undefined && child.cancelAt < s.endedAt ? child.cancelAt : Infinity;
    const name = child.node ?? child.runId;
    if (s.queuedAt < Math.min(cut, s.endedAt)) events.push({ at: s.queuedAt, text: `${name}: Queued` });
    if (s.runningAt < Math.min(cut, s.endedAt)) events.push({ at: s.runningAt, text: `${name}: Running` });
    if (cut === Infinity) events.push({ at: s.endedAt, text: `${name}: ${s.outcome}` });
    else {
      events.push({ at: cut, text: `${name}: CancelRequested` });
      events.push({ at: cut + cancelMs, text: `${name}: Canceled` });
    }
  }
  events.sort((a, b) => a.at - b.at);
  const visible = events.filter((e) => e.at <= now).map((e) => `[${isoTime(e.at)}] ${e.text}`);
  return visible.length === 0 ? "" : `${visible.join("\n")}\n`;
}

function stepLines(label: string, b: EmulatorStepBehaviour, outcome: TerminalOutcome, start: number, end: number, error: string | undefined): TimedLine[] {
  const body = b.logLines ?? [`Starting ${label}`, `${label}: working (1/3)`, `${label}: working (2/3)`, `${label}: working (3/3)`];
  const tail =
    outcome === "Failed"
      ? ["Traceback (most recent call last):", '  File "main.py", line 1, in <module>', `RuntimeError: ${error ?? "failed"}`]
      : outcome === "Completed" && b.logLines === undefined
        ? [`${label}: done`]
        : [];
  const all = [...body, ...tail];
  const span = Math.max(0, end - start);
  return all.map((text, i) => ({ at: start + Math.round(((i + 1) * span) / all.length), text }));
}

export interface ScheduledStep {
  readonly node: string;
  readonly schedule: RunSchedule;
  readonly lines: readonly TimedLine[];
}

/** A standalone (non-pipeline) job: one run. */
export function scheduleSingle(createdAt: number, label: string, b: EmulatorStepBehaviour, options: EmulatorLifecycleOptions | undefined): ScheduledStep {
  const d = lifecycleDefaults(options);
  const queuedAt = createdAt + (b.notStartedMs ?? d.notStartedMs);
  const runningAt = queuedAt + (b.queuedMs ?? d.queuedMs);
  const endedAt = runningAt + (b.runningMs ?? d.runningMs);
  const outcome = b.outcome ?? "Completed";
  const errorMessage = outcome === "Failed" ? (b.errorMessage ?? `${label} failed (failure injected by the emulator)`) : undefined;
  return {
    node: label,
    schedule: { createdAt, queuedAt, runningAt, endedAt, outcome, errorMessage },
    lines: stepLines(label, b, outcome, runningAt, endedAt, errorMessage),
  };
}

export interface PipelineSchedule {
  readonly pipeline: RunSchedule;
  readonly steps: readonly ScheduledStep[];
}

/**
 * Steps start when their upstream steps complete. A failure stops the pipeline at that moment
 * (steps still queued or running are canceled, later ones never start) unless
 * `continueOnStepFailure`, in which case only the failed step's downstream steps are skipped.
 * Skipped steps show NotStarted until the pipeline ends, then Canceled.
 */
export function schedulePipeline(createdAt: number, steps: readonly StepPlan[], continueOnStepFailure: boolean, options: EmulatorLifecycleOptions | undefined): PipelineSchedule {
  const d = lifecycleDefaults(options);
  const queuedAt = createdAt + d.notStartedMs;
  const runningAt = queuedAt + d.queuedMs;
  const byName = new Map(steps.map((s) => [s.node, s]));
  const nominal = new Map<string, { queuedAt: number; runningAt: number; endedAt: number; outcome: TerminalOutcome } | "skipped">();
  const visiting = new Set<string>();
  const visit = (name: string): void => {
    if (nominal.has(name)) return;
    const step = byName.get(name);
    if (!step || visiting.has(name)) {
      nominal.set(name, "skipped"); // unknown dependency or a cycle: never runs
      return;
    }
    visiting.add(name);
    let ready = runningAt;
    let blocked = false;
    for (const dep of step.dependsOn) {
      visit(dep);
      const upstream = nominal.get(dep);
      if (upstream === undefined || upstream === "skipped" || upstream.outcome !== "Completed") blocked = true;
      else ready = Math.max(ready, upstream.endedAt);
    }
    visiting.delete(name);
    if (blocked) {
      nominal.set(name, "skipped");
      return;
    }
    const b = step.behaviour;
    const q = ready + (b.notStartedMs ?? 0);
    const r = q + (b.queuedMs ?? d.queuedMs);
    nominal.set(name, { queuedAt: q, runningAt: r, endedAt: r + (b.runningMs ?? d.runningMs), outcome: b.outcome ?? "Completed" });
  };
  for (const step of steps) visit(step.node);

  const ran = [...nominal.values()].filter((n): n is Exclude<typeof n, "skipped"> => n !== "skipped");
  const failures = ran.filter((n) => n.outcome === "Failed");
  const firstFailure = failures.length > 0 && !continueOnStepFailure ? Math.min(...failures.map((n) => n.endedAt)) : Infinity;
  const lastEnd = ran.length > 0 ? Math.max(...ran.map((n) => n.endedAt)) : runningAt + d.runningMs;
  const pipelineEnd = Math.min(lastEnd, firstFailure);

  const scheduled = steps.map((step): ScheduledStep => {
    const n = nominal.get(step.node);
    const label = step.node;
    if (n === undefined || n === "skipped" || n.queuedAt >= firstFailure) {
      const schedule: RunSchedule = { createdAt: runningAt, queuedAt: pipelineEnd, runningAt: pipelineEnd, endedAt: pipelineEnd, outcome: "Canceled", errorMessage: undefined };
      return { node: label, schedule, lines: [] };
    }
    const cut = n.endedAt > firstFailure ? firstFailure : n.endedAt;
    const outcome: TerminalOutcome = cut < n.endedAt ? "Canceled" : n.outcome;
    const errorMessage = outcome === "Failed" ? (step.behaviour.errorMessage ?? `Step '${label}' failed (failure injected by the emulator)`) : undefined;
    const lines = stepLines(label, step.behaviour, n.outcome, n.runningAt, n.endedAt, errorMessage).filter((l) => l.at <= cut);
    if (outcome === "Canceled" && n.runningAt <= cut) lines.push({ at: cut, text: "Canceled: another step of the pipeline failed." });
    const schedule: RunSchedule = { createdAt: runningAt, queuedAt: Math.min(n.queuedAt, cut), runningAt: Math.min(n.runningAt, cut), endedAt: cut, outcome, errorMessage };
    return { node: label, schedule, lines };
  });
  const failedSteps = scheduled.filter((s) => s.schedule.outcome === "Failed").map((s) => s.node);
  const outcome: TerminalOutcome = failedSteps.length > 0 ? "Failed" : "Completed";
  const errorMessage = failedSteps.length > 0 ? `Pipeline failed: step(s) ${failedSteps.join(", ")} failed.` : undefined;
  return { pipeline: { createdAt, queuedAt, runningAt, endedAt: pipelineEnd, outcome, errorMessage }, steps: scheduled };
}
