import { expect } from "chai";
import { BlobClient } from "@azure/storage-blob";
import type { ClientSecretCredential } from "@azure/identity";
import { EMULATOR_OUTCOME_TAG, startEmulator, type RunningEmulator } from "../src/index.js";
import { armClient, emulatorCredential, json, storagePipeline, workspacePath, type ArmClient } from "./helpers/emulator-clients.js";
import { mlTokenHeader, pipelineJobBody, registerComponent, statusOf } from "./helpers/emulator-fixtures.js";

interface RunBody {
  readonly runId: string;
  readonly status: string;
  readonly parentRunId?: string;
  readonly name: string;
  readonly properties: Record<string, string>;
  readonly error?: { error: { message: string } };
}

describe("Azure ML emulator run history", () => {
  let emulator: RunningEmulator;
  let credential: ClientSecretCredential;
  let arm: ArmClient;
  let ws: string;
  let history: string;
  let componentId: string;

  before(async () => {
    emulator = await startEmulator({ lifecycle: { notStartedMs: 1000, queuedMs: 1000, runningMs: 4000, cancelMs: 1000 } });
    credential = emulatorCredential(emulator);
    arm = armClient(emulator, credential);
    ws = workspacePath(emulator);
    const discovery = json(await arm.send("GET", `${emulator.url}/discovery`)) as { api: string };
    history = `${discovery.api}/history/v1.0${ws}`;
    ({ componentId } = await registerComponent(arm, emulator, "2"));
  });

  after(async () => {
    await emulator.close();
  });

  async function submit(name: string, body: Record<string, unknown>): Promise<void> {
    const response = await arm.send("PUT", `${ws}/jobs/${name}`, { body, headers: await mlTokenHeader(credential) });
    expect(response.status, response.bodyAsText ?? "").to.equal(201);
  }

  async function children(name: string): Promise<RunBody[]> {
    return (json(await arm.send("GET", `${history}/runs/${name}/children`)) as { value: RunBody[] }).value;
  }

  it("lists a pipeline's steps as child runs once it is running, and runs a step only after the step it binds to", async () => {
    await submit("chain", pipelineJobBody(emulator, componentId, [{ name: "first" }, { name: "second", after: "first" }]));
    expect(await children("chain")).to.deep.equal([]);
    emulator.advance(2000); // pipeline Running, steps created
    let steps = await children("chain");
    expect(steps.map((s) => [s.name, s.parentRunId])).to.deep.equal([
      ["first", "chain"],
      ["second", "chain"],
    ]);
    emulator.advance(2000); // first running, second waiting
    steps = await children("chain");
    expect(steps.map((s) => s.status)).to.deep.equal(["Running", "NotStarted"]);
    emulator.advance(4000);
    steps = await children("chain");
    expect(steps.map((s) => s.status)).to.deep.equal(["Completed", "Running"]);
    expect(steps[0]?.properties["azureml.nodeid"]).to.equal("first");
  });

  it("serves a step's log through the SAS URL in its run details, growing as the clock moves", async () => {
    await submit("logs", pipelineJobBody(emulator, componentId, [{ name: "only" }]));
    emulator.advance(2000);
    const [step] = await children("logs");
    const details = json(await arm.send("GET", `${history}/runs/${step?.runId ?? ""}/details`)) as { logFiles: Record<string, string> };
    expect(details.logFiles).to.deep.equal({}); // not started yet
    emulator.advance(2000);
    const started = json(await arm.send("GET", `${history}/runs/${step?.runId ?? ""}/details`)) as { logFiles: Record<string, string> };
    const url = started.logFiles["user_logs/std_log.txt"] ?? "";
    expect(url).to.contain("sig=");
    const read = async (): Promise<string> => (await new BlobClient(url, storagePipeline(emulator)).downloadToBuffer()).toString();
    emulator.advance(1000);
    const early = await read();
    emulator.advance(4000);
    const late = await read();
    expect(late.startsWith(early)).to.equal(true);
    expect(late.length).to.be.greaterThan(early.length);
    expect(late).to.contain("only: done");
  });

  it("fails a step tagged to fail, reports its error in run details and its log tail, and fails the pipeline", async () => {
    await submit("failing", pipelineJobBody(emulator, componentId, [{ name: "bad", tags: { [EMULATOR_OUTCOME_TAG]: "Failed" } }, { name: "after", after: "bad" }]));
    emulator.advance(30000);
    const pipeline = await arm.send("GET", `${ws}/jobs/failing`);
    expect(statusOf(pipeline)).to.equal("Failed");
    const steps = await children("failing");
    expect(steps.map((s) => [s.name, s.status])).to.deep.equal([
      ["bad", "Failed"],
      ["after", "Canceled"],
    ]);
    expect(steps[0]?.error?.error.message).to.contain("bad");
    expect(emulator.state.logText(steps[0]?.runId ?? "")).to.match(/RuntimeError: .*bad/);
  });

  it("answers an ARM GET of a pipeline step without properties, the way the SDK recognises steps", async () => {
    await submit("parent", pipelineJobBody(emulator, componentId, [{ name: "s" }]));
    emulator.advance(2000);
    const [step] = await children("parent");
    const response = json(await arm.send("GET", `${ws}/jobs/${step?.runId ?? ""}`)) as Record<string, unknown>;
    expect(response["name"]).to.equal(step?.runId);
    expect(response).to.not.have.property("properties");
  });

  it("pages child runs with $top and a continuation token", async () => {
    const nodes = ["a", "b", "c", "d", "e"].map((name) => ({ name }));
    await submit("wide", pipelineJobBody(emulator, componentId, nodes));
    emulator.advance(2000);
    const first = json(await arm.send("GET", `${history}/runs/wide/children`, { query: { $top: "2" } })) as { value: RunBody[]; nextLink?: string };
    expect(first.value.map((r) => r.name)).to.deep.equal(["a", "b"]);
    const names = [...first.value.map((r) => r.name)];
    let next = first.nextLink;
    while (next !== undefined) {
      const page = json(await arm.send("GET", next)) as { value: RunBody[]; nextLink?: string };
      names.push(...page.value.map((r) => r.name));
      next = page.nextLink;
    }
    expect(names).to.deep.equal(["a", "b", "c", "d", "e"]);
  });

  it("lists only top-level jobs through ARM, filtered by tag", async () => {
    const listed = json(await arm.send("GET", `${ws}/jobs`, { query: { tag: "suite" } })) as { value: { name: string }[] };
    const names = listed.value.map((j) => j.name);
    expect(names).to.include.members(["chain", "logs", "failing", "parent", "wide"]);
    expect(names.every((n) => emulator.state.job(n) !== undefined)).to.equal(true);
    const none = json(await arm.send("GET", `${ws}/jobs`, { query: { tag: "no-such-tag" } })) as { value: unknown[] };
    expect(none.value).to.deep.equal([]);
  });
});

describe("Azure ML emulator clock options", () => {
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startEmulator({ advanceOnRequestMs: 1000, lifecycle: { notStartedMs: 1000, queuedMs: 1000, runningMs: 3000 } });
  });

  after(async () => {
    await emulator.close();
  });

  it("moves jobs along by itself when told to advance the clock on every request", async () => {
    const credential = emulatorCredential(emulator);
    const arm = armClient(emulator, credential);
    const ws = workspacePath(emulator);
    const { componentId } = await registerComponent(arm, emulator, "7");
    await arm.send("PUT", `${ws}/jobs/self_driving`, { body: pipelineJobBody(emulator, componentId, [{ name: "a" }]), headers: await mlTokenHeader(credential) });
    const seen = new Set<string>();
    for (let i = 0; i < 30 && !seen.has("Completed"); i++) seen.add(statusOf(await arm.send("GET", `${ws}/jobs/self_driving`)));
    expect([...seen]).to.include.members(["Running", "Completed"]);
  });
});
