import { expect } from "chai";
import {
  command,
  Input,
  mltable,
  Output,
  pipeline,
  uriFile,
  uriFolder,
  type NodeModel,
  type PipelineJobModel,
} from "@pipewright/dsl";
import { checkPipelineJob } from "../src/checks/index.js";
import { siteOf, withCode } from "./support/source-site.js";

const at = (marker: string, token: string) => siteOf(import.meta.url, marker, token);
const ENV = "azureml:AzureML-sklearn-1.0@latest";

const prep = command({
  name: "prep",
  inputs: { raw: Input.uriFolder() },
  outputs: { train: Output.uriFolder(), table: Output.mltable(), count: Output.integer() },
  command: "python prep.py",
  environment: ENV,
});

const train = command({
  name: "train",
  inputs: {
    data: Input.uriFolder(),
    epochs: Input.integer({ min: 1, max: 100 }),
    lr: Input.number({ default: 0.1 }),
    tag: Input.string({ optional: true, enum: ["a", "b"] }),
    flag: Input.boolean({ optional: true }),
  },
  outputs: { model: Output.mlflowModel() },
  command: "python train.py",
  environment: ENV,
});

const score = command({
  name: "score",
  inputs: { table: Input.mltable(), file: Input.uriFile({ optional: true }) },
  command: "python score.py",
  environment: ENV,
});

function check(job: { model: PipelineJobModel }) {
  return checkPipelineJob(job.model);
}

