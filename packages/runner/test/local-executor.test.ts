import { command, Input, Output, pipeline, uriFolder } from "@pipewright/dsl";
import { expect } from "chai";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { testWorkspace, type TestWorkspace } from "./local-helpers.js";
import { planJob } from "../src/local/plan.js";
import { decodePlan, encodePlan } from "../src/local/start-job.js";

describe("the local executor", () => {
  let ws: TestWorkspace;
  beforeEach(() => {
    ws = testWorkspace();
  });
  afterEach(() => ws.dispose());

  it("runs steps in dependency order, passing each output folder to the next step", async () => {
    const write = command({
      name: "write",
      inputs: { word: Input.string() },
      outputs: { out: Output.uriFolder() },
      command: "printf '%s' ${{inputs.word}} > ${{outputs.out}}/word.txt",
    });
    const shout = command({
      name: "shout",
      inputs: { src: Input.uriFolder() },
      outputs: { out: Output.uriFolder() },
      command: "tr a-z A-Z < ${{inputs.src}}/word.txt > ${{outputs.out}}/word.txt",
    });
    const p = pipeline({ name: "chain", inputs: { word: Input.string() }, outputs: { result: Output.uriFolder() } }, ({ word }) => {
      const w = write({ word });
      const s = shout({ src: w.outputs.out });
      return { result: s.outputs.out };
    });
    const { record, events } = await ws.run(p.job({ word: "hello" }));
    expect(record.status).to.equal("completed");
    const result = record.outputs["result"] as string;
    expect(readFileSync(join(result, "word.txt"), "utf8")).to.equal("HELLO");
    const started = events.filter((e) => e.type === "step_started").map((e) => ("step" in e ? e.step : ""));
    expect(started).to.deep.equal(["write", "shout"]);
  });

  it("records a step that ends within one group commit exactly as one whose start was committed first", async () => {
    const quick = command({ name: "quick", outputs: { out: Output.uriFolder() }, command: "true" });
    const slow = command({ name: "slow", inputs: { src: Input.uriFolder() }, outputs: { out: Output.uriFolder() }, command: "sleep 0.3" });
    const p = pipeline({ name: "both" }, () => {
      slow({ src: quick().outputs.out });
    });
    const { record } = await ws.run(p.job());
    expect(record.status).to.equal("completed");
    const store = ws.workspace.store;
    for (const id of ["quick", "slow"]) {
      const step = store.getStep(record.name, id);
      expect(step, id).to.include({ status: "completed", attempts: 1, exitCode: 0 });
      expect(step?.fingerprint, id).to.match(/^sha256:/);
      expect(step?.startedAt, id).to.be.a("number");
      expect(step?.endedAt, id).to.be.at.least(step?.startedAt as number);
      const attempts = store.getAttempts(record.name, id);
      expect(attempts, id).to.have.length(1);
      expect(attempts[0], id).to.include({ attempt: 1, exitCode: 0, startedAt: step?.startedAt, endedAt: step?.endedAt });
      expect(attempts[0]?.pid, id).to.be.a("number");
      expect(store.getOutputs(record.name, id).map((o) => o.name), id).to.deep.equal(["out"]);
    }
  });

  it("expands nested pipelines into their inner steps with inputs and outputs bound through the parent", async () => {
    const add = command({
      name: "add",
      inputs: { src: Input.uriFolder(), text: Input.string({ default: "x" }) },
      outputs: { out: Output.uriFolder() },
      command: "cat ${{inputs.src}}/f > ${{outputs.out}}/f && printf '%s' ${{inputs.text}} >> ${{outputs.out}}/f",
    });
    const seed = command({ name: "seed", outputs: { out: Output.uriFolder() }, command: "printf s > ${{outputs.out}}/f" });
    const inner = pipeline({ name: "inner", inputs: { src: Input.uriFolder(), text: Input.string() }, outputs: { out: Output.uriFolder() } }, ({ src, text }) => {
      const a = add({ src, text });
      const b = add({ src: a.outputs.out });
      return { out: b.outputs.out };
    });
    const outer = pipeline({ name: "outer", outputs: { final: Output.uriFolder() } }, () => {
      const s = seed();
      const n = inner({ src: s.outputs.out, text: "i" }, { name: "stage" });
      const last = add({ src: n.outputs.out, text: "z" });
      return { final: last.outputs.out };
    });
    const { record } = await ws.run(outer.job());
    expect(record.status).to.equal("completed");
    expect(readFileSync(join(record.outputs["final"] as string, "f"), "utf8")).to.equal("sixz");
    const ids = ws.workspace.store.getSteps(record.name).map((s) => s.id);
    expect(ids).to.deep.equal(["seed", "stage/add", "stage/add_1", "add"]);
  });

  it("drops an optional block when its input is unset and keeps it when set", async () => {
    const opt = command({
      name: "opt",
      inputs: { tag: Input.string({ optional: true }), n: Input.integer({ default: 3 }), flag: Input.boolean({ default: true }) },
      outputs: { out: Output.uriFile() },
      command: "echo start $[[--tag ${{inputs.tag}}]] n=${{inputs.n}} f=${{inputs.flag}} > ${{outputs.out}}",
    });
    const p = pipeline({ name: "optional", inputs: { tag: Input.string({ optional: true }) }, outputs: { a: Output.uriFile(), b: Output.uriFile() } }, ({ tag }) => {
      const a = opt({ tag });
      const b = opt({ tag: "v1", n: 7, flag: false });
      return { a: a.outputs.out, b: b.outputs.out };
    });
    const { record } = await ws.run(p.job({}));
    expect(record.status).to.equal("completed");
    expect(readFileSync(record.outputs["a"] as string, "utf8")).to.equal("start n=3 f=True\n");
    expect(readFileSync(record.outputs["b"] as string, "utf8")).to.equal("start --tag v1 n=7 f=False\n");
  });

  it("passes string values with quotes, ;, $( ), backticks, newlines and ../ through as exactly that text", async () => {
    const nasty = `it's "quoted"; $(touch pwned) \`touch pwned2\` $HOME \\ \n../../etc ' '' end`;
    const echo = command({
      name: "echo_value",
      inputs: { s: Input.string() },
      outputs: { bare: Output.uriFile(), dq: Output.uriFile(), sq: Output.uriFile() },
      command: `printf '%s' \${{inputs.s}} > \${{outputs.bare}} && printf '%s' "\${{inputs.s}}" > \${{outputs.dq}} && printf '%s' 'pre-\${{inputs.s}}-post' > \${{outputs.sq}}`,
    });
    const p = pipeline({ name: "inject", inputs: { s: Input.string() }, outputs: { bare: Output.uriFile(), dq: Output.uriFile(), sq: Output.uriFile() } }, ({ s }) => {
      const e = echo({ s });
      return { bare: e.outputs.bare, dq: e.outputs.dq, sq: e.outputs.sq };
    });
    const { record } = await ws.run(p.job({ s: nasty }));
    expect(record.status).to.equal("completed");
    expect(readFileSync(record.outputs["bare"] as string, "utf8")).to.equal(nasty);
    expect(readFileSync(record.outputs["dq"] as string, "utf8")).to.equal(nasty);
    expect(readFileSync(record.outputs["sq"] as string, "utf8")).to.equal(`pre-${nasty}-post`);
    const work = join(record.folder, "steps", "echo_value");
    expect(existsSync(join(work, "pwned"))).to.equal(false);
    expect(existsSync(join(work, "pwned2"))).to.equal(false);
  });

  it("runs each step in a private copy of its code folder, leaving the source untouched", async () => {
    const code = join(ws.dir, "src");
    mkdirSync(code);
    writeFileSync(join(code, "data.txt"), "original");
    const mutate = command({
      name: "mutate",
      code,
      outputs: { out: Output.uriFolder() },
      command: "cat data.txt > ${{outputs.out}}/seen && echo changed > data.txt && echo $MY_VAR > ${{outputs.out}}/env",
    });
    const p = pipeline({ name: "code", outputs: { out: Output.uriFolder() } }, () => ({ out: mutate({}, { environmentVariables: { MY_VAR: "v 1" } }).outputs.out }));
    const { record } = await ws.run(p.job());
    expect(record.status).to.equal("completed");
    expect(readFileSync(join(code, "data.txt"), "utf8")).to.equal("original");
    expect(readFileSync(join(record.outputs["out"] as string, "seen"), "utf8")).to.equal("original");
    expect(readFileSync(join(record.outputs["out"] as string, "env"), "utf8")).to.equal("v 1\n");
    const step = ws.workspace.store.getStep(record.name, "mutate");
    expect(step?.codeSnapshot).to.be.a("string");
    expect(readFileSync(join(step?.codeSnapshot as string, "data.txt"), "utf8")).to.equal("original");
  });

  it("reads local inputs relative to the declaring file and datastore URIs through the workspace mapping", async () => {
    const store = join(ws.dir, "store");
    mkdirSync(join(store, "raw"), { recursive: true });
    writeFileSync(join(store, "raw", "a.txt"), "from datastore");
    ws.workspace.setDatastore("lake", store);
    const cat = command({ name: "cat", inputs: { src: Input.uriFolder() }, outputs: { out: Output.uriFile() }, command: "cat ${{inputs.src}}/a.txt > ${{outputs.out}}" });
    const p = pipeline({ name: "ds", inputs: { src: Input.uriFolder() }, outputs: { out: Output.uriFile() } }, ({ src }) => ({ out: cat({ src }).outputs.out }));
    const { record } = await ws.run(p.job({ src: "azureml://datastores/lake/paths/raw" }));
    expect(record.status).to.equal("completed");
    expect(readFileSync(record.outputs["out"] as string, "utf8")).to.equal("from datastore");

    const missing = await ws.run(p.job({ src: "azureml://datastores/nowhere/paths/raw" }));
    expect(missing.record.status).to.equal("failed");
    expect(missing.record.error).to.contain("PW4004");
    const asset = await ws.run(p.job({ src: "azureml:raw_data:1" }));
    expect(asset.record.error).to.contain("PW4002");
  });

  it("lists settings that only mean something on Azure as ignored", async () => {
    const c = command({ name: "c", command: "true", environment: "azureml:AzureML-sklearn-1.0@latest", resources: { instanceType: "Standard_DS3_v2", instanceCount: 2 } });
    const p = pipeline({ name: "azure_only", settings: { defaultCompute: "azureml:cpu" } }, () => {
      c({}, { distribution: { type: "pytorch", processCountPerInstance: 2 } });
    });
    const { events } = await ws.run(p.job());
    const finished = events.find((e) => e.type === "job_finished");
    const settings = finished && "ignored" in finished ? finished.ignored.map((i) => `${i.step}:${i.setting}`) : [];
    expect(settings).to.include.members(["(job):settings.default_compute", "c:resources.instance_type", "c:resources.instance_count", "c:distribution", "c:environment"]);
  });
});

