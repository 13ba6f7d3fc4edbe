import { command, Input, Output, pipeline } from "@pipewright/dsl";
import { expect } from "chai";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { testWorkspace, type TestWorkspace } from "./local-helpers.js";

const fail = command({ name: "fail", outputs: { out: Output.uriFolder() }, command: "echo about to fail; echo bad thing >&2; exit 4" });
const slow = command({ name: "slow", outputs: { out: Output.uriFolder() }, command: "sleep 0.4 && echo done > ${{outputs.out}}/f" });
const after = command({ name: "after", inputs: { src: Input.uriFolder() }, outputs: { out: Output.uriFolder() }, command: "cp -r ${{inputs.src}}/. ${{outputs.out}}" });

function branches(continueOnStepFailure: boolean) {
  return pipeline({ name: "branches", settings: { continueOnStepFailure } }, () => {
    const f = fail();
    after({ src: f.outputs.out }, { name: "after_fail" });
    const s = slow();
    after({ src: s.outputs.out }, { name: "after_slow" });
  });
}

describe("local runs that fail", () => {
  let ws: TestWorkspace;
  beforeEach(() => {
    ws = testWorkspace();
  });
  afterEach(() => ws.dispose());

  it("with continue_on_step_failure off, the first failure cancels running steps and starts no new ones", async () => {
    const { record } = await ws.run(branches(false).job());
    expect(record.status).to.equal("failed");
    const status = Object.fromEntries(ws.workspace.store.getSteps(record.name).map((s) => [s.id, s.status]));
    expect(status).to.deep.equal({ fail: "failed", after_fail: "skipped", slow: "canceled", after_slow: "skipped" });
  });

  it("with continue_on_step_failure on, independent branches finish and dependants of the failure are skipped", async () => {
    const { record } = await ws.run(branches(true).job());
    expect(record.status).to.equal("failed");
    const status = Object.fromEntries(ws.workspace.store.getSteps(record.name).map((s) => [s.id, s.status]));
    expect(status).to.deep.equal({ fail: "failed", after_fail: "skipped", slow: "completed", after_slow: "completed" });
  });

  it("reports the tail of a failed step's log with the failure", async () => {
    const p = pipeline({ name: "tail" }, () => {
      fail();
    });
    const { events } = await ws.run(p.job());
    const failed = events.find((e) => e.type === "step_failed");
    expect(failed && "logTail" in failed ? failed.logTail : "").to.equal("about to fail\nbad thing");
    expect(failed && "exitCode" in failed ? failed.exitCode : undefined).to.equal(4);
  });

  it("stops a step at limits.timeout with SIGTERM, then SIGKILL when it ignores SIGTERM", async () => {
    const stubborn = command({ name: "stubborn", command: "trap '' TERM; echo started; sleep 5; sleep 5" });
    const p = pipeline({ name: "timeout" }, () => {
      stubborn({}, { timeout: 0.3 });
    });
    const { record, events } = await ws.run(p.job(), { killGraceMs: 200 });
    expect(record.status).to.equal("failed");
    const failed = events.find((e) => e.type === "step_failed");
    expect(failed && "reason" in failed ? failed.reason : "").to.contain("timed out");
    const attempts = ws.workspace.store.getAttempts(record.name, "stubborn");
    expect(attempts[0]?.stoppedFor).to.equal("timeout");
    expect(attempts[0]?.signal).to.equal("SIGKILL");
  });

  it("retries a failed step with backoff and keeps each attempt's log", async () => {
    const flaky = command({
      name: "flaky",
      outputs: { out: Output.uriFolder() },
      command: 'n=$(cat "$COUNTER" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$COUNTER"; echo "attempt $n"; [ $n -ge 3 ] && echo ok > ${{outputs.out}}/f',
    });
    const counter = join(ws.dir, "counter");
    const p = pipeline({ name: "retry", outputs: { out: Output.uriFolder() } }, () => ({ out: flaky({}, { environmentVariables: { COUNTER: counter } }).outputs.out }));
    const { record, events } = await ws.run(p.job(), { retries: 3, retryBackoffMs: 10 });
    expect(record.status).to.equal("completed");
    const retrying = events.filter((e) => e.type === "step_retrying").map((e) => ("delayMs" in e ? e.delayMs : 0));
    expect(retrying).to.deep.equal([10, 20]);
    const attempts = ws.workspace.store.getAttempts(record.name, "flaky");
    expect(attempts.map((a) => a.exitCode)).to.deep.equal([1, 1, 0]);
    expect(attempts.map((a) => readFileSync(a.logPath, "utf8"))).to.deep.equal(["attempt 1\n", "attempt 2\n", "attempt 3\n"]);
    expect(existsSync(join(record.outputs["out"] as string, "f"))).to.equal(true);
  });
});
