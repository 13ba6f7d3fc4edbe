import { expect } from "chai";
import {
  command,
  Input,
  Output,
  pipeline,
  uriFolder,
  type NodeModel,
  type PipelineComponentModel,
  type PipelineJobModel,
} from "@pipewright/dsl";
import { checkPipelineJob } from "../src/checks/index.js";
import { siteOf, withCode } from "./support/source-site.js";

const at = (marker: string, token: string) => siteOf(import.meta.url, marker, token);
const ENV = "azureml:AzureML-sklearn-1.0@latest";

const prep = command({
  name: "prep",
  inputs: { raw: Input.uriFolder() },
  outputs: { train: Output.uriFolder(), table: Output.mltable() },
  command: "python prep.py",
  environment: ENV,
});
const train = command({
  name: "train",
  inputs: { data: Input.uriFolder(), epochs: Input.integer({ max: 10 }) },
  outputs: { model: Output.mlflowModel() },
  command: "python train.py",
  environment: ENV,
});

describe("node name checks", () => {
  it("reports node names outside ^[a-z_][a-z0-9_]*$ (PW1002) and accepts a leading underscore", () => {
    const p = pipeline({ name: "names", inputs: { raw: Input.uriFolder() } }, ({ raw }) => {
      prep({ raw }, { name: "_private" });
      prep({ raw }, { name: "Prep-Data" }); // @at:bad-node-name
      prep({ raw }, { name: "1st" }); // @at:digit-node-name
    });
    expect(withCode(checkPipelineJob(p.job({ raw: uriFolder("./d") }, { compute: "serverless" }).model), "PW1002")).to.deep.equal([
      { code: "PW1002", path: "names/Prep-Data", location: at("bad-node-name", "prep(") },
      { code: "PW1002", path: "names/1st", location: at("digit-node-name", "prep(") },
    ]);
  });

  it("reports every repeat of a node name at the repeat (PW1003)", () => {
    const p = pipeline({ name: "dups", inputs: { raw: Input.uriFolder() } }, ({ raw }) => {
      prep({ raw }, { name: "step" });
      prep({ raw }, { name: "step" }); // @at:dup-1
      prep({ raw }, { name: "step" }); // @at:dup-2
    });
    expect(withCode(checkPipelineJob(p.job({ raw: uriFolder("./d") }, { compute: "serverless" }).model), "PW1003")).to.deep.equal([
      { code: "PW1003", path: "dups/step", location: at("dup-1", "prep(") },
      { code: "PW1003", path: "dups/step", location: at("dup-2", "prep(") },
    ]);
  });
});

