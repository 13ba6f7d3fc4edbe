import { expect } from "chai";
import { command, Input, Output, pipeline, uriFolder, type CommandComponentModel } from "@pipewright/dsl";
import { checkPipelineJob } from "../src/checks/index.js";
import { siteOf, withCode } from "./support/source-site.js";

const at = (marker: string, token: string) => siteOf(import.meta.url, marker, token);
const ENV = "azureml:AzureML-sklearn-1.0@latest";

describe("component checks", () => {
  it("reports a component name outside ^[a-z][a-z0-9_]*$ at the component's declaration (PW1001)", () => {
    const bad = command({ name: "Train-Model", command: "python train.py", environment: ENV }); // @at:bad-name
    const good = command({ name: "prep_2", command: "python prep.py", environment: ENV });
    const p = pipeline({ name: "names" }, () => {
      good();
      bad({}, { name: "train" });
    });
    const diagnostics = checkPipelineJob(p.job({}, { compute: "serverless" }).model);
    expect(withCode(diagnostics, "PW1001")).to.deep.equal([
      { code: "PW1001", path: "names/train", location: at("bad-name", "command(") },
    ]);
  });

  it("exempts anonymous components (YAML files referenced by path) from the name rule", () => {
    const bad = command({ name: "r-iris-example", command: "Rscript iris.R", environment: ENV });
    const p = pipeline({ name: "anon" }, () => {
      bad({}, { name: "iris" });
    });
    const job = p.job({}, { compute: "serverless" }).model;
    expect(withCode(checkPipelineJob(job), "PW1001")).to.have.length(1);
    const diagnostics = checkPipelineJob(job, { isAnonymousComponent: (component) => component.name === "r-iris-example" });
    expect(withCode(diagnostics, "PW1001")).to.deep.equal([]);
  });

  it("checks a component used by many nodes once, at its first use", () => {
    const bad = command({ name: "Bad", command: "true", environment: ENV });
    const p = pipeline({ name: "many" }, () => {
      bad({}, { name: "one" });
      bad({}, { name: "two" });
    });
    expect(withCode(checkPipelineJob(p.job({}, { compute: "serverless" }).model), "PW1001").map((d) => d.path)).to.deep.equal([
      "many/one",
    ]);
  });

  it("reports port names that are not valid keys, at the port (PW1004)", () => {
    const step = command({
      name: "step",
      inputs: {
        "raw-data": Input.uriFolder(), // @at:bad-input-name
        group_a: Input.string({ optional: true }),
        "grouped.param": Input.integer({ optional: true }),
      },
      outputs: { "1st": Output.uriFolder() }, // @at:bad-output-name
      command: "python step.py",
      environment: ENV,
    });
    const p = pipeline({ name: "ports", inputs: { "in put": Input.string({ optional: true }) } }, () => { // @at:bad-pipeline-input
      step({ "raw-data": uriFolder("./data") } as never);
    });
    expect(withCode(checkPipelineJob(p.job({}, { compute: "serverless" }).model), "PW1004")).to.deep.equal([
      { code: "PW1004", path: "ports/step/inputs/raw-data", location: at("bad-input-name", "uriFolder") },
      { code: "PW1004", path: "ports/step/outputs/1st", location: at("bad-output-name", "uriFolder") },
      { code: "PW1004", path: "ports/inputs/in put", location: at("bad-pipeline-input", "string") },
    ]);
  });

  it("reports defaults outside their kind, min, max or enum (PW1005)", () => {
    const step = command({
      name: "step",
      inputs: {
        ok_number: Input.number({ default: 0.5, min: 0, max: 1 }),
        ok_quoted: Input.integer({ default: "3" as never }),
        too_high: Input.number({ default: 2, min: 0, max: 1 }), // @at:too-high
        too_low: Input.integer({ default: -1, min: 0 }), // @at:too-low
        fraction: Input.integer({ default: 1.5 }), // @at:fraction
        not_listed: Input.string({ default: "c", enum: ["a", "b"] }), // @at:not-listed
        wrong_type: Input.boolean({ default: 1 as never }), // @at:wrong-type
        data_default: Input.uriFolder({ default: 5 as never }), // @at:data-default
      },
      command: "python step.py",
      environment: ENV,
    });
    const p = pipeline({ name: "defaults" }, () => {
      step({ data_default: uriFolder("./d") });
    });
    expect(withCode(checkPipelineJob(p.job({}, { compute: "serverless" }).model), "PW1005")).to.deep.equal([
      { code: "PW1005", path: "defaults/step/inputs/too_high", location: at("too-high", "number") },
      { code: "PW1005", path: "defaults/step/inputs/too_low", location: at("too-low", "integer") },
      { code: "PW1005", path: "defaults/step/inputs/fraction", location: at("fraction", "integer") },
      { code: "PW1005", path: "defaults/step/inputs/not_listed", location: at("not-listed", "string") },
      { code: "PW1005", path: "defaults/step/inputs/wrong_type", location: at("wrong-type", "boolean") },
      { code: "PW1005", path: "defaults/step/inputs/data_default", location: at("data-default", "uriFolder") },
    ]);
  });

  it("reports port modes the kind does not allow (PW1006)", () => {
    const step = command({
      name: "step",
      inputs: {
        folder: Input.uriFolder({ mode: "ro_mount" }),
        table: Input.mltable({ mode: "eval_mount" }),
        uploaded: Input.uriFile({ mode: "upload" as never }), // @at:input-upload
        count: Input.integer({ mode: "download" } as never), // @at:primitive-mode
      },
      outputs: {
        out: Output.uriFolder({ mode: "rw_mount" }),
        model: Output.mlflowModel({ mode: "ro_mount" as never }), // @at:output-ro
      },
      command: "python step.py",
      environment: ENV,
    });
    const p = pipeline({ name: "modes" }, () => {
      step({ folder: uriFolder("./a"), table: uriFolder("./t"), uploaded: uriFolder("./u"), count: 1 } as never);
    });
    expect(withCode(checkPipelineJob(p.job({}, { compute: "serverless" }).model), "PW1006")).to.deep.equal([
      { code: "PW1006", path: "modes/step/inputs/uploaded", location: at("input-upload", "uriFile") },
      { code: "PW1006", path: "modes/step/inputs/count", location: at("primitive-mode", "integer") },
      { code: "PW1006", path: "modes/step/outputs/model", location: at("output-ro", "mlflowModel") },
    ]);
  });

  it("reports unknown port kinds (PW1007) and accepts the legacy path kind", () => {
    const model: CommandComponentModel = {
      type: "command",
      name: "legacy",
      inputs: { old: { type: "path" }, weird: { type: "dataframe" } },
      outputs: { out: { type: "blob" } },
      command: "run",
      environment: ENV,
    };
    const diagnostics = checkPipelineJob({
      type: "pipeline_job",
      settings: { defaultCompute: "serverless" },
      inputs: {},
      outputs: {},
      pipeline: {
        type: "pipeline",
        name: "kinds",
        inputs: {},
        outputs: {},
        jobs: [{ name: "legacy", type: "command", component: model, inputs: { old: { kind: "data", type: "uri_folder", path: "./x" }, weird: { kind: "literal", value: 1 } }, outputs: {} }],
      },
    });
    expect(withCode(diagnostics, "PW1007")).to.deep.equal([
      { code: "PW1007", path: "kinds/legacy/inputs/weird", location: undefined },
      { code: "PW1007", path: "kinds/legacy/outputs/out", location: undefined },
    ]);
    expect(diagnostics.filter((d) => d.code !== "PW1007")).to.deep.equal([]);
  });

  it("reports ${{inputs.x}} and ${{outputs.y}} that name no declared port, once each (PW1008)", () => {
    const step = command({ // @at:placeholders
      name: "step",
      inputs: { data: Input.uriFolder() },
      outputs: { out: Output.uriFolder() },
      command: "python s.py ${{inputs.data}} ${{inputs.dta}} ${{ outputs.result }} ${{inputs.dta}} ${{name}} ${{outputs.out}}",
      environment: ENV,
    });
    const p = pipeline({ name: "cmd" }, () => {
      step({ data: uriFolder("./d") });
    });
    expect(withCode(checkPipelineJob(p.job({}, { compute: "serverless" }).model), "PW1008")).to.deep.equal([
      { code: "PW1008", path: "cmd/step", location: at("placeholders", "command(") },
      { code: "PW1008", path: "cmd/step", location: at("placeholders", "command(") },
    ]);
  });

  it("reports a required input inside $[[ ]] at the input's declaration (PW1009)", () => {
    const step = command({
      name: "step",
      inputs: {
        lr: Input.number({ optional: true }),
        epochs: Input.integer(), // @at:required-in-optional
        seed: Input.integer({ default: 1 }), // @at:defaulted-in-optional
      },
      command: ({ inputs, optional }) =>
        `python t.py ${optional(`--lr ${inputs.lr}`)} ${optional(`--epochs ${inputs.epochs} --seed ${inputs.seed}`)}`,
      environment: ENV,
    });
    const p = pipeline({ name: "opt" }, () => {
      step({ epochs: 3 });
    });
    expect(withCode(checkPipelineJob(p.job({}, { compute: "serverless" }).model), "PW1009")).to.deep.equal([
      { code: "PW1009", path: "opt/step", location: at("required-in-optional", "integer") },
      { code: "PW1009", path: "opt/step", location: at("defaulted-in-optional", "integer") },
    ]);
  });

  it("reports a command component without an environment (PW1010), unless an inline node supplies one", () => {
    const bare = command({ name: "bare", command: "echo hi" }); // @at:no-env
    const inline = command({ name: "inline_step", command: "echo hi", inline: true });
    const p = pipeline({ name: "env" }, () => {
      bare();
      inline({}, { environment: ENV });
      inline({}, { name: "inline_bare" }); // @at:inline-no-env
    });
    expect(withCode(checkPipelineJob(p.job({}, { compute: "serverless" }).model), "PW1010")).to.deep.equal([
      { code: "PW1010", path: "env/bare", location: at("no-env", "command(") },
      { code: "PW1010", path: "env/inline_bare", location: at("inline-no-env", "inline(") },
    ]);
  });
});
