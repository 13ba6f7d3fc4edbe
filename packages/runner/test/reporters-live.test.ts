import { expect } from "chai";
import type { RunEvent } from "../src/events/run-events.js";
import { cleanLogLine, LiveReporter } from "../src/reporters/live-reporter.js";

/**
 * A tiny terminal: keeps every line ever shown (scrollback + screen) and a cursor row, and
 * understands what the live view writes: text, `\n`, `\r`, cursor up (`ESC[nA`), erase below (`ESC[J`).
 */
class FakeTty {
  readonly isTTY = true;
  lines: string[] = [""];
  row = 0;
  col = 0;
  writes: string[] = [];

  constructor(readonly columns?: number) {}

  write(text: string): boolean {
    this.writes.push(text);
    const pattern = /\x1b\[(\d*)([A-Za-z])|\r|\n|[^\x1b\r\n]+/g;
    for (const match of text.matchAll(pattern)) {
      const token = match[0];
      if (token === "\n") {
        this.row += 1;
        this.col = 0;
        if (this.lines.length <= this.row) this.lines.push("");
      } else if (token === "\r") this.col = 0;
      else if (match[2] === "A") this.row = Math.max(0, this.row - Number(match[1] || "1"));
      else if (match[2] === "J") this.lines = [...this.lines.slice(0, this.row), (this.lines[this.row] ?? "").slice(0, this.col)];
      else if (match[2] !== undefined) throw new Error(`unexpected escape ${JSON.stringify(token)}`);
      else {
        const line = this.lines[this.row] ?? "";
        this.lines[this.row] = line.slice(0, this.col) + token + line.slice(this.col + token.length);
        this.col += token.length;
      }
    }
    return true;
  }

  /** Everything shown, without the empty line under the cursor. */
  shown(): string[] {
    return this.lines.at(-1) === "" ? this.lines.slice(0, -1) : this.lines;
  }
}

const T = Date.UTC(2026, 10, 27, 12, 0, 0);
const J = "j1";
const started: RunEvent = { type: "job_started", job: J, time: T, pipeline: "demo", steps: [{ id: "prep" }, { id: "train" }], folder: "https://studio/j1", resumed: false };
const log = (step: string, ...lines: string[]): RunEvent => ({ type: "step_log", job: J, time: T + 1, step, lines });

function live(tty: FakeTty): LiveReporter {
  return new LiveReporter(tty, { color: false, now: () => T + 2000, intervalMs: 3_600_000 });
}

describe("live view with streamed step logs", () => {
  it("prints streamed log lines once each, above the step lines, in arrival order", () => {
    const tty = new FakeTty();
    const reporter = live(tty);
    reporter.onEvent(started);
    reporter.onEvent({ type: "step_started", job: J, time: T, step: "prep", attempt: 1 });
    reporter.onEvent(log("prep", "loading data", "10 rows"));
    reporter.tick();
    reporter.onEvent({ type: "step_started", job: J, time: T, step: "train", attempt: 1 });
    reporter.onEvent(log("train", "epoch 1"));
    reporter.onEvent(log("prep", "done"));
    reporter.tick();
    reporter.tick();
    reporter.end();
    const shown = tty.shown();
    expect(shown[0]).to.equal("Running demo as job j1");
    expect(shown.slice(1, 5)).to.deep.equal(["prep | loading data", "prep | 10 rows", "train | epoch 1", "prep | done"]);
    // Below the log: exactly one view (two steps and the total line), never a stale copy.
    expect(shown.slice(5)).to.have.length(3);
    expect(shown[5]).to.match(/^▶ prep\s+running\s+2\.0s$/);
    expect(shown[6]).to.match(/^▶ train\s+running/);
    expect(shown[7]).to.equal("  0/2 done · 2 running · 2.0s");
  });

  it("writes each frame, with the log lines that arrived since the last one, in a single write (no blank moment)", () => {
    const tty = new FakeTty();
    const reporter = live(tty);
    reporter.onEvent(started);
    reporter.onEvent({ type: "step_started", job: J, time: T, step: "prep", attempt: 1 });
    reporter.onEvent(log("prep", "a"));
    reporter.onEvent(log("prep", "b"));
    const before = tty.writes.length;
    reporter.tick();
    expect(tty.writes.length - before).to.equal(1);
    const frame = tty.writes.at(-1) ?? "";
    expect(frame.startsWith("\x1b[3A\r\x1b[J")).to.equal(true);
    expect(frame).to.contain("prep | a\nprep | b\n▶ prep");
    // A log event alone writes nothing; the next frame carries it.
    reporter.onEvent(log("prep", "c"));
    expect(tty.writes.length - before).to.equal(1);
  });

  it("does not repeat a streamed step's lines in its failure tail, but still shows the tail of a step that streamed nothing", () => {
    const tty = new FakeTty();
    const reporter = live(tty);
    reporter.onEvent(started);
    reporter.onEvent({ type: "step_started", job: J, time: T, step: "prep", attempt: 1 });
    reporter.onEvent({ type: "step_started", job: J, time: T, step: "train", attempt: 1 });
    reporter.onEvent(log("prep", "Traceback", "ValueError: boom"));
    const failed = (step: string, logTail: string): RunEvent => ({ type: "step_failed", job: J, time: T + 5, step, attempt: 1, durationMs: 5, reason: "exit code 1", logPath: `logs/${step}.txt`, logTail });
    reporter.onEvent(failed("prep", "Traceback\nValueError: boom"));
    reporter.onEvent(failed("train", "quiet failure"));
    reporter.onEvent({ type: "job_finished", job: J, time: T + 6, status: "failed", durationMs: 6, outputs: {}, ignored: [], counts: { failed: 2 } });
    reporter.end();
    const shown = tty.shown();
    expect(shown.filter((line) => line.includes("ValueError: boom"))).to.deep.equal(["prep | ValueError: boom"]);
    expect(shown).to.include("✖ prep failed: exit code 1");
    expect(shown).to.include("    | quiet failure");
    expect(shown.indexOf("prep | ValueError: boom")).to.be.lessThan(shown.indexOf("✖ prep failed: exit code 1"));
    expect(shown.filter((line) => line.startsWith("✖ prep  "))).to.have.length(1);
    expect(shown.at(-1)).to.match(/^Job j1 failed/);
  });

  it("flushes log lines that arrived after the last frame when watching stops before the job ends", () => {
    const tty = new FakeTty();
    const reporter = live(tty);
    reporter.onEvent(started);
    reporter.onEvent(log("prep", "late line"));
    reporter.end();
    expect(tty.shown()).to.include("prep | late line");
  });

  it("keeps carriage returns and cursor movements of a log line from overwriting the view", () => {
    expect(cleanLogLine("progress 10%\rprogress 100%")).to.equal("progress 100%");
    expect(cleanLogLine("\x1b[2K\x1b[1Aok\x1b[0m\tdone\r")).to.equal("ok\tdone");
    const tty = new FakeTty();
    const reporter = live(tty);
    reporter.onEvent(started);
    reporter.onEvent(log("prep", "\x1b[5Aoops"));
    reporter.tick();
    expect(tty.shown()[0]).to.equal("Running demo as job j1");
    expect(tty.shown()).to.include("prep | oops");
  });

  it("cuts step lines to the terminal width so a long note cannot wrap and leave a stale copy behind", () => {
    const tty = new FakeTty(30);
    const reporter = live(tty);
    reporter.onEvent(started);
    reporter.onEvent({ type: "step_retrying", job: J, time: T, step: "prep", attempt: 2, delayMs: 1000, reason: "exit code 1 after a very long explanation of what went wrong" });
    reporter.tick();
    const view = tty.shown().slice(1);
    expect(view.every((line) => [...line].length < 30)).to.equal(true);
    expect(view[0]).to.match(/^↻ prep .*…$/);
  });
});