describe("pipeline output checks", () => {
  it("maps the DSL's recorded mistakes: not a node output (PW2010), undeclared output (PW2017), one node output twice (PW2018)", () => {
    const p = pipeline( // @at:returning-pipeline
      { name: "outs", inputs: { raw: Input.uriFolder() }, outputs: { a: Output.uriFolder(), b: Output.uriFolder(), c: Output.uriFolder() } },
      ({ raw }) => {
        const data = prep({ raw });
        return { a: data.outputs.train, b: data.outputs.train, c: raw, extra: data.outputs.train } as never;
      },
    );
    const diagnostics = checkPipelineJob(p.job({ raw: uriFolder("./d") }, { compute: "serverless" }).model);
    const where = at("returning-pipeline", "pipeline(");
    expect(diagnostics.map((d) => ({ code: d.code, path: d.path, location: d.location }))).to.deep.equal([
      { code: "PW2010", path: "outs/outputs/c", location: where },
      { code: "PW2017", path: "outs/outputs/extra", location: where },
      { code: "PW2018", path: "outs/outputs/b", location: where },
    ]);
  });

  it("reports a declared pipeline output that is never bound, at its declaration (PW2009)", () => {
    const p = pipeline(
      { name: "unbound_out", inputs: { raw: Input.uriFolder() }, outputs: { model: Output.mlflowModel(), data: Output.uriFolder() } }, // @at:unbound-output
      ({ raw }) => ({ data: prep({ raw }).outputs.train }) as never,
    );
    expect(withCode(checkPipelineJob(p.job({ raw: uriFolder("./d") }, { compute: "serverless" }).model), "PW2009")).to.deep.equal([
      { code: "PW2009", path: "unbound_out/outputs/model", location: at("unbound-output", "mlflowModel") },
    ]);
  });

  it("reports a pipeline output bound to a node output of another kind (PW2003)", () => {
    const p = pipeline(
      { name: "out_kind", inputs: { raw: Input.uriFolder() }, outputs: { folder: Output.uriFolder() } },
      ({ raw }) => {
        const data = prep({ raw }); // @at:table-producer
        return { folder: data.outputs.table } as never;
      },
    );
    expect(withCode(checkPipelineJob(p.job({ raw: uriFolder("./d") }, { compute: "serverless" }).model), "PW2003")).to.deep.equal([
      { code: "PW2003", path: "out_kind/outputs/folder", location: at("table-producer", "prep(") },
    ]);
  });

  it("reports pipeline outputs bound twice (PW2008) and bound to undeclared outputs (PW2017) in a YAML-style model", () => {
    const node = (name: string, bindTo: string): NodeModel => ({
      name,
      type: "command",
      component: prep.model,
      inputs: { raw: { kind: "parent_input", input: "raw" } },
      outputs: { train: { bindTo } },
      location: { file: "pipeline.yml", line: name === "first" ? 10 : 20, column: 3 },
    });
    const job: PipelineJobModel = {
      type: "pipeline_job",
      settings: { defaultCompute: "azureml:cpu" },
      inputs: { raw: { kind: "data", type: "uri_folder", path: "./d" } },
      outputs: {},
      pipeline: {
        type: "pipeline",
        name: "twice",
        inputs: { raw: { type: "uri_folder" } },
        outputs: { data: { type: "uri_folder" } },
        jobs: [node("first", "data"), node("second", "data"), node("third", "dta")],
      },
    };
    expect(checkPipelineJob(job).map((d) => ({ code: d.code, path: d.path, location: d.location }))).to.deep.equal([
      { code: "PW2008", path: "twice/outputs/data", location: { file: "pipeline.yml", line: 20, column: 3 } },
      { code: "PW2017", path: "twice/third/outputs/train", location: { file: "pipeline.yml", line: 20, column: 3 } },
    ]);
  });

  it("reports node output settings for undeclared outputs (PW2004) and modes outputs do not allow (PW2015)", () => {
    const p = pipeline({ name: "out_settings", inputs: { raw: Input.uriFolder() }, outputs: { model: Output.mlflowModel() } }, ({ raw }) => {
      const data = prep({ raw }, { outputs: { nope: { mode: "upload" } } as never }); // @at:unknown-output-setting
      const t = train({ data: data.outputs.train, epochs: 1 }, { outputs: { model: { mode: "ro_mount" as never } } }); // @at:bad-output-mode
      return { model: t.outputs.model };
    });
    const diagnostics = checkPipelineJob(
      p.job({ raw: uriFolder("./d") }, { compute: "serverless", outputs: { model: { mode: "download" as never }, other: {} } as never }).model, // @at:job-outputs
    );
    expect(diagnostics.map((d) => ({ code: d.code, path: d.path, location: d.location }))).to.deep.equal([
      { code: "PW2004", path: "out_settings/prep/outputs/nope", location: at("unknown-output-setting", "prep(") },
      { code: "PW2015", path: "out_settings/train/outputs/model", location: at("bad-output-mode", "train(") },
      { code: "PW2004", path: "out_settings/outputs/other", location: at("job-outputs", "job(") },
      { code: "PW2015", path: "out_settings/outputs/model", location: at("job-outputs", "job(") },
    ]);
  });
});

