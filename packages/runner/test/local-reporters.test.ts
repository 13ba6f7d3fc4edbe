import { expect } from "chai";
import type { RunEvent } from "../src/events/run-events.js";
import { JsonLinesReporter } from "../src/reporters/json-reporter.js";
import { LiveReporter } from "../src/reporters/live-reporter.js";
import { PlainReporter } from "../src/reporters/plain-reporter.js";
import { CompositeReporter } from "../src/reporters/reporter.js";

const T = Date.UTC(2026, 10, 27, 12, 0, 0);
const events: RunEvent[] = [
  { type: "job_started", job: "j1", time: T, pipeline: "demo", steps: [{ id: "a" }, { id: "b" }, { id: "c" }], folder: "/ws/jobs/j1", resumed: false },
  { type: "step_reused", job: "j1", time: T + 10, step: "a", from: { job: "j0", step: "a" } },
  { type: "step_started", job: "j1", time: T + 20, step: "b", attempt: 1 },
  { type: "step_failed", job: "j1", time: T + 1520, step: "b", attempt: 1, durationMs: 1500, exitCode: 2, reason: "exit code 2", logPath: "/ws/jobs/j1/steps/b/attempt-1.log", logTail: "line one\nboom" },
  { type: "step_skipped", job: "j1", time: T + 1520, step: "c", reason: "upstream step 'b' failed" },
  {
    type: "job_finished", job: "j1", time: T + 1530, status: "failed", durationMs: 1530, outputs: { model: "/ws/jobs/j0/outputs/a/out" },
    ignored: [{ step: "b", setting: "resources.instance_type", value: "Standard_DS3_v2" }], counts: { completed: 1, reused: 1, failed: 1, skipped: 1 },
  },
];

function collect(): { text: () => string; write: (s: string) => void } {
  let buffer = "";
  return { text: () => buffer, write: (s: string) => void (buffer += s) };
}

describe("run reporters", () => {
  it("plain lines carry a UTC timestamp, the failed step's log tail and the summary", () => {
    const out = collect();
    const reporter = new PlainReporter(out);
    for (const event of events) reporter.onEvent(event);
    const text = out.text();
    expect(text).to.contain("2026-11-27T12:00:00Z job j1 started: pipeline demo, 3 steps");
    expect(text).to.contain("a reused (outputs of j0/a)");
    expect(text).to.contain("b FAILED after 1.5s: exit code 2");
    expect(text).to.contain("    | line one\n    | boom\n");
    expect(text).to.contain("Job j1 failed in 1.5s (1 reused, 1 failed, 1 skipped).");
    expect(text).to.contain("model  /ws/jobs/j0/outputs/a/out");
    expect(text).to.contain("b: resources.instance_type = Standard_DS3_v2");
  });

  it("JSON lines are one parseable event per line, composable with another reporter", () => {
    const json = collect();
    const plain = collect();
    const composite = new CompositeReporter(new JsonLinesReporter(json), new PlainReporter(plain));
    for (const event of events) composite.onEvent(event);
    composite.end();
    const lines = json.text().trim().split("\n");
    expect(lines.map((line) => (JSON.parse(line) as RunEvent).type)).to.deep.equal(events.map((e) => e.type));
    expect(plain.text()).to.contain("Job j1 failed");
  });

  it("the live view shows a line per step with its state, reuse mark and a total, and the failed step's tail", () => {
    const out = collect();
    const reporter = new LiveReporter(out, { color: false, now: () => T + 1530, intervalMs: 60_000 });
    for (const event of events) reporter.onEvent(event);
    reporter.end();
    const text = out.text();
    expect(text).to.contain("✖ b failed: exit code 2\n    | line one\n    | boom\n");
    const finalView = text.slice(text.lastIndexOf("\x1b[J") + 3);
    expect(finalView).to.contain("♻ a");
    expect(finalView).to.contain("reused  from j0");
    expect(finalView).to.match(/✖ b\s+failed\s+1\.5s/);
    expect(finalView).to.match(/– c\s+skipped/);
    expect(finalView).to.contain("3/3 done · 1 reused · 1 failed · 1 skipped");
    expect(finalView).to.contain("Job j1 failed in 1.5s");
  });
});
