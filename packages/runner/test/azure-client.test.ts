import { expect } from "chai";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AzureMLClient,
  FileWatchStore,
  MLClient,
  pollDelayMs,
  redactSecrets,
  resolveWorkspace,
  type RunEvent,
} from "../src/index.js";
import { datastoreContainer } from "../src/azure/download.js";
import { CLIENT_SECRET, emulatorCredential } from "./helpers/emulator-clients.js";
import { azureClient, collect, threeSteps, useAzureBackend } from "./helpers/azure-backend-fixtures.js";

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe("workspace selection", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "pw-config-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("reads .azureml/config.json found above the folder, and explicit values win over it", () => {
    mkdirSync(join(dir, ".azureml"));
    writeFileSync(join(dir, ".azureml", "config.json"), JSON.stringify({ subscription_id: "s", resource_group: "rg", workspace_name: "ws" }));
    mkdirSync(join(dir, "a", "b"), { recursive: true });
    const found = resolveWorkspace({ cwd: join(dir, "a", "b") });
    expect([found.subscriptionId, found.resourceGroup, found.workspaceName, found.configPath]).to.deep.equal(["s", "rg", "ws", join(dir, ".azureml", "config.json")]);
    expect(resolveWorkspace({ cwd: dir, workspaceName: "other" }).workspaceName).to.equal("other");
  });

  it("names what is missing and where it looked", () => {
    writeFileSync(join(dir, "config.json"), JSON.stringify({ subscription_id: "s" }));
    expect(() => resolveWorkspace({ cwd: dir })).to.throw(/missing resource group \(--resource-group or AZURE_RESOURCE_GROUP\), workspace \(--workspace or AZUREML_WORKSPACE_NAME\); .*config\.json does not give them/);
  });

  it("MLClient.fromConfig builds an Azure client from the config file", () => {
    writeFileSync(join(dir, "config.json"), JSON.stringify({ subscription_id: "s", resource_group: "rg", workspace_name: "ws" }));
    const client = AzureMLClient.fromConfig({ cwd: dir, credential: { getToken: async () => null } });
    expect(client.workspace).to.deep.equal({ subscriptionId: "s", resourceGroup: "rg", workspaceName: "ws" });
    expect(MLClient.fromConfig({ cwd: dir, credential: { getToken: async () => null } }).jobs).to.have.property("download");
  });
});

