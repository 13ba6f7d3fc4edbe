/**
 * The live terminal view: one line per step (state, duration, reused mark) and a total line,
 * redrawn in place. A failed step's log tail is printed above the view when it fails.
 */
import type { RunEvent } from "../events/run-events.js";
import type { Reporter, ReporterOutput } from "./reporter.js";
import { formatDuration } from "./reporter.js";
import { indent, renderSummary } from "./summary.js";

type State = "waiting" | "running" | "completed" | "reused" | "failed" | "canceled" | "skipped" | "retrying";

interface StepView {
  readonly id: string;
  state: State;
  startedAt?: number;
  endedAt?: number;
  note?: string;
  order: number;
}

const SYMBOL: Record<State, string> = {
  waiting: "·",
  running: "▶",
  retrying: "↻",
  completed: "✔",
  reused: "♻",
  failed: "✖",
  canceled: "■",
  skipped: "–",
};

export interface LiveReporterOptions {
  /** Lines the view may use before it folds finished steps. @default 20 */
  readonly maxLines?: number;
  /** Redraw interval. @default 100 */
  readonly intervalMs?: number;
  /** Clock, for tests. @default Date.now */
  readonly now?: () => number;
  /** ANSI colours. @default true */
  readonly color?: boolean;
}

export class LiveReporter implements Reporter {
  private readonly steps = new Map<string, StepView>();
  private drawn = 0;
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private finishCounter = 0;
  private readonly now: () => number;

  constructor(
    private readonly out: ReporterOutput,
    private readonly options: LiveReporterOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  onEvent(event: RunEvent): void {
    switch (event.type) {
      case "job_started":
        this.startedAt = event.time;
        this.out.write(`${event.resumed ? "Resuming" : "Running"} ${event.pipeline} as job ${event.job}\n`);
        for (const step of event.steps) {
          if (!this.steps.has(step.id)) this.steps.set(step.id, { id: step.id, state: "waiting", order: 0 });
        }
        // Redraws are paced by the timer, not by events: a 2,000-step run emits thousands.
        this.timer ??= setInterval(() => this.draw(), this.options.intervalMs ?? 100);
        this.timer.unref();
        break;
      case "step_started":
        this.update(event.step, { state: "running", startedAt: event.time, ...(event.attempt > 1 ? { note: `attempt ${event.attempt}` } : {}) });
        break;
      case "step_reused":
        this.update(event.step, { state: "reused", startedAt: event.time, endedAt: event.time, note: `from ${event.from.job}` });
        break;
      case "step_completed":
        this.update(event.step, { state: "completed", endedAt: event.time });
        break;
      case "step_retrying":
        this.update(event.step, { state: "retrying", note: `${event.reason}; retry ${event.attempt - 1} in ${formatDuration(event.delayMs)}` });
        break;
      case "step_failed":
        this.update(event.step, { state: "failed", endedAt: event.time, note: event.reason });
        this.clear();
        this.out.write(`${this.paint("31", `✖ ${event.step} failed: ${event.reason}`)}\n`);
        if (event.logTail) this.out.write(`${indent(event.logTail)}\n`);
        this.out.write(`    log: ${event.logPath}\n`);
        break;
      case "step_canceled":
        this.update(event.step, { state: "canceled", endedAt: event.time });
        break;
      case "step_skipped":
        this.update(event.step, { state: "skipped", note: event.reason });
        break;
      case "job_finished":
        this.stop();
        this.draw();
        this.drawn = 0;
        this.out.write(`${renderSummary(event).join("\n")}\n`);
        return;
    }
    if (event.type === "job_started" || event.type === "step_failed") this.draw();
  }

  end(): void {
    this.stop();
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private update(id: string, change: Partial<StepView>): void {
    const view = this.steps.get(id) ?? { id, state: "waiting" as State, order: 0 };
    Object.assign(view, change);
    if (change.state && change.state !== "running" && change.state !== "retrying") view.order = ++this.finishCounter;
    this.steps.set(id, view);
  }

  private clear(): void {
    if (this.drawn) this.out.write(`\x1b[${this.drawn}A\r\x1b[J`);
    this.drawn = 0;
  }

  private draw(): void {
    const lines = this.render();
    this.clear();
    this.out.write(`${lines.join("\n")}\n`);
    this.drawn = lines.length;
  }

  private render(): string[] {
    const all = [...this.steps.values()];
    const max = this.options.maxLines ?? 20;
    let shown = all;
    let hidden = 0;
    if (all.length > max) {
      const active = all.filter((s) => s.state === "running" || s.state === "retrying" || s.state === "failed");
      const recent = all.filter((s) => s.order > 0 && s.state !== "failed").sort((a, b) => b.order - a.order).slice(0, Math.max(0, max - active.length));
      const keep = new Set([...active, ...recent]);
      shown = all.filter((s) => keep.has(s));
      hidden = all.length - shown.length;
    }
    const width = Math.min(40, Math.max(4, ...shown.map((s) => s.id.length)));
    const now = this.now();
    const lines = shown.map((s) => {
      const duration =
        s.state === "reused" ? "reused" : s.startedAt !== undefined ? formatDuration((s.endedAt ?? now) - s.startedAt) : "";
      const text = `${SYMBOL[s.state]} ${s.id.padEnd(width)}  ${s.state === "reused" ? "" : s.state.padEnd(9)}${duration.padStart(7)}${s.note ? `  ${s.note}` : ""}`;
      return this.paint(COLOR[s.state], text.trimEnd());
    });
    if (hidden) lines.push(`  … ${hidden} more step${hidden === 1 ? "" : "s"}`);
    const count = (state: State) => all.filter((s) => s.state === state).length;
    const done = all.length - count("waiting") - count("running") - count("retrying");
    const parts = [`${done}/${all.length} done`];
    for (const state of ["running", "reused", "failed", "skipped"] as const) if (count(state)) parts.push(`${count(state)} ${state}`);
    parts.push(formatDuration(now - (this.startedAt || now)));
    lines.push(`  ${parts.join(" · ")}`);
    return lines;
  }

  private paint(code: string, text: string): string {
    return this.options.color === false ? text : `\x1b[${code}m${text}\x1b[0m`;
  }
}

const COLOR: Record<State, string> = {
  waiting: "2",
  running: "36",
  retrying: "33",
  completed: "32",
  reused: "32;2",
  failed: "31",
  canceled: "33",
  skipped: "2",
};
