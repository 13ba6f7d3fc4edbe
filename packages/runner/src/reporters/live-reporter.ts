/**
 * The live terminal view: one line per step (state, duration, reused mark) and a total line,
 * redrawn in place. Streamed log lines (`step_log`, from remote runs) scroll above the view as
 * `step | line`, written in the same write as the next frame so the view never flickers; a failed
 * step's log tail is printed above the view when it fails, unless its lines were streamed already.
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
  /** Terminal width; frame lines are cut to it so wrapping never breaks the redraw. @default out.columns */
  readonly columns?: number;
}

export class LiveReporter implements Reporter {
  private readonly steps = new Map<string, StepView>();
  private drawn = 0;
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private finishCounter = 0;
  private readonly now: () => number;
  /** Log lines waiting for the next frame, already formatted. */
  private pendingLog: string[] = [];
  /** Steps whose log lines were streamed (their failure tail would repeat them). */
  private readonly streamed = new Set<string>();

  constructor(
    private readonly out: ReporterOutput & { readonly columns?: number | undefined },
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
        this.timer ??= setInterval(() => this.tick(), this.options.intervalMs ?? 100);
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
      case "step_log":
        if (event.lines.length === 0) return;
        this.streamed.add(event.step);
        for (const line of event.lines) this.pendingLog.push(`${this.paint("2", `${event.step} |`)} ${cleanLogLine(line)}`);
        return;
      case "step_failed": {
        this.update(event.step, { state: "failed", endedAt: event.time, note: event.reason });
        const above = [`${this.paint("31", `✖ ${event.step} failed: ${event.reason}`)}`];
        if (event.logTail && !this.streamed.has(event.step)) above.push(indent(event.logTail));
        above.push(`    log: ${event.logPath}`);
        this.pendingLog.push(...above);
        break;
      }
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
    // Watching stopped before the job ended (Ctrl-C): show the log lines that came in.
    if (this.pendingLog.length) this.draw();
  }

  /** Draws a frame now (the timer calls this; so can a test). */
  tick(): void {
    this.draw();
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

  /** One write per frame: erase the old view, log lines that arrived since, the new view. */
  private draw(): void {
    const lines = this.render();
    const erase = this.drawn ? `\x1b[${this.drawn}A\r\x1b[J` : "";
    const log = this.pendingLog.length ? `${this.pendingLog.join("\n")}\n` : "";
    this.pendingLog = [];
    this.out.write(`${erase}${log}${lines.join("\n")}\n`);
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
      return this.paint(COLOR[s.state], this.fit(text.trimEnd()));
    });
    if (hidden) lines.push(this.fit(`  … ${hidden} more step${hidden === 1 ? "" : "s"}`));
    const count = (state: State) => all.filter((s) => s.state === state).length;
    const done = all.length - count("waiting") - count("running") - count("retrying");
    const parts = [`${done}/${all.length} done`];
    for (const state of ["running", "reused", "failed", "skipped"] as const) if (count(state)) parts.push(`${count(state)} ${state}`);
    parts.push(formatDuration(now - (this.startedAt || now)));
    lines.push(this.fit(`  ${parts.join(" · ")}`));
    return lines;
  }

  /** A frame line cut to the terminal width: a wrapped line would make the next redraw erase too little. */
  private fit(text: string): string {
    const columns = this.options.columns ?? this.out.columns;
    if (columns === undefined || columns < 2) return text;
    const chars = [...text.replace(/[\r\n]+/g, " ")];
    return chars.length < columns ? chars.join("") : `${chars.slice(0, columns - 2).join("")}…`;
  }

  private paint(code: string, text: string): string {
    return this.options.color === false ? text : `\x1b[${code}m${text}\x1b[0m`;
  }
}

/**
 * A log line as it can be shown above the view: no carriage returns or cursor movements (a
 * progress bar's `\r` or an escape sequence would overwrite the view), tabs kept.
 */
export function cleanLogLine(line: string): string {
  const last = line.replace(/\r+$/, "").split("\r").pop() ?? "";
  return last.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-Z\\-_]|[\x00-\x08\x0b-\x1f\x7f]/g, "");
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
