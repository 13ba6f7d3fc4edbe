import { azureBlobDatastore, command, data, Input, model, Output, pipeline, secret, type SecretRef } from "@pipewright/dsl";
import { expect } from "chai";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MLClient, type LocalMLClient } from "../src/client/ml-client.js";
import type { DataAssetRecord } from "../src/registry/records.js";
import { RegistryError } from "../src/registry/registry-error.js";

async function failure(promise: Promise<unknown>): Promise<{ code: string; diagnostics: string[]; text: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RegistryError) return { code: error.code, diagnostics: error.diagnostics.map((d) => d.code), text: error.render() };
    if (error instanceof Error && "code" in error) return { code: String(error.code), diagnostics: [], text: error.message };
    throw error;
  }
  throw new Error("expected a failure");
}

describe("the local client's asset operations", () => {
  let dir: string;
  let ml: LocalMLClient;
  const put = (path: string, text: string) => {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "pw-registry-client-"));
    ml = MLClient.local({ workspace: join(dir, "ws"), cwd: dir, run: { env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin" } } });
  });
  afterEach(() => {
    ml.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("creates, gets, lists and archives data versions, typed as data records", async () => {
    put("raw/f", "1");
    const first: DataAssetRecord = await ml.data.createOrUpdate(data({ name: "raw", type: "uri_folder", path: join(dir, "raw") }), { labels: ["prod"] });
    put("raw/f", "2");
    const second = await ml.data.createOrUpdate({ kind: "data", name: "raw", type: "uri_folder", path: "raw" });
    expect([first.version, second.version]).to.deep.equal(["1", "2"]);
    expect((await ml.data.get("raw")).version).to.equal("2");
    expect((await ml.data.get("raw", { label: "prod" })).version).to.equal("1");
    expect((await ml.data.get("raw", { version: "1" })).path).to.equal(first.path);
    expect((await ml.data.list("raw")).map((r) => r.version)).to.deep.equal(["1", "2"]);
    await ml.data.archive("raw", "2");
    expect((await ml.data.get("raw")).version).to.equal("1");
    expect((await ml.data.list()).map((r) => r.id)).to.deep.equal(["azureml:raw:1"]);
    expect((await failure(ml.data.get("raw", { version: "1", label: "prod" }))).code).to.equal("PW4505");
    expect((await failure(ml.models.get("raw"))).code).to.equal("PW4502");
  });

  it("registers models and components, and runs a job naming registered data with the client's jobs", async () => {
    put("model/weights.bin", "w");
    const m = await ml.models.createOrUpdate(model({ name: "clf", path: join(dir, "model/weights.bin") }));
    expect([m.kind, m.type, m.version]).to.deep.equal(["model", "custom_model", "1"]);
    const upper = command({
      name: "upper",
      inputs: { src: Input.uriFolder() },
      outputs: { out: Output.uriFolder() },
      command: "tr a-z A-Z < ${{inputs.src}}/f > ${{outputs.out}}/f",
      environment: "azureml:AzureML-minimal@latest",
    });
    const c = await ml.components.createOrUpdate(upper);
    expect([c.kind, c.name, c.version, c.type]).to.deep.equal(["component", "upper", "1", "command"]);
    put("words/f", "abc");
    await ml.data.createOrUpdate(data({ name: "words", type: "uri_folder", path: join(dir, "words") }));
    const p = pipeline({ name: "p", inputs: { src: Input.uriFolder() }, outputs: { out: Output.uriFolder() } }, ({ src }) => ({ out: upper({ src }).outputs.out }));
    const job = await ml.jobs.createOrUpdate(p.job({ src: "azureml:words@latest" }, { outputs: { out: { name: "shouted" } } }));
    const done = await ml.jobs.wait(job.name);
    expect(done.status, done.error).to.equal("completed");
    const shouted = await ml.data.get("shouted");
    expect(readFileSync(join(shouted.path, "f"), "utf8")).to.equal("ABC");
  });

  it("maps local datastores to folders that datastore URIs resolve in", async () => {
    put("lake/raw/f", "lake");
    const created = await ml.datastores.createOrUpdate({ name: "lake", path: "lake" });
    expect(created).to.deep.equal({ name: "lake", path: join(dir, "lake"), builtin: false });
    expect(await ml.datastores.get("lake")).to.deep.equal(created);
    const listed = await ml.datastores.list();
    expect(listed.map((d) => `${d.name}:${d.builtin}`)).to.include.members(["lake:false", "workspaceblobstore:true"]);
    const cat = command({ name: "cat", inputs: { src: Input.uriFolder() }, outputs: { out: Output.uriFolder() }, command: "cp ${{inputs.src}}/f ${{outputs.out}}/f" });
    const p = pipeline({ name: "lakeread", inputs: { src: Input.uriFolder() }, outputs: { out: Output.uriFolder() } }, ({ src }) => ({ out: cat({ src }).outputs.out }));
    const job = await ml.jobs.createOrUpdate(p.job({ src: "azureml://datastores/lake/paths/raw" }));
    const done = await ml.jobs.wait(job.name);
    expect(readFileSync(join(done.outputs["out"] as string, "f"), "utf8")).to.equal("lake");
    const blob = await ml.datastores.createOrUpdate(azureBlobDatastore({ name: "blobby", accountName: "acct", containerName: "c", credentials: { accountKey: secret.env("BLOB_KEY") } }));
    expect(blob.path).to.equal(join(dir, "ws", "datastores", "blobby"));
    expect((await failure(ml.datastores.get("nowhere"))).code).to.equal("PW4004");
  });

  it("refuses bad datastores by code: a missing folder, a bad name, a credential written inline", async () => {
    expect((await failure(ml.datastores.createOrUpdate({ name: "lake", path: "missing" }))).diagnostics).to.deep.equal(["PW1506"]);
    expect((await failure(ml.datastores.createOrUpdate({ name: "no such", path: "." }))).diagnostics).to.deep.equal(["PW1501"]);
    const literal = "c2VjcmV0LWtleS12YWx1ZQ==";
    const inline = await failure(
      ml.datastores.createOrUpdate(azureBlobDatastore({ name: "blobby", accountName: "acct", containerName: "c", credentials: { accountKey: literal as unknown as SecretRef } })),
    );
    expect([inline.code, ...inline.diagnostics]).to.deep.equal(["PW4504", "PW1503"]);
    expect(inline.text).not.to.contain(literal);
    expect((await ml.datastores.list()).map((d) => d.name)).not.to.include.members(["lake", "blobby"]);
  });
});
