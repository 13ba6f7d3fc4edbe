import { expect } from "chai";
import type { CommandComponentModel, PipelineComponentModel } from "@pipewright/dsl";
import { loadComponent, loadPipelineJob, loadYamlDocument } from "../src/load/index.js";
import { memoryHost } from "./load/memory-host.js";

const TRAIN = `$schema: https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json
name: train
version: 10
type: command
inputs:
  data:
    type: uri_folder
  epochs:
    type: integer
    default: 3
outputs:
  model:
    type: uri_folder
environment: azureml:sklearn@latest
command: python train.py --data \${{inputs.data}} --model \${{outputs.model}}
`;

const PIPELINE = `type: pipeline
display_name: demo
inputs:
  epochs: 20
  rate: 1.0
  name: "20"
  flag: false
  raw:
    type: uri_folder
    path: ./data
outputs:
  final:
    mode: upload
settings:
  default_compute: azureml:cpu
jobs:
  train_job:
    type: command
    component: ./train.yml
    inputs:
      data: \${{parent.inputs.raw}}
      epochs: \${{parent.inputs.epochs}}
    outputs:
      model: \${{parent.outputs.final}}
  again:
    component: file:train.yml
    inputs:
      data: \${{parent.jobs.train_job.outputs.model}}
`;

const codes = (diagnostics: readonly { code: string }[]) => diagnostics.map((d) => d.code);