describe("the local executor's inputs and outputs", () => {
  let ws: TestWorkspace;
  beforeEach(() => {
    ws = testWorkspace();
  });
  afterEach(() => ws.dispose());

  it("resolves local data paths relative to the file that declared them, not the working directory", async () => {
    const both = command({
      name: "both",
      inputs: { folder: Input.uriFolder(), file: Input.uriFile() },
      outputs: { out: Output.uriFile() },
      command: "cat ${{inputs.folder}}/a.txt ${{inputs.file}} > ${{outputs.out}}",
    });
    const p = pipeline({ name: "relative", inputs: { folder: Input.uriFolder(), file: Input.uriFile() }, outputs: { out: Output.uriFile() } }, ({ folder, file }) => ({
      out: both({ folder, file }).outputs.out,
    }));
    const { record } = await ws.run(p.job({ folder: uriFolder("./fixtures/local-data/corpus"), file: "./fixtures/local-data/one.txt" }));
    expect(record.status).to.equal("completed");
    expect(readFileSync(record.outputs["out"] as string, "utf8")).to.equal("alpha beta\ngamma\n");
    const missing = await ws.run(p.job({ folder: uriFolder("./fixtures/local-data/nope"), file: "./fixtures/local-data/one.txt" }));
    expect(missing.record.error).to.contain("PW4003");
    expect(missing.record.error).to.contain(join("fixtures", "local-data", "nope"));
  });

  it("refuses node kinds that cannot run locally with PW4001", async () => {
    const job = pipeline({ name: "opaque" }, () => undefined).job();
    const model = {
      ...job.model,
      pipeline: { ...job.model.pipeline, jobs: [{ name: "sweep_it", type: "sweep", component: { type: "sweep", name: "s", inputs: {}, outputs: {}, body: {} }, inputs: {}, outputs: {} }] },
    };
    let error: unknown;
    try {
      await ws.run({ kind: "pipeline_job", model } as typeof job);
    } catch (caught) {
      error = caught;
    }
    expect((error as { code?: string }).code).to.equal("PW4001");
  });

  it("downloads an http uri_file input from a server on 127.0.0.1", async () => {
    const { createServer } = await import("node:http");
    const server = createServer((req, res) => {
      if (req.url === "/data/table.csv") res.end("a,b\n1,2\n");
      else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const count = command({ name: "count", inputs: { f: Input.uriFile() }, outputs: { out: Output.uriFile() }, command: "wc -l < ${{inputs.f}} | tr -d ' ' > ${{outputs.out}}" });
      const p = pipeline({ name: "http", inputs: { f: Input.uriFile() }, outputs: { out: Output.uriFile() } }, ({ f }) => ({ out: count({ f }).outputs.out }));
      const { record } = await ws.run(p.job({ f: `http://127.0.0.1:${port}/data/table.csv` }));
      expect(record.status).to.equal("completed");
      expect(readFileSync(record.outputs["out"] as string, "utf8")).to.equal("2\n");
      const missing = await ws.run(p.job({ f: `http://127.0.0.1:${port}/nope.csv` }));
      expect(missing.record.status).to.equal("failed");
      expect(missing.record.error).to.contain("PW4009");
    } finally {
      server.close();
    }
  });

  it("never shows a failed step's partial output at the output path", async () => {
    const partial = command({ name: "partial", outputs: { out: Output.uriFolder() }, command: "echo half > ${{outputs.out}}/part && exit 3" });
    const p = pipeline({ name: "atomic", outputs: { out: Output.uriFolder() } }, () => ({ out: partial().outputs.out }));
    const { record } = await ws.run(p.job());
    expect(record.status).to.equal("failed");
    const target = join(record.folder, "steps", "partial", "out");
    expect(existsSync(target)).to.equal(false);
    expect(readdirSync(join(record.folder, "steps", "partial"))).to.deep.equal(["attempt-1.log"]);
    expect(record.outputs).to.deep.equal({});
  });

  it("fails a step that did not write its uri_file output", async () => {
    const lazy = command({ name: "lazy", outputs: { out: Output.uriFile() }, command: "true" });
    const p = pipeline({ name: "lazy_file" }, () => {
      lazy();
    });
    const { record, events } = await ws.run(p.job());
    expect(record.status).to.equal("failed");
    const failed = events.find((e) => e.type === "step_failed");
    expect(failed && "reason" in failed ? failed.reason : "").to.contain("did not write");
  });

  it("refuses node names that would leave the run folder", async () => {
    const c = command({ name: "c", command: "true" });
    const p = pipeline({ name: "escape" }, () => {
      c({}, { name: "../../evil" });
    });
    let error: unknown;
    try {
      await ws.run(p.job());
    } catch (caught) {
      error = caught;
    }
    expect((error as { code?: string }).code).to.equal("PW4006");
  });

  it("refuses a job name that would leave the workspace", async () => {
    const c = command({ name: "c", command: "true" });
    const p = pipeline({ name: "named" }, () => {
      c();
    });
    let error: unknown;
    try {
      await ws.run(p.job(), { name: "../outside" });
    } catch (caught) {
      error = caught;
    }
    expect((error as { code?: string }).code).to.equal("PW4006");
  });
});

describe("the plan kept with a job for --resume", () => {
  it("holds each component once and gives back the same plan, and still reads a plan written whole", () => {
    const shared = command({ name: "shared", inputs: { n: Input.string() }, outputs: { out: Output.uriFolder() }, command: "echo ${{inputs.n}}" });
    const p = pipeline({ name: "many" }, () => {
      for (let i = 0; i < 30; i++) shared({ n: `v${i}` }, { name: `s${i}` });
    });
    const plan = planJob(p.job().model, {});
    const encoded = encodePlan(plan);
    expect(encoded.split('"command":"echo ${{inputs.n}}"').length - 1, "the component's command, written once").to.equal(1);
    expect(decodePlan(encoded)).to.deep.equal(plan);
    expect(decodePlan(JSON.stringify(plan))).to.deep.equal(plan);
  });
});
