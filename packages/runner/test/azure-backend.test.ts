import { expect } from "chai";
import { rmSync } from "node:fs";
import { collect, logLines, projectFolder, threeSteps, useAzureBackend, wide } from "./helpers/azure-backend-fixtures.js";

describe("the Azure ML backend against the emulator", () => {
  const backend = useAzureBackend();


  it("submits a pipeline job and watches it to Completed with the same events as a local run and every log line once", async () => {
    const job = await backend.ml.jobs.createOrUpdate(threeSteps(backend.dir));
    expect(job.status).to.equal("running");
    expect(job.studioUrl).to.match(/^https:\/\/ml\.azure\.com\/runs\//);
    const events = await collect(backend.ml.jobs.stream(job.name));
    const kinds = events.filter((e) => e.type !== "step_log").map((e) => (e.type === "job_started" || e.type === "job_finished" ? e.type : `${e.type}:${"step" in e ? e.step : ""}`));
    expect(kinds).to.deep.equal([
      "job_started",
      "step_started:prep",
      "step_completed:prep",
      "step_started:train",
      "step_completed:train",
      "step_started:score",
      "step_completed:score",
      "job_finished",
    ]);
    const finished = events.at(-1);
    expect(finished?.type === "job_finished" && finished.status).to.equal("completed");
    expect(finished?.type === "job_finished" && finished.counts).to.deep.equal({ completed: 3 });
    const snapshot = backend.emulator.state.job(job.name);
    for (const step of snapshot?.steps ?? []) {
      expect(logLines(events, step.node).join("\n") + "\n", step.node).to.equal(backend.emulator.state.logText(step.runId));
    }
    expect((await backend.ml.jobs.get(job.name)).status).to.equal("completed");
  });

  it("reports a failing step with its log tail, and ends the job failed", async () => {
    const job = await backend.ml.jobs.createOrUpdate(threeSteps(backend.dir, { failing: "train" }));
    const events = await collect(backend.ml.jobs.stream(job.name));
    const failed = events.find((e) => e.type === "step_failed");
    expect(failed?.type === "step_failed" && failed.step).to.equal("train");
    expect(failed?.type === "step_failed" && failed.logTail).to.contain("RuntimeError");
    expect(failed?.type === "step_failed" && failed.logPath).to.equal("user_logs/std_log.txt");
    expect(events.filter((e) => e.type === "step_skipped").map((e) => "step" in e && e.step)).to.deep.equal(["score"]);
    const finished = events.at(-1);
    expect(finished?.type === "job_finished" && finished.status).to.equal("failed");
    expect((await backend.ml.jobs.get(job.name)).status).to.equal("failed");
  });

  it("cancels a running job: the running step ends canceled and the job Canceled", async () => {
    const job = await backend.ml.jobs.createOrUpdate(threeSteps(backend.dir));
    const events = await collect(backend.ml.jobs.stream(job.name), async (event) => {
      if (event.type === "step_started" && event.step === "train") {
        const record = await backend.ml.jobs.cancel(job.name);
        expect(record.azureStatus).to.equal("CancelRequested");
      }
      return false;
    });
    expect(events.filter((e) => e.type === "step_canceled").map((e) => "step" in e && e.step)).to.deep.equal(["train"]);
    const finished = events.at(-1);
    expect(finished?.type === "job_finished" && finished.status).to.equal("canceled");
    expect((await backend.ml.jobs.get(job.name)).status).to.equal("canceled");
  });

  it("uploads a code folder shared by many steps once, and a resubmission uploads and registers nothing", async () => {
    const before = backend.emulator.state.requests.length;
    const codeBefore = backend.emulator.state.codeVersions().length;
    const wideDir = projectFolder();
    try {
      const first = await backend.ml.jobs.submit(wide(wideDir, 6));
      expect(backend.emulator.state.codeVersions().length - codeBefore).to.equal(0, "the same src content was uploaded by an earlier test");
      expect(first.registered).to.have.length(6);
      const firstPuts = backend.emulator.state.requests.slice(before).filter((r) => r.operationId === "Blob_Put" || r.operationId === "Blob_PutBlock");
      expect(firstPuts).to.deep.equal([]);
      const mark = backend.emulator.state.requests.length;
      const second = await backend.ml.jobs.submit(wide(wideDir, 6));
      expect(second.name).to.not.equal(first.name);
      expect(second.registered).to.deep.equal([]);
      const writes = backend.emulator.state.requests.slice(mark).filter((r) => r.method === "PUT" && r.operationId !== "Jobs_CreateOrUpdate");
      expect(writes.map((r) => r.operationId)).to.deep.equal([]);
    } finally {
      rmSync(wideDir, { recursive: true, force: true });
    }
  });

  it("uploads a new code folder once per content, as one code version", async () => {
    const fresh = projectFolder();
    try {
      const { writeFileSync } = await import("node:fs");
      writeFileSync(`${fresh}/src/unique.py`, `# ${fresh}\n`);
      const before = backend.emulator.state.codeVersions().length;
      const mark = backend.emulator.state.requests.length;
      await backend.ml.jobs.submit(wide(fresh, 5));
      expect(backend.emulator.state.codeVersions().length - before).to.equal(1);
      const blobPuts = backend.emulator.state.requests.slice(mark).filter((r) => r.operationId === "Blob_Put");
      expect(blobPuts).to.have.length(3, "three files, each uploaded once");
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it("uploads a local data input to LocalUpload/<hash>/ once and passes its datastore uri", async () => {
    const mark = backend.emulator.state.requests.length;
    const a = await backend.ml.jobs.submit(threeSteps(backend.dir, { data: true }));
    const b = await backend.ml.jobs.submit(threeSteps(backend.dir, { data: true }));
    const inputs = backend.emulator.state.job(a.name)?.properties["inputs"] as Record<string, { uri?: string }>;
    expect(inputs["raw"]?.uri).to.match(/^azureml:\/\/datastores\/workspaceblobstore\/paths\/LocalUpload\/[0-9a-f]{32}\/data\/$/);
    expect((backend.emulator.state.job(b.name)?.properties["inputs"] as Record<string, { uri?: string }>)["raw"]?.uri).to.equal(inputs["raw"]?.uri);
    const blobPuts = backend.emulator.state.requests.slice(mark).filter((r) => r.operationId === "Blob_Put");
    expect(blobPuts).to.have.length(1);
  });

  it("lists jobs newest first, a pipeline's steps with `parent`, and a step's log", async () => {
    const job = await backend.ml.jobs.createOrUpdate(threeSteps(backend.dir));
    await collect(backend.ml.jobs.stream(job.name));
    const all = await backend.ml.jobs.list();
    expect(all.map((j) => j.name)).to.include(job.name);
    expect(all.map((j) => j.createdAt)).to.deep.equal([...all.map((j) => j.createdAt)].sort((x, y) => y - x));
    expect(await backend.ml.jobs.list({ limit: 2 })).to.have.length(2);
    const steps = await backend.ml.jobs.list({ parent: job.name });
    expect(steps.map((s) => [s.pipeline, s.status])).to.deep.equal([
      ["prep", "completed"],
      ["train", "completed"],
      ["score", "completed"],
    ]);
    const logs = await backend.ml.jobs.logs(job.name, "train");
    expect(logs[0]?.text).to.contain("train: done");
  });

  it("registers a component idempotently: the same definition gives the same version, created once", async () => {
    const job = threeSteps(backend.dir);
    const component = job.model.pipeline.jobs[0]?.component;
    if (!component || component.type === "reference") throw new Error("fixture");
    const first = await backend.ml.components.createOrUpdate(component as never);
    const again = await backend.ml.components.createOrUpdate(component as never);
    expect(again.id).to.equal(first.id);
    expect(again.created).to.equal(false);
    expect(first.name, "registered under its own name, as az ml component create does").to.equal("prep");
  });

  it("names a missing job clearly", async () => {
    const error = await backend.ml.jobs.get("no_such_job").then(() => undefined, (e: unknown) => e);
    expect(String((error as Error).message)).to.contain("no job named 'no_such_job'");
  });
});