describe("loading Azure ML YAML", () => {
  it("reads a command component into the model with locations into the file", () => {
    const result = loadComponent("/w/train.yml", memoryHost({ "/w/train.yml": TRAIN }));
    expect(result.diagnostics).to.deep.equal([]);
    const model = result.model as CommandComponentModel;
    expect(model.type).to.equal("command");
    expect(model.version).to.equal("10");
    expect(model.inputs["epochs"]).to.include({ type: "integer", default: 3 });
    expect(model.inputs["epochs"]?.location).to.deep.equal({ file: "/w/train.yml", line: 8, column: 3 });
    expect(model.environment).to.equal("azureml:sklearn@latest");
    expect(model.baseDir).to.equal("/w");
  });

  it("reads a pipeline job with bindings, coerced literals and a shared component", () => {
    const result = loadPipelineJob("/w/p.yml", memoryHost({ "/w/p.yml": PIPELINE, "/w/train.yml": TRAIN }));
    expect(result.diagnostics).to.deep.equal([]);
    const job = result.model;
    if (!job) throw new Error("no model");
    expect(job.pipeline.inputs["epochs"]?.type).to.equal("integer");
    expect(job.pipeline.inputs["rate"]?.type).to.equal("number");
    expect(job.pipeline.inputs["name"]?.type).to.equal("string");
    expect(job.pipeline.inputs["flag"]?.type).to.equal("boolean");
    expect(job.inputs["raw"]).to.include({ kind: "data", type: "uri_folder", path: "./data", baseDir: "/w" });
    expect(job.settings.defaultCompute).to.equal("azureml:cpu");
    const [first, second] = job.pipeline.jobs;
    expect(first?.inputs["epochs"]).to.include({ kind: "parent_input", input: "epochs" });
    expect(first?.outputs["model"]?.bindTo).to.equal("final");
    expect(second?.type).to.equal("command");
    expect(second?.inputs["data"]).to.include({ kind: "node_output", node: "train_job", output: "model" });
    expect(second?.component).to.equal(first?.component);
  });

  it("keeps azureml and registry component references as references", () => {
    const yaml = `type: pipeline
jobs:
  a:
    type: command
    component: azureml:train:1
  b:
    type: command
    component: azureml:train@latest
  c:
    type: command
    component: azureml://registries/azureml/components/train/versions/2
`;
    const result = loadPipelineJob("/w/p.yml", memoryHost({ "/w/p.yml": yaml }));
    expect(result.diagnostics).to.deep.equal([]);
    expect(result.model?.pipeline.jobs.map((n) => n.component)).to.deep.equal([
      { type: "reference", ref: "azureml:train:1" },
      { type: "reference", ref: "azureml:train@latest" },
      { type: "reference", ref: "azureml://registries/azureml/components/train/versions/2" },
    ]);
  });

  it("reports malformed YAML with its position instead of throwing", () => {
    const result = loadComponent("/w/bad.yml", memoryHost({ "/w/bad.yml": "name: x\n  bad: [1,\n" }));
    expect(result.model).to.equal(undefined);
    expect(codes(result.diagnostics)).to.include("PW3101");
    expect(result.diagnostics[0]?.location?.file).to.equal("/w/bad.yml");
  });

  it("reports a referenced component file that does not exist at the reference", () => {
    const result = loadPipelineJob("/w/p.yml", memoryHost({ "/w/p.yml": PIPELINE }));
    const missing = result.diagnostics.filter((d) => d.code === "PW3102");
    expect(missing).to.have.length(2);
    expect(missing[0]?.location).to.deep.equal({ file: "/w/p.yml", line: 19, column: 16 });
    expect(missing[0]?.message).to.contain("/w/train.yml");
  });

  it("reports pipeline component files that reference each other in a cycle", () => {
    const a = "type: pipeline\nname: a\njobs:\n  b:\n    type: pipeline\n    component: ./b.yml\n";
    const b = "type: pipeline\nname: b\njobs:\n  a:\n    type: pipeline\n    component: ./a.yml\n";
    const result = loadComponent("/w/a.yml", memoryHost({ "/w/a.yml": `$schema: x/pipelineComponent.schema.json\n${a}`, "/w/b.yml": b }));
    const cycle = result.diagnostics.find((d) => d.code === "PW3109");
    expect(cycle?.message).to.contain("./a.yml -> ./b.yml -> ./a.yml");
    expect(cycle?.location).to.deep.equal({ file: "/w/b.yml", line: 6, column: 16 });
  });

  it("stops an alias bomb with a diagnostic", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 0; i < 8; i++) bomb.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`);
    const result = loadYamlDocument("/w/bomb.yml", memoryHost({ "/w/bomb.yml": bomb.join("\n") }));
    expect(codes(result.diagnostics)).to.deep.equal(["PW3104"]);
  });

  it("refuses a file larger than the limit without parsing it", () => {
    const result = loadYamlDocument("/w/big.yml", memoryHost({ "/w/big.yml": `a: "${"x".repeat(200)}"` }), { limits: { maxFileChars: 100 } });
    expect(codes(result.diagnostics)).to.deep.equal(["PW3103"]);
  });

  it("warns about an unknown settings key, suggesting the known one, and keeps it", () => {
    const yaml = "type: pipeline\nsettings:\n  default_datestore: azureml:ws\njobs: {}\n";
    const result = loadPipelineJob("/w/p.yml", memoryHost({ "/w/p.yml": yaml }));
    expect(result.diagnostics).to.have.length(1);
    expect(result.diagnostics[0]).to.include({ code: "PW3108", severity: "warning" });
    expect(result.diagnostics[0]?.message).to.contain("Did you mean 'default_datastore'?");
    expect(result.diagnostics[0]?.location).to.deep.equal({ file: "/w/p.yml", line: 3, column: 3 });
    expect(result.model?.settings.extra).to.deep.equal({ default_datestore: "azureml:ws" });
  });

  it("reports values of the wrong type at the value", () => {
    const yaml = TRAIN.replace("version: 10", "version: [1]").replace("type: integer", "type: {a: 1}");
    const result = loadComponent("/w/t.yml", memoryHost({ "/w/t.yml": yaml }));
    expect(codes(result.diagnostics)).to.deep.equal(["PW3106", "PW3106"]);
    expect(result.diagnostics[0]?.location?.line).to.equal(3);
  });

  it("says a conda file or an environment is not a job or a component", () => {
    const host = memoryHost({ "/w/conda.yml": "name: env\ndependencies:\n  - python=3.10\n", "/w/env.yml": "$schema: https://azuremlschemas.azureedge.net/latest/environment.schema.json\nimage: x\n" });
    const conda = loadYamlDocument("/w/conda.yml", host);
    expect(codes(conda.diagnostics)).to.deep.equal(["PW3105"]);
    expect(conda.diagnostics[0]?.message).to.contain("conda environment file");
    expect(loadYamlDocument("/w/env.yml", host).diagnostics[0]?.message).to.contain("environment definition");
  });

  it("keeps control-flow nodes and checks their rules", () => {
    const yaml = `type: pipeline
jobs:
  body:
    type: command
    component: azureml:x:1
  loop:
    type: do_while
    body: \${{parent.jobs.body}}
    condition: false
    limits:
      max_iteration_count: 0
  branch:
    type: if_else
    condition: true
    true_block: \${{parent.inputs.x}}
`;
    const result = loadPipelineJob("/w/p.yml", memoryHost({ "/w/p.yml": yaml }));
    expect(codes(result.diagnostics)).to.deep.equal(["PW3113", "PW3113", "PW3113", "PW3110"]);
    const loop = result.model?.pipeline.jobs[1];
    expect(loop?.type).to.equal("do_while");
    expect(loop?.extra).to.deep.equal({ body: "${{parent.jobs.body}}", condition: false, limits: { max_iteration_count: 0 } });
  });

  it("loads a node-level inline command job with ports inferred from the node", () => {
    const yaml = `type: pipeline
jobs:
  hello:
    command: echo hi > \${{outputs.out}}/x
    environment: azureml:env@latest
    outputs:
      out:
  world:
    command: cat \${{inputs.inp}}/x
    environment: azureml:env@latest
    inputs:
      inp: \${{parent.jobs.hello.outputs.out}}
`;
    const result = loadPipelineJob("/w/p.yml", memoryHost({ "/w/p.yml": yaml }));
    expect(result.diagnostics).to.deep.equal([]);
    const world = result.model?.pipeline.jobs[1]?.component as CommandComponentModel;
    expect(world.inlineJob).to.equal(true);
    expect(world.inputs["inp"]).to.include({ type: "uri_folder", optional: true });
  });

  it("loads a pipeline component whose nodes bind to its own ports", () => {
    const yaml = `$schema: https://azuremlschemas.azureedge.net/latest/pipelineComponent.schema.json
type: pipeline
name: inner
inputs:
  data:
    type: uri_folder
outputs:
  model:
    type: uri_folder
jobs:
  t:
    type: command
    component: ./train.yml
    inputs:
      data: \${{parent.inputs.data}}
    outputs:
      model: \${{parent.outputs.model}}
`;
    const result = loadComponent("/w/inner.yml", memoryHost({ "/w/inner.yml": yaml, "/w/train.yml": TRAIN }));
    expect(result.diagnostics).to.deep.equal([]);
    const model = result.model as PipelineComponentModel;
    expect(model.jobs[0]?.outputs["model"]?.bindTo).to.equal("model");
  });
  it("reads YAML 1.1 as Azure does, but keeps `code: .` and dates as written", () => {
    const yaml = TRAIN.replace("version: 10", "version: 2024-01-02\ncode: .\nis_deterministic: no");
    const result = loadComponent("/w/t.yml", memoryHost({ "/w/t.yml": yaml }));
    expect(result.diagnostics).to.deep.equal([]);
    const model = result.model as CommandComponentModel;
    expect(model.version).to.equal("2024-01-02");
    expect(model.code).to.equal(".");
    expect(model.isDeterministic).to.equal(false);
  });

  it("rejects a list used as a mapping key, at the key", () => {
    const result = loadYamlDocument("/w/k.yml", memoryHost({ "/w/k.yml": "type: pipeline\njobs:\n  ? [a, b]\n  : x\n" }));
    expect(codes(result.diagnostics)).to.deep.equal(["PW3106"]);
    expect(result.diagnostics[0]?.location).to.deep.equal({ file: "/w/k.yml", line: 3, column: 5 });
  });
  it("loads a pipeline job that names a pipeline component file instead of listing jobs, and refuses both at once", () => {
    const inner = "type: pipeline\nname: inner\njobs:\n  t:\n    type: command\n    component: ./train.yml\n";
    const host = memoryHost({
      "/w/job.yml": "type: pipeline\nsettings:\n  default_compute: azureml:cpu\ncomponent: ./inner.yml\n",
      "/w/both.yml": "type: pipeline\ncomponent: ./inner.yml\njobs: {}\n",
      "/w/inner.yml": inner,
      "/w/train.yml": TRAIN,
    });
    const job = loadPipelineJob("/w/job.yml", host);
    expect(job.diagnostics).to.deep.equal([]);
    expect(job.model?.pipeline.name).to.equal("inner");
    expect(job.model?.pipeline.jobs[0]?.name).to.equal("t");
    expect(codes(loadPipelineJob("/w/both.yml", host).diagnostics)).to.deep.equal(["PW3112"]);
  });
});