describe("the Azure ML client: downloads and secrets", () => {
  const backend = useAzureBackend();
  const produced: string[] = [];

  it("downloads a job's outputs under named-outputs/<output>/", async () => {
    const job = await backend.ml.jobs.createOrUpdate(threeSteps(backend.dir));
    produced.push(...(await collect(backend.ml.jobs.stream(job.name))).map((e) => JSON.stringify(e)));
    const { container } = await datastoreContainer(backend.ml.jobs.api, undefined);
    await container.getBlockBlobClient(`azureml/${job.name}/report/summary.txt`).uploadData(Buffer.from("all good\n"));
    await container.getBlockBlobClient(`azureml/${job.name}/report/deep/more.txt`).uploadData(Buffer.from("more\n"));
    const target = join(backend.dir, "downloads");
    const result = await backend.ml.jobs.download(job.name, { downloadPath: target, outputName: "report" });
    expect(result.map((r) => r.output)).to.deep.equal(["report"]);
    expect(readFileSync(join(target, "named-outputs", "report", "summary.txt"), "utf8")).to.equal("all good\n");
    expect(readFileSync(join(target, "named-outputs", "report", "deep", "more.txt"), "utf8")).to.equal("more\n");
    const missing = await backend.ml.jobs.download(job.name, { downloadPath: target, outputName: "nope" }).then(() => undefined, (e: Error) => e);
    expect(missing?.message).to.equal(`job ${job.name} has no output 'nope' (its outputs: report)`);
  });

  it("never lets a token, SAS signature or client secret into events, errors, logs or files", async () => {
    const stateDir = join(backend.dir, "watch-state");
    const failing = await backend.ml.jobs.createOrUpdate(threeSteps(backend.dir, { failing: "prep" }));
    const events: RunEvent[] = await collect(backend.ml.jobs.stream(failing.name, { store: new FileWatchStore(stateDir) }));
    produced.push(...events.map((e) => JSON.stringify(e)));
    produced.push(JSON.stringify(await backend.ml.jobs.logs(failing.name)));
    produced.push(JSON.stringify(await backend.ml.jobs.list({ parent: failing.name })));
    produced.push(JSON.stringify(await backend.ml.jobs.get(failing.name)));
    // Errors from the service, with a wrong secret (the token endpoint refuses) and a bad job body.
    const wrong = new AzureMLClient(emulatorCredential(backend.emulator, "wrong-secret"), backend.emulator.workspace.subscriptionId, backend.emulator.workspace.resourceGroup, backend.emulator.workspace.name, { endpoint: backend.emulator.url, ca: backend.emulator.ca, retry: { maxRetries: 0 } });
    produced.push(String(await wrong.jobs.get(failing.name).then(() => "", (e: Error) => `${e.message}\n${e.stack ?? ""}`)));
    backend.emulator.setFaults({ script: [{ match: { operationId: "Jobs_Get" }, fault: { kind: "server-error" }, times: 50 }] });
    produced.push(String(await backend.ml.jobs.get(failing.name).then(() => "", (e: Error) => `${e.message}\n${e.stack ?? ""}`)));
    backend.emulator.setFaults(undefined);
    for (const file of filesUnder(stateDir)) produced.push(readFileSync(file, "utf8"));

    const credential = emulatorCredential(backend.emulator);
    const tokens = [(await credential.getToken("https://management.azure.com/.default")).token, (await credential.getToken("https://ml.azure.com/.default")).token];
    const { container } = await datastoreContainer(backend.ml.jobs.api, undefined);
    const sas = new URL(container.url).searchParams.get("sig") ?? "";
    expect(sas).to.not.equal("");
    const text = produced.join("\n");
    expect(text).to.contain("RuntimeError");
    for (const secret of [CLIENT_SECRET, "wrong-secret", sas, ...tokens]) expect(text.includes(secret), `a secret leaked: ${secret.slice(0, 6)}...`).to.equal(false);
    expect(text).to.not.match(/[?&]sig=(?!REDACTED)/i);
    expect(text).to.not.match(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/);
  });

  it("sends one api-version on every ARM call (2024-04-01 unless overridden)", async () => {
    const arm = backend.emulator.state.requests.filter((r) => r.scope === "arm");
    expect(arm.length).to.be.greaterThan(0);
    expect([...new Set(arm.map((r) => r.apiVersion))]).to.deep.equal(["2024-04-01"]);
    const mark = backend.emulator.state.requests.length;
    const newer = azureClient(backend.emulator, backend.dir, { apiVersion: "2025-12-01" });
    await newer.jobs.list({ limit: 1 });
    expect([...new Set(backend.emulator.state.requests.slice(mark).filter((r) => r.scope === "arm").map((r) => r.apiVersion))]).to.deep.equal(["2025-12-01"]);
  });

  it("backs off like the Python SDK: 2s at first, growing towards the maximum", () => {
    expect(pollDelayMs(0)).to.equal(2000);
    expect(pollDelayMs(60_000)).to.be.greaterThan(pollDelayMs(30_000));
    expect(pollDelayMs(3_600_000)).to.equal(60_000);
  });

  it("redacts bearer tokens, SAS signatures and keys in any text", () => {
    expect(redactSecrets("Authorization: Bearer abc.def-ghi https://x/c/b?sv=2024&sig=abc%2Bdef&se=1 AccountKey=xyz==;")).to.equal(
      "Authorization: Bearer REDACTED https://x/c/b?sv=REDACTED&sig=REDACTED&se=REDACTED AccountKey=REDACTED;",
    );
  });
});