describe("graph checks", () => {
  it("reports a cycle at its first-declared node with the cycle path (PW2011)", () => {
    const p = pipeline({ name: "loop", inputs: { raw: Input.uriFolder() } }, ({ raw }) => {
      const forged = { ...(raw as object), __ref: "output", node: "b", output: "train" };
      const a = train({ data: forged as never, epochs: 1 }, { name: "a" }); // @at:cycle-start
      prep({ raw: a.outputs.model as never }, { name: "b" });
    });
    const diagnostics = checkPipelineJob(p.job({ raw: uriFolder("./d") }, { compute: "serverless" }).model);
    const cycles = diagnostics.filter((d) => d.code === "PW2011");
    expect(withCode(diagnostics, "PW2011")).to.deep.equal([
      { code: "PW2011", path: "loop/a", location: at("cycle-start", "train(") },
    ]);
    expect(cycles[0]?.message).to.include("a -> b -> a");
  });

  it("warns about steps with no compute, counting node, inherited, job and default compute (PW2012)", () => {
    const inner = pipeline({ name: "inner", inputs: { raw: Input.uriFolder() } }, ({ raw }) => {
      prep({ raw }); // @at:inner-prep
      prep({ raw }, { compute: "azureml:gpu" });
    });
    const outer = pipeline({ name: "outer", inputs: { raw: Input.uriFolder() } }, ({ raw }) => {
      prep({ raw }); // @at:outer-prep
      prep({ raw }, { compute: "azureml:cpu" });
      inner({ raw }, { name: "with_compute", compute: "azureml:cpu" });
      inner({ raw }, { name: "without" });
    });
    const bound = { raw: uriFolder("./d") };
    expect(withCode(checkPipelineJob(outer.job(bound).model), "PW2012")).to.deep.equal([
      { code: "PW2012", path: "outer/without/prep", location: at("inner-prep", "prep(") },
      { code: "PW2012", path: "outer/prep", location: at("outer-prep", "prep(") },
    ]);
    expect(checkPipelineJob(outer.job(bound).model).find((d) => d.code === "PW2012")?.severity).to.equal("warning");
    expect(withCode(checkPipelineJob(outer.job(bound, { compute: "azureml:cpu" }).model), "PW2012")).to.deep.equal([]);
    expect(withCode(checkPipelineJob(outer.job(bound, { settings: { defaultCompute: "serverless" } }).model), "PW2012")).to.deep.equal([]);
  });

  it("reports more than 30,000 steps counting nested pipeline nodes once per use (PW2013)", () => {
    const leaf = (i: number): NodeModel => ({ name: `s${i}`, type: "command", component: prep.model, inputs: { raw: { kind: "parent_input", input: "raw" } }, outputs: {} });
    const inner: PipelineComponentModel = {
      type: "pipeline",
      name: "inner",
      inputs: { raw: { type: "uri_folder" } },
      outputs: {},
      jobs: Array.from({ length: 199 }, (_, i) => leaf(i)),
    };
    const job = (uses: number): PipelineJobModel => ({
      type: "pipeline_job",
      compute: "azureml:cpu",
      settings: {},
      inputs: { raw: { kind: "data", type: "uri_folder", path: "./d" } },
      outputs: {},
      location: { file: "/w/job.ts", line: 3, column: 1 },
      pipeline: {
        type: "pipeline",
        name: "huge",
        inputs: { raw: { type: "uri_folder" } },
        outputs: {},
        jobs: Array.from({ length: uses }, (_, i) => ({
          name: `use_${i}`,
          type: "pipeline",
          component: inner,
          inputs: { raw: { kind: "parent_input", input: "raw" } },
          outputs: {},
        })),
      },
    });
    expect(checkPipelineJob(job(150))).to.deep.equal([]); // 150 x (1 + 199) = 30,000: at the limit
    expect(withCode(checkPipelineJob(job(151)), "PW2013")).to.deep.equal([
      { code: "PW2013", path: "huge", location: { file: "/w/job.ts", line: 3, column: 1 } },
    ]);
  });
});

