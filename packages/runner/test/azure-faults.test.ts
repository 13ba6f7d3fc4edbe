import { expect } from "chai";
import { MemoryWatchStore, type RunEvent } from "../src/index.js";
import { collect, logLines, threeSteps, useAzureBackend } from "./helpers/azure-backend-fixtures.js";

describe("the Azure ML backend with 20% of requests faulted", () => {
  const backend = useAzureBackend({ faults: { rate: 0.2, seed: 7 } });

  it("submits 50 jobs that all exist exactly once (throttling, 503s and resets before and after the request took effect)", async () => {
    const names: string[] = [];
    for (let i = 0; i < 50; i++) names.push((await backend.ml.jobs.createOrUpdate(threeSteps(backend.dir))).name);
    expect(new Set(names).size).to.equal(50);
    const jobs = backend.emulator.state.jobs().map((j) => j.name);
    expect([...jobs].sort()).to.deep.equal([...names].sort());
    const faulted = backend.emulator.state.requests.filter((r) => r.fault !== undefined);
    expect(faulted.some((r) => r.fault === "reset" && r.operationId === "Jobs_CreateOrUpdate")).to.equal(true, "some job PUT was reset");
    expect(faulted.length).to.be.greaterThan(20);
    const created = backend.emulator.state.requests.filter((r) => r.operationId === "Jobs_CreateOrUpdate" && r.status === 201);
    expect(created.length).to.be.at.most(50);
    expect(backend.emulator.state.codeVersions()).to.have.length(1);
  });

  it("resumes a watch after every few events (a restarted watcher) without losing or repeating an event or a log line", async () => {
    const job = await backend.ml.jobs.createOrUpdate(threeSteps(backend.dir));
    const store = new MemoryWatchStore();
    const events: RunEvent[] = [];
    let restarts = 0;
    for (;;) {
      let seen = 0;
      // Each watcher stops (as if killed) after three events; the next one resumes from the store.
      const batch = await collect(backend.ml.jobs.stream(job.name, { store }), () => ++seen >= 3);
      events.push(...batch);
      if (batch.at(-1)?.type === "job_finished") break;
      restarts += 1;
      expect(restarts).to.be.lessThan(100);
    }
    expect(restarts).to.be.greaterThan(3);
    const started = events.filter((e) => e.type === "job_started");
    expect(started.map((e) => e.type === "job_started" && e.resumed)).to.deep.equal([false, ...Array(started.length - 1).fill(true)]);
    const perStep = (type: string) => events.filter((e) => e.type === type).map((e) => ("step" in e ? e.step : ""));
    expect(perStep("step_started")).to.deep.equal(["prep", "train", "score"]);
    expect(perStep("step_completed")).to.deep.equal(["prep", "train", "score"]);
    expect(events.filter((e) => e.type === "job_finished")).to.have.length(1);
    for (const step of backend.emulator.state.job(job.name)?.steps ?? []) {
      expect(`${logLines(events, step.node).join("\n")}\n`, step.node).to.equal(backend.emulator.state.logText(step.runId));
    }
  });
});
