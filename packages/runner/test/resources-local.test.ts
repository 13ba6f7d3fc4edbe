// The local client's computes and workspaces: compute definitions recorded in the local registry
// (checked as Azure checks them, versionless, idempotent, updated in place), pollers done at once,
// a run naming an unrecorded compute still running here, and workspaces created as folders.
import { amlCompute, command, computeInstance, Input, Output, pipeline, secret, workspace } from "@pipewright/dsl";
import { expect } from "chai";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MLClient, type LocalMLClient } from "../src/client/ml-client.js";
import { RegistryError } from "../src/registry/registry-error.js";
import { RunnerError } from "../src/local/errors.js";

describe("the local client's computes and workspaces", () => {
  let dir: string;
  let ml: LocalMLClient;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "pw-resources-"));
    ml = MLClient.local({ workspace: join(dir, "ws"), cwd: dir, run: { env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin" } } });
  });
  afterEach(() => {
    ml.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("records a compute through a poller that is done at once, and gets and lists it", async () => {
    const poller = await ml.computes.beginCreateOrUpdate(amlCompute({ name: "cpu-cluster", size: "STANDARD_DS3_V2", maxInstances: 4, tags: { team: "a" } }));
    expect([poller.isDone(), poller.status, poller.operationUrl]).to.deep.equal([true, "Succeeded", undefined]);
    const progress: string[] = [];
    const record = await poller.pollUntilDone({ onProgress: (p) => progress.push(p.status) });
    expect(record).to.include({ name: "cpu-cluster", type: "amlcompute", size: "STANDARD_DS3_V2", minInstances: 0, maxInstances: 4, provisioningState: "Succeeded", outcome: "created" });
    expect(record.tags).to.deep.equal({ team: "a" });
    expect(record.definition).to.not.have.property("location");
    expect(progress).to.deep.equal([]);
    expect((await ml.computes.get("cpu-cluster")).contentHash).to.equal(record.contentHash);
    await (await ml.computes.beginCreateOrUpdate(computeInstance({ name: "my-ci", size: "STANDARD_DS11_V2" }))).pollUntilDone();
    expect((await ml.computes.list()).map((c) => `${c.name}:${c.type}`)).to.deep.equal(["cpu-cluster:amlcompute", "my-ci:computeinstance"]);
  });

  it("leaves a compute unchanged for the same definition and updates it in place for another", async () => {
    const first = await (await ml.computes.beginCreateOrUpdate(amlCompute({ name: "cpu-cluster", maxInstances: 2 }))).pollUntilDone();
    const same = await (await ml.computes.beginCreateOrUpdate(amlCompute({ name: "cpu-cluster", maxInstances: 2 }))).pollUntilDone();
    expect(same.outcome).to.equal("unchanged");
    expect(same.updatedAt).to.equal(first.updatedAt);
    const changed = await (await ml.computes.beginCreateOrUpdate(amlCompute({ name: "cpu-cluster", maxInstances: 8 }))).pollUntilDone();
    expect([changed.outcome, changed.maxInstances, changed.createdAt]).to.deep.equal(["updated", 8, first.createdAt]);
    expect((await ml.computes.list()).length).to.equal(1);
    expect(ml.registry.db.countVersions(), "computes are not versioned assets").to.equal(0);
  });

  it("refuses a definition Azure would refuse, recording nothing, and names the known computes for an unknown one", async () => {
    const bad = await ml.computes.beginCreateOrUpdate(amlCompute({ name: "x", maxInstances: 1 })).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(bad).to.be.instanceOf(RegistryError);
    expect((bad as RegistryError).diagnostics.map((d) => d.code)).to.include("PW1501");
    expect(await ml.computes.list()).to.deep.equal([]);
    await (await ml.computes.beginCreateOrUpdate(amlCompute({ name: "gpu-cluster" }))).pollUntilDone();
    const unknown = await ml.computes.get("cpu-cluster").then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(unknown).to.be.instanceOf(RunnerError);
    expect((unknown as RunnerError).message).to.contain("gpu-cluster");
  });

  it("keeps a secret as its reference in the recorded definition", async () => {
    const record = await (
      await ml.computes.beginCreateOrUpdate(amlCompute({ name: "cpu-cluster", sshSettings: { adminUsername: "azureuser", adminPassword: secret.env("PW_TEST_ADMIN_PASSWORD") } }))
    ).pollUntilDone();
    expect(JSON.stringify(record.definition)).to.contain("PW_TEST_ADMIN_PASSWORD");
  });

  it("runs a job whose node names a compute the registry does not know on this machine", async () => {
    const echo = command({ name: "echo", inputs: { text: Input.string() }, outputs: { out: Output.uriFolder() }, command: "printf %s ${{inputs.text}} > ${{outputs.out}}/t.txt" });
    const job = pipeline({ name: "on-cluster", outputs: { out: Output.uriFolder() } }, () => {
      const step = echo({ text: "hi" }, { compute: "azureml:unknown-cluster" });
      return { out: step.outputs.out };
    });
    const started = await ml.jobs.createOrUpdate(job.job({}));
    const done = await ml.jobs.wait(started.name);
    expect(done.status, done.error).to.equal("completed");
    expect(readFileSync(join(done.outputs["out"] ?? "", "t.txt"), "utf8")).to.equal("hi");
  });

  it("creates a workspace folder under the workspaces root, records its definition, and opens it again unchanged", async () => {
    const definition = workspace({ name: "team-ws", displayName: "Team", description: "shared", tags: { cost: "42" } });
    const created = await (await ml.workspaces.beginCreate(definition)).pollUntilDone();
    expect(created).to.include({ name: "team-ws", displayName: "Team", description: "shared", provisioningState: "Succeeded", outcome: "created", path: join(dir, "ws", "workspaces", "team-ws") });
    expect(created.tags).to.deep.equal({ cost: "42" });
    expect(existsSync(join(created.path, "registry.db"))).to.equal(true);
    const again = await (await ml.workspaces.beginCreate(definition)).pollUntilDone();
    expect(again.outcome).to.equal("unchanged");
    const other = MLClient.local({ workspace: created.path, cwd: dir });
    try {
      await (await other.computes.beginCreateOrUpdate(amlCompute({ name: "cpu-cluster" }))).pollUntilDone();
      expect((await other.computes.list()).map((c) => c.name)).to.deep.equal(["cpu-cluster"]);
      expect(await ml.computes.list(), "each workspace has its own computes").to.deep.equal([]);
    } finally {
      other.close();
    }
  });

  it("puts new workspaces under the configured root and refuses a name outside Azure's rules", async () => {
    const rooted = MLClient.local({ workspace: join(dir, "ws"), cwd: dir, workspacesRoot: "elsewhere" });
    try {
      const created = await (await rooted.workspaces.beginCreate(workspace({ name: "team-ws" }))).pollUntilDone();
      expect(created.path).to.equal(join(dir, "elsewhere", "team-ws"));
      const bad = await rooted.workspaces.beginCreate(workspace({ name: "a/b" })).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(bad).to.be.instanceOf(RegistryError);
      expect(existsSync(join(dir, "elsewhere", "a"))).to.equal(false);
    } finally {
      rooted.close();
    }
  });
});