describe("nested pipelines and ordering", () => {
  it("reports inside nested pipelines with paths through the pipeline node, and checks the nested component once", () => {
    const inner = pipeline({ name: "Inner", inputs: { raw: Input.uriFolder() } }, ({ raw }) => { // @at:inner-def
      train({ data: raw, epochs: 11 }); // @at:inner-train
    });
    const outer = pipeline({ name: "outer", inputs: { raw: Input.uriFolder() } }, ({ raw }) => {
      inner({ raw }, { name: "inner_node" });
      inner({ raw }, { name: "again" });
    });
    const diagnostics = checkPipelineJob(outer.job({ raw: uriFolder("./d") }, { compute: "serverless" }).model);
    expect(diagnostics.map((d) => ({ code: d.code, path: d.path, location: d.location }))).to.deep.equal([
      { code: "PW1001", path: "outer/inner_node", location: at("inner-def", "pipeline(") },
      { code: "PW2007", path: "outer/inner_node/train/inputs/epochs", location: at("inner-train", "train(") },
    ]);
  });

  it("sorts diagnostics by file, line, column, then code, then path, with unlocated ones last", () => {
    const p = pipeline({ name: "sorted", inputs: { raw: Input.uriFolder() } }, ({ raw }) => {
      train({ data: raw, epochs: 99, extra: 1 } as never, { name: "B" }); // @at:two-on-one-line
      prep({ raw }, { name: "A" }); // @at:later-line
    });
    const model = p.job({ raw: uriFolder("./d") }, { compute: "serverless" }).model;
    const unlocated: PipelineJobModel = {
      ...model,
      pipeline: {
        ...model.pipeline,
        jobs: [
          ...model.pipeline.jobs,
          { name: "Z", type: "command", component: prep.model, inputs: { raw: { kind: "parent_input", input: "raw" } }, outputs: {} },
        ],
      },
    };
    const keys = checkPipelineJob(unlocated).map((d) => `${d.code} ${d.path} ${d.location ? d.location.line : "-"}`);
    const two = at("two-on-one-line", "train(").line;
    const later = at("later-line", "prep(").line;
    expect(keys).to.deep.equal([
      `PW1002 sorted/B ${two}`,
      `PW2002 sorted/B/inputs/extra ${two}`,
      `PW2007 sorted/B/inputs/epochs ${two}`,
      `PW1002 sorted/A ${later}`,
      "PW1002 sorted/Z -",
    ]);
  });

  it("checks a YAML-style model with no locations and never throws on it", () => {
    const job: PipelineJobModel = {
      type: "pipeline_job",
      settings: {},
      inputs: { n: { kind: "literal", value: "many" } },
      outputs: {},
      pipeline: {
        type: "pipeline",
        name: "from_yaml",
        inputs: { n: { type: "integer" } },
        outputs: {},
        jobs: [
          { name: "remote", type: "command", component: { type: "reference", ref: "azureml:train:1" }, inputs: { anything: { kind: "literal", value: 1 }, up: { kind: "node_output", node: "remote", output: "x" } }, outputs: { whatever: { mode: "upload" } } },
        ],
      },
    };
    const diagnostics = checkPipelineJob(job);
    expect(diagnostics.map((d) => ({ code: d.code, path: d.path, location: d.location }))).to.deep.equal([
      { code: "PW2007", path: "from_yaml/inputs/n", location: undefined },
      { code: "PW2011", path: "from_yaml/remote", location: undefined },
      { code: "PW2012", path: "from_yaml/remote", location: undefined },
    ]);
  });

  it("returns instead of looping when a hand-built pipeline component contains itself", () => {
    const jobs: NodeModel[] = [];
    const looping: PipelineComponentModel = { type: "pipeline", name: "looping", inputs: {}, outputs: {}, jobs };
    jobs.push({ name: "again", type: "pipeline", component: looping, inputs: {}, outputs: {} });
    const model: PipelineJobModel = { type: "pipeline_job", settings: {}, inputs: {}, outputs: {}, pipeline: looping };
    expect(checkPipelineJob(model)).to.deep.equal([]);
  });
});
