import { loadPipelineJob } from "@pipewright/compiler";
import { command, data, Input, Output, pipeline, registerComponent } from "@pipewright/dsl";
import { expect } from "chai";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startLocalJob } from "../src/local/start-job.js";
import { LocalAssetResolver } from "../src/registry/asset-resolver.js";
import { LocalRegistry } from "../src/registry/local-registry.js";
import { RegistryError } from "../src/registry/registry-error.js";
import { testWorkspace, type TestWorkspace } from "./local-helpers.js";

describe("local runs with registered assets", () => {
  let ws: TestWorkspace;
  let registry: LocalRegistry;
  let assets: LocalAssetResolver;
  const put = (path: string, text: string) => {
    mkdirSync(join(ws.dir, path, ".."), { recursive: true });
    writeFileSync(join(ws.dir, path), text);
  };
  beforeEach(() => {
    ws = testWorkspace();
    registry = new LocalRegistry(ws.workspace.root);
    assets = new LocalAssetResolver(registry);
  });
  afterEach(() => {
    registry.close();
    ws.dispose();
  });

  const concat = command({
    name: "concat",
    inputs: { first: Input.uriFolder(), second: Input.uriFolder() },
    outputs: { out: Output.uriFolder() },
    command: "cat ${{inputs.first}}/f ${{inputs.second}}/f > ${{outputs.out}}/f",
  });
  const both = pipeline({ name: "both", inputs: { first: Input.uriFolder(), second: Input.uriFolder() }, outputs: { joined: Output.uriFolder() } }, ({ first, second }) => {
    return { joined: concat({ first, second }).outputs.out };
  });

  it("reads azureml:name:version and azureml:name@latest data from the registry", async () => {
    put("v1/f", "one;");
    put("v2/f", "two;");
    registry.register(data({ name: "words", type: "uri_folder", path: join(ws.dir, "v1") }));
    registry.register(data({ name: "words", type: "uri_folder", path: join(ws.dir, "v2") }));
    const { record } = await ws.run(both.job({ first: "azureml:words:1", second: "azureml:words@latest" }), { assets });
    expect(record.status, record.error).to.equal("completed");
    expect(readFileSync(join(record.outputs["joined"] as string, "f"), "utf8")).to.equal("one;two;");
    const bare = await ws.run(both.job({ first: "azureml:words", second: "azureml:words:2" }), { assets });
    expect(readFileSync(join(bare.record.outputs["joined"] as string, "f"), "utf8")).to.equal("two;two;");
  });

  it("fails a job naming an unknown data version before any step starts", async () => {
    put("v1/f", "one;");
    registry.register(data({ name: "words", type: "uri_folder", path: join(ws.dir, "v1") }));
    const { record, events } = await ws.run(both.job({ first: "azureml:words:1", second: "azureml:words:9" }), { assets });
    expect(record.status).to.equal("failed");
    expect(record.error).to.contain("PW4502").and.to.contain("words:9").and.to.contain("versions: 1");
    expect(events.filter((e) => e.type === "step_started")).to.deep.equal([]);
    const unknown = await ws.run(both.job({ first: "azureml:nothing@latest", second: "azureml:words:1" }), { assets });
    expect(unknown.record.error).to.contain("PW4502").and.to.contain("no data asset named 'nothing'");
    expect(unknown.events.filter((e) => e.type === "step_started")).to.deep.equal([]);
  });

  it("runs a node that names a registered component, with the component's stored code", async () => {
    put("src/shout.sh", "tr a-z A-Z < \"$1/f\" > \"$2/f\"\n");
    put("words/f", "hello");
    const shout = command({
      name: "shout",
      version: "1",
      code: join(ws.dir, "src"),
      inputs: { src: Input.uriFolder() },
      outputs: { out: Output.uriFolder() },
      command: "sh shout.sh ${{inputs.src}} ${{outputs.out}}",
      environment: "azureml:AzureML-sklearn-1.0-ubuntu20.04-py38-cpu@latest",
    });
    registry.register(registerComponent(shout));
    registry.register(data({ name: "words", type: "uri_folder", path: join(ws.dir, "words") }));
    // The original code folder changes after registration: the stored version is what runs.
    put("src/shout.sh", "echo changed > \"$2/f\"\n");
    put(
      "job.yml",
      [
        "$schema: https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json",
        "type: pipeline",
        "inputs:",
        "  raw:",
        "    type: uri_folder",
        "    path: azureml:words@latest",
        "outputs:",
        "  result:",
        "    type: uri_folder",
        "jobs:",
        "  loud:",
        "    type: command",
        "    component: azureml:shout:1",
        "    inputs:",
        "      src: ${{parent.inputs.raw}}",
        "    outputs:",
        "      out: ${{parent.outputs.result}}",
        "",
      ].join("\n"),
    );
    const loaded = loadPipelineJob(join(ws.dir, "job.yml"), { readFile: (p) => readFileSync(p, "utf8") });
    expect(loaded.model, JSON.stringify(loaded.diagnostics)).to.not.equal(undefined);
    const started = startLocalJob(ws.workspace, loaded.model!, { assets, env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin" } });
    const record = await started.done;
    expect(record.status, record.error).to.equal("completed");
    expect(readFileSync(join(record.outputs["result"] as string, "f"), "utf8")).to.equal("HELLO");
  });

  it("runs a registered pipeline component whose command components share one stored code folder", async () => {
    put("src/append.sh", "cat \"$1/f\" > \"$2/f\"; printf '+' >> \"$2/f\"\n");
    put("words/f", "w");
    const append = command({
      name: "append",
      code: join(ws.dir, "src"),
      inputs: { src: Input.uriFolder() },
      outputs: { out: Output.uriFolder() },
      command: "sh append.sh ${{inputs.src}} ${{outputs.out}}",
      environment: "azureml:AzureML-minimal@latest",
    });
    const twice = pipeline({ name: "twice", inputs: { src: Input.uriFolder() }, outputs: { out: Output.uriFolder() } }, ({ src }) => {
      const first = append({ src }, { name: "first" });
      return { out: append({ src: first.outputs.out }, { name: "second" }).outputs.out };
    });
    const record = registry.register(registerComponent(twice));
    expect(record.type).to.equal("pipeline");
    expect(readdirSync(join(registry.blobs.pathOf(record.blob as string), "code"))).to.deep.equal(["0"]);
    const outer = both.job({ first: "./a", second: "./b" }).model;
    const node = outer.pipeline.jobs[0]!;
    const job = {
      ...outer,
      inputs: { src: { kind: "literal" as const, value: join(ws.dir, "words") } },
      pipeline: {
        ...outer.pipeline,
        inputs: { src: { type: "uri_folder" } },
        jobs: [{ ...node, name: "wrapped", component: { type: "reference" as const, ref: "azureml:twice@latest" }, inputs: { src: { kind: "parent_input" as const, input: "src" } }, outputs: { out: { bindTo: "joined" } } }],
      },
    };
    const started = startLocalJob(ws.workspace, job, { assets, env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin" } });
    const done = await started.done;
    expect(done.status, done.error).to.equal("completed");
    expect(readFileSync(join(done.outputs["joined"] as string, "f"), "utf8")).to.equal("w++");
  });

  it("refuses to start a job whose registered component is unknown, creating no job", () => {
    const job = {
      ...both.job({ first: "./a", second: "./b" }).model,
    };
    const node = job.pipeline.jobs[0]!;
    const referencing = { ...job, pipeline: { ...job.pipeline, jobs: [{ ...node, component: { type: "reference" as const, ref: "azureml:concat:4" } }] } };
    let caught: unknown;
    try {
      startLocalJob(ws.workspace, referencing, { assets, name: "never" });
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(RegistryError);
    expect((caught as RegistryError).code).to.equal("PW4502");
    expect((caught as RegistryError).path).to.equal("both/concat");
    expect(ws.workspace.store.hasJob("never")).to.equal(false);
  });

  it("refuses a job naming a version of a registered environment that does not exist, and leaves unknown (curated) names to Azure", async () => {
    registry.register({ kind: "environment", name: "py", image: "python:3.11-slim", version: "1" });
    const step = (environment: string) => command({ name: "noop", command: "true", environment });
    const jobWith = (environment: string) => pipeline({ name: "envs" }, () => void step(environment)()).job();
    let caught: unknown;
    try {
      startLocalJob(ws.workspace, jobWith("azureml:py:2").model, { assets });
    } catch (error) {
      caught = error;
    }
    expect((caught as RegistryError).code).to.equal("PW4502");
    expect((caught as RegistryError).path).to.equal("envs/noop/environment");
    expect((await ws.run(jobWith("azureml:py@latest"), { assets })).record.status).to.equal("completed");
    expect((await ws.run(jobWith("azureml:AzureML-minimal@latest"), { assets })).record.status).to.equal("completed");
  });

  it("registers an output with a name and version as a data asset once its step succeeds", async () => {
    put("v1/f", "one;");
    const job = both.job({ first: join(ws.dir, "v1"), second: join(ws.dir, "v1") }, { outputs: { joined: { name: "joined_words", version: "3" } } });
    const { record } = await ws.run(job, { assets });
    expect(record.status, record.error).to.equal("completed");
    const registered = registry.get("data", "joined_words", { version: "3" });
    expect(registered.type).to.equal("uri_folder");
    expect(readFileSync(join(registered.path, "f"), "utf8")).to.equal("one;one;");
    expect(registered.description).to.contain("concat");
    // Rerun: the step is reused, the same content under the same version is a no-op.
    const again = await ws.run(job, { assets });
    expect(again.record.status).to.equal("completed");
    expect(registry.list("data", "joined_words").map((r) => r.version)).to.deep.equal(["3"]);
  });

  it("registers nothing for an output whose step fails", async () => {
    const failing = command({ name: "fail", outputs: { out: Output.uriFolder() }, command: "exit 3" });
    const p = pipeline({ name: "failing", outputs: { result: Output.uriFolder() } }, () => ({ result: failing().outputs.out }));
    const { record } = await ws.run(p.job({}, { outputs: { result: { name: "never_made" } } }), { assets });
    expect(record.status).to.equal("failed");
    expect(registry.list("data", "never_made", { includeArchived: true })).to.deep.equal([]);
    expect(registry.db.countVersions()).to.equal(0);
  });
});