describe("wiring checks", () => {
  it("accepts a well-wired pipeline without any diagnostic", () => {
    const p = pipeline(
      { name: "ok", inputs: { raw: Input.uriFolder(), epochs: Input.integer({ default: 2 }) }, outputs: { model: Output.mlflowModel() } },
      ({ raw, epochs }) => {
        const data = prep({ raw });
        const t = train({ data: data.outputs.train, epochs, lr: data.outputs.count, tag: "a", flag: true });
        score({ table: data.outputs.table });
        score({ table: mltable("azureml:taxi:1") });
        score({ table: uriFolder("./folder-with-MLTable") });
        return { model: t.outputs.model };
      },
    );
    expect(check(p.job({ raw: uriFolder("./data") }, { compute: "serverless" }))).to.deep.equal([]);
  });

  it("reports unbound required inputs of nodes and of the job (PW2001)", () => {
    const p = pipeline({ name: "unbound", inputs: { raw: Input.uriFolder(), n: Input.integer({ optional: true }) } }, ({ raw }) => {
      const data = prep({ raw });
      train({ data: data.outputs.train } as never); // @at:missing-epochs
    });
    const diagnostics = check(p.job({} as never, { compute: "serverless" })); // @at:missing-raw
    expect(withCode(diagnostics, "PW2001")).to.deep.equal([
      { code: "PW2001", path: "unbound/train/inputs/epochs", location: at("missing-epochs", "train(") },
      { code: "PW2001", path: "unbound/inputs/raw", location: at("missing-raw", "job(") },
    ]);
  });

  it("reports inputs the component or pipeline does not declare (PW2002)", () => {
    const p = pipeline({ name: "unknown_inputs", inputs: { raw: Input.uriFolder() } }, ({ raw }) => {
      prep({ raw, extra: 1 } as never); // @at:extra-input
    });
    const diagnostics = check(p.job({ raw: uriFolder("./d"), nope: 3 } as never, { compute: "serverless" })); // @at:extra-job-input
    expect(withCode(diagnostics, "PW2002")).to.deep.equal([
      { code: "PW2002", path: "unknown_inputs/prep/inputs/extra", location: at("extra-input", "prep(") },
      { code: "PW2002", path: "unknown_inputs/inputs/nope", location: at("extra-job-input", "job(") },
    ]);
  });

  it("reports kind mismatches for node outputs, pipeline inputs and data, and allows integer into number (PW2003)", () => {
    const p = pipeline(
      { name: "kinds", inputs: { raw: Input.uriFolder(), folder: Input.uriFolder(), count: Input.integer() } },
      ({ raw, folder, count }) => {
        const data = prep({ raw });
        train({ data: data.outputs.table, epochs: count, lr: count } as never); // @at:table-into-folder
        train({ data: raw, epochs: data.outputs.train } as never); // @at:folder-into-integer
        score({ table: folder } as never); // @at:folder-input-into-table
        score({ table: data.outputs.train } as never); // @at:folder-output-into-table
        score({ table: mltable("azureml:t:1"), file: uriFolder("./dir") } as never); // @at:folder-data-into-file
        train({ data: 5, epochs: 1 } as never); // @at:literal-into-data
      },
    );
    const diagnostics = check(p.job({ raw: uriFolder("./d"), folder: uriFolder("./f"), count: 3 }, { compute: "serverless" }));
    expect(withCode(diagnostics, "PW2003")).to.deep.equal([
      { code: "PW2003", path: "kinds/train/inputs/data", location: at("table-into-folder", "train(") },
      { code: "PW2003", path: "kinds/train_1/inputs/epochs", location: at("folder-into-integer", "train(") },
      { code: "PW2003", path: "kinds/score/inputs/table", location: at("folder-input-into-table", "score(") },
      { code: "PW2003", path: "kinds/score_1/inputs/table", location: at("folder-output-into-table", "score(") },
      { code: "PW2003", path: "kinds/score_2/inputs/file", location: at("folder-data-into-file", "uriFolder") },
      { code: "PW2003", path: "kinds/train_2/inputs/data", location: at("literal-into-data", "train(") },
    ]);
  });

  it("reports a job input given data of another kind or a literal for a data input (PW2003)", () => {
    const p = pipeline({ name: "job_kinds", inputs: { raw: Input.uriFolder(), n: Input.integer() } }, ({ raw, n }) => {
      train({ data: raw, epochs: n });
    });
    const diagnostics = check(p.job({ raw: mltable("./table"), n: uriFolder("./x") } as never, { compute: "serverless" })); // @at:job-kinds
    expect(withCode(diagnostics, "PW2003")).to.deep.equal([
      { code: "PW2003", path: "job_kinds/inputs/raw", location: at("job-kinds", "mltable") },
      { code: "PW2003", path: "job_kinds/inputs/n", location: at("job-kinds", "uriFolder") },
    ]);
  });

  it("accepts a single file as concrete data for a uri_folder input, as Azure does (basics/4b, 4c)", () => {
    const p = pipeline({ name: "file_data", inputs: { raw: Input.uriFolder() } }, ({ raw }) => {
      train({ data: uriFile("https://example.org/data.csv"), epochs: 1 });
      train({ data: raw, epochs: 2 });
    });
    const diagnostics = check(p.job({ raw: uriFile("./one.csv") }, { compute: "serverless" }));
    expect(withCode(diagnostics, "PW2003")).to.deep.equal([]);
  });

  it("reports a binding to an output the producing component does not declare (PW2004)", () => {
    const p = pipeline({ name: "outputs", inputs: { raw: Input.uriFolder() } }, ({ raw }) => {
      const data = prep({ raw });
      train({ data: (data.outputs as unknown as Record<string, never>)["features"] as never, epochs: 1 }); // @at:missing-output
    });
    expect(withCode(check(p.job({ raw: uriFolder("./d") }, { compute: "serverless" })), "PW2004")).to.deep.equal([
      { code: "PW2004", path: "outputs/train/inputs/data", location: at("missing-output", "train(") },
    ]);
  });

  it("reports bindings to unknown nodes (PW2005) and unknown pipeline inputs (PW2006) in a YAML-style model", () => {
    const node = (name: string, inputs: NodeModel["inputs"]): NodeModel => ({
      name,
      type: "command",
      component: train.model,
      inputs: { epochs: { kind: "literal", value: 1 }, ...inputs },
      outputs: {},
    });
    const diagnostics = checkPipelineJob({
      type: "pipeline_job",
      compute: "azureml:cpu",
      settings: {},
      inputs: {},
      outputs: {},
      pipeline: {
        type: "pipeline",
        name: "yaml_refs",
        inputs: { raw: { type: "uri_folder", optional: true } },
        outputs: {},
        jobs: [
          node("a", { data: { kind: "node_output", node: "ghost", output: "out" } }),
          node("b", { data: { kind: "parent_input", input: "rwa" } }),
          node("c", { data: { kind: "parent_input", input: "raw" } }),
          node("d", { data: { kind: "raw", value: "${{parent.jobs.a}}" } }),
        ],
      },
    });
    expect(diagnostics.map((d) => ({ code: d.code, path: d.path, location: d.location }))).to.deep.equal([
      { code: "PW2005", path: "yaml_refs/a/inputs/data", location: undefined },
      { code: "PW2006", path: "yaml_refs/b/inputs/data", location: undefined },
    ]);
  });

  it("reports literal values outside their kind, min or max (PW2007), and outside an enum as a warning (PW2020), at nodes and jobs", () => {
    const p = pipeline({ name: "values", inputs: { raw: Input.uriFolder(), epochs: Input.integer({ min: 1 }) } }, ({ raw }) => {
      train({ data: raw, epochs: 0 }); // @at:below-min
      train({ data: raw, epochs: 2.5 }); // @at:not-integer
      train({ data: raw, epochs: 5, tag: "c" } as never); // @at:not-in-enum
      train({ data: raw, epochs: 5, lr: "fast" } as never); // @at:not-number
      train({ data: raw, epochs: "7", lr: "0.5", flag: "true" } as never);
    });
    const diagnostics = check(p.job({ raw: uriFolder("./d"), epochs: 0 }, { compute: "serverless" })); // @at:job-below-min
    expect(withCode(diagnostics, "PW2007")).to.deep.equal([
      { code: "PW2007", path: "values/train/inputs/epochs", location: at("below-min", "train(") },
      { code: "PW2007", path: "values/train_1/inputs/epochs", location: at("not-integer", "train(") },
      { code: "PW2007", path: "values/train_3/inputs/lr", location: at("not-number", "train(") },
      { code: "PW2007", path: "values/inputs/epochs", location: at("job-below-min", "job(") },
    ]);
    // Azure's SDK checks a literal's type, min and max but not its enum (Input._validate_or_throw).
    expect(withCode(diagnostics, "PW2020")).to.deep.equal([
      { code: "PW2020", path: "values/train_2/inputs/tag", location: at("not-in-enum", "train(") },
    ]);
    expect(diagnostics.find((d) => d.code === "PW2020")?.severity).to.equal("warning");
  });

  it("reports values that cannot be bound: objects, handles from another body, node outputs at job level (PW2014)", () => {
    let leaked: unknown;
    const inner = pipeline({ name: "inner", inputs: { raw: Input.uriFolder() } }, ({ raw }) => {
      leaked = prep({ raw }).outputs.train;
    });
    const outer = pipeline({ name: "outer", inputs: { raw: Input.uriFolder() } }, ({ raw }) => {
      inner({ raw });
      train({ data: leaked as never, epochs: 1 }); // @at:foreign-handle
      train({ data: raw, epochs: { value: 1 } as never }); // @at:object-value
    });
    const diagnostics = check(outer.job({ raw: uriFolder("./d") }, { compute: "serverless" }));
    expect(withCode(diagnostics, "PW2014")).to.deep.equal([
      { code: "PW2014", path: "outer/train/inputs/data", location: at("foreign-handle", "train(") },
      { code: "PW2014", path: "outer/train_1/inputs/epochs", location: at("object-value", "train(") },
    ]);
    const yamlJob: PipelineJobModel = {
      ...outer.job({ raw: uriFolder("./d") }).model,
      inputs: { raw: { kind: "node_output", node: "inner", output: "x" } },
    };
    expect(withCode(checkPipelineJob(yamlJob), "PW2014").map((d) => d.path)).to.include("outer/inputs/raw");
  });

  it("reports data bound with a mode its kind does not allow (PW2016)", () => {
    const p = pipeline({ name: "data_modes", inputs: { raw: Input.uriFolder(), table: Input.mltable() } }, ({ raw, table }) => {
      train({ data: uriFolder("./d", { mode: "upload" as never }), epochs: 1 }); // @at:node-data-mode
      train({ data: raw, epochs: 1 });
      score({ table });
    });
    const diagnostics = check(
      p.job({ raw: uriFolder("./d", { mode: "rw_mount" as never }), table: mltable("azureml:t:1", { mode: "eval_mount" }) }, { compute: "serverless" }), // @at:job-data-mode
    );
    expect(withCode(diagnostics, "PW2016")).to.deep.equal([
      { code: "PW2016", path: "data_modes/train/inputs/data", location: at("node-data-mode", "uriFolder") },
      { code: "PW2016", path: "data_modes/inputs/raw", location: at("job-data-mode", "uriFolder") },
    ]);
  });
});
