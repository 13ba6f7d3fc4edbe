import { command, Output, pipeline } from "@pipewright/dsl";
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MLClient, type LocalMLClient } from "../src/client/ml-client.js";
import type { RunEvent } from "../src/events/run-events.js";

describe("the local MLClient", () => {
  let dir: string;
  let ml: LocalMLClient;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "pw-client-"));
    ml = MLClient.local({ workspace: join(dir, "ws"), run: { env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin" } } });
  });
  afterEach(() => {
    ml.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const hello = pipeline({ name: "hello", outputs: { out: Output.uriFolder() } }, () => ({
    out: command({ name: "greet", outputs: { out: Output.uriFolder() }, command: "echo hi > ${{outputs.out}}/f" })().outputs.out,
  }));

  it("createOrUpdate starts a run and returns its record; stream yields its events up to job_finished", async () => {
    const job = await ml.jobs.createOrUpdate(hello.job());
    expect(job.status).to.equal("running");
    const types: string[] = [];
    for await (const event of ml.jobs.stream(job.name)) types.push(event.type);
    expect(types).to.deep.equal(["job_started", "step_started", "step_completed", "job_finished"]);
    const done = await ml.jobs.get(job.name);
    expect(done.status).to.equal("completed");
    expect(Object.keys(done.outputs)).to.deep.equal(["out"]);
  });

  it("stream replays a finished job's events from the workspace, and a second client sees the same history", async () => {
    const job = await ml.jobs.createOrUpdate(hello.job());
    await ml.jobs.wait(job.name);
    const other = MLClient.local({ workspace: join(dir, "ws") });
    try {
      const events: RunEvent[] = [];
      for await (const event of other.jobs.stream(job.name)) events.push(event);
      expect(events.map((e) => e.type)).to.deep.equal(["job_started", "step_started", "step_completed", "job_finished"]);
      const listed = await other.jobs.list({ status: "completed" });
      expect(listed.map((j) => j.name)).to.deep.equal([job.name]);
      expect(await other.jobs.list({ status: "failed" })).to.deep.equal([]);
    } finally {
      other.close();
    }
  });

  it("cancel stops running steps and records the job as canceled", async () => {
    const sleepy = pipeline({ name: "sleepy" }, () => {
      command({ name: "nap", command: "sleep 5" })();
    });
    const job = await ml.jobs.createOrUpdate(sleepy.job(), { killGraceMs: 200 });
    for await (const event of ml.jobs.stream(job.name)) {
      if (event.type === "step_started") await ml.jobs.cancel(job.name);
    }
    const done = await ml.jobs.get(job.name);
    expect(done.status).to.equal("canceled");
    expect(ml.jobs.steps(job.name).map((s) => s.status)).to.deep.equal(["canceled"]);
  });

  it("records metrics a step appends as JSON lines to PIPEWRIGHT_METRICS_FILE", async () => {
    const p = pipeline({ name: "metrics" }, () => {
      command({
        name: "train",
        command: `echo '{"name":"loss","value":0.5,"step":1}' >> "$PIPEWRIGHT_METRICS_FILE" && echo '{"accuracy":0.9,"note":"ok"}' >> "$PIPEWRIGHT_METRICS_FILE" && echo garbage >> "$PIPEWRIGHT_METRICS_FILE"`,
      })();
    });
    const job = await ml.jobs.createOrUpdate(p.job());
    await ml.jobs.wait(job.name);
    const metrics = ml.jobs.metrics(job.name).map((m) => [m.step, m.name, m.value, m.metricStep]);
    expect(metrics).to.deep.equal([
      ["train", "loss", 0.5, 1],
      ["train", "accuracy", 0.9, undefined],
      ["train", "note", "ok", undefined],
    ]);
  });
});
