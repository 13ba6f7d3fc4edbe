import { expect } from "chai";
import { rmSync } from "node:fs";
import { MemoryWatchStore, startEmulator, type AzureMLClient, type RunEvent, type RunningEmulator } from "../src/index.js";
import { CLIENT_ID, CLIENT_SECRET } from "./helpers/emulator-clients.js";
import { azureClient, collect, logLines, projectFolder, threeSteps } from "./helpers/azure-backend-fixtures.js";

describe("the Azure ML backend with 20% of requests faulted", () => {
  let emulator: RunningEmulator;
  let dir: string;
  let ml: AzureMLClient;

  before(async () => {
    emulator = await startEmulator({ auth: { clients: { [CLIENT_ID]: CLIENT_SECRET } } });
    dir = projectFolder();
    ml = azureClient(emulator, dir);
    emulator.setFaults({ rate: 0.2, seed: 7 });
  });
  after(async () => {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    expect(emulator.state.violations(), "spec violations").to.deep.equal([]);
    expect(emulator.state.internalErrors, "emulator errors").to.deep.equal([]);
  });

  it("submits 50 jobs that all exist exactly once (throttling, 503s and resets before and after the request took effect)", async () => {
    const names: string[] = [];
    for (let i = 0; i < 50; i++) names.push((await ml.jobs.createOrUpdate(threeSteps(dir))).name);
    expect(new Set(names).size).to.equal(50);
    const jobs = emulator.state.jobs().map((j) => j.name);
    expect([...jobs].sort()).to.deep.equal([...names].sort());
    const faulted = emulator.state.requests.filter((r) => r.fault !== undefined);
    expect(faulted.some((r) => r.fault === "reset" && r.operationId === "Jobs_CreateOrUpdate")).to.equal(true, "some job PUT was reset");
    expect(faulted.length).to.be.greaterThan(20);
    const created = emulator.state.requests.filter((r) => r.operationId === "Jobs_CreateOrUpdate" && r.status === 201);
    expect(created.length).to.be.at.most(50);
    expect(emulator.state.codeVersions()).to.have.length(1);
  });

  it("resumes a watch after every few events (a restarted watcher) without losing or repeating an event or a log line", async () => {
    const job = await ml.jobs.createOrUpdate(threeSteps(dir));
    const store = new MemoryWatchStore();
    const events: RunEvent[] = [];
    let restarts = 0;
    for (;;) {
      let seen = 0;
      // Each watcher stops (as if killed) after three events; the next one resumes from the store.
      const batch = await collect(ml.jobs.stream(job.name, { store }), () => ++seen >= 3);
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
    for (const step of emulator.state.job(job.name)?.steps ?? []) {
      expect(`${logLines(events, step.node).join("\n")}\n`, step.node).to.equal(emulator.state.logText(step.runId));
    }
  });
});
