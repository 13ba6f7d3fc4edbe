import { expect } from "chai";
import {
  command,
  ComponentCalledOutsidePipelineError,
  Input,
  isPipelineJob,
  Output,
  pipeline,
  uriFolder,
  type NodeModel,
} from "@pipewright/dsl";

const HERE = new URL(import.meta.url).pathname;

const prep = command({
  name: "prep",
  inputs: { raw: Input.uriFolder(), split: Input.number({ default: 0.2, min: 0, max: 1 }) },
  outputs: { train: Output.uriFolder(), test: Output.uriFolder() },
  environment: "azureml:AzureML-sklearn-1.0@latest",
  code: "./src",
  command: ({ inputs, outputs, optional }) =>
    `python prep.py --raw ${inputs.raw} ${optional(`--split ${inputs.split}`)} --train ${outputs.train}`,
});

const train = command({
  name: "train",
  inputs: { data: Input.uriFolder(), lr: Input.number() },
  outputs: { model: Output.mlflowModel() },
  environment: "azureml:AzureML-sklearn-1.0@latest",
  command: "python train.py --data ${{inputs.data}} --lr ${{inputs.lr}} --model ${{outputs.model}}",
});

function nodeNamed(nodes: readonly NodeModel[], name: string): NodeModel {
  const node = nodes.find((n) => n.name === name);
  if (!node) throw new Error(`no node ${name} among ${nodes.map((n) => n.name).join(", ")}`);
  return node;
}

describe("the DSL", () => {
  it("renders a typed command builder into Azure's placeholder syntax", () => {
    expect(prep.model.command).to.equal(
      "python prep.py --raw ${{inputs.raw}} $[[--split ${{inputs.split}}]] --train ${{outputs.train}}",
    );
  });

  it("records port declarations with their options and the declaring file", () => {
    expect(prep.model.inputs["split"]).to.include({ type: "number", default: 0.2, min: 0, max: 1 });
    expect(prep.model.inputs["split"]?.location?.file).to.equal(HERE);
    expect(prep.model.baseDir).to.equal(HERE.slice(0, HERE.lastIndexOf("/")));
  });

  it("adds a node per component call and wires outputs by node and port name", () => {
    const p = pipeline(
      { name: "flow", inputs: { raw: Input.uriFolder() }, outputs: { model: Output.mlflowModel() } },
      ({ raw }) => {
        const a = prep({ raw });
        const t = train({ data: a.outputs.train, lr: 0.5 });
        return { model: t.outputs.model };
      },
    );
    const [first, second] = p.model.jobs;
    expect(first?.name).to.equal("prep");
    expect(first?.inputs["raw"]).to.include({ kind: "parent_input", input: "raw" });
    expect(second?.inputs["data"]).to.include({ kind: "node_output", node: "prep", output: "train" });
    expect(second?.inputs["lr"]).to.include({ kind: "literal", value: 0.5 });
    expect(second?.outputs["model"]?.bindTo).to.equal("model");
    expect(Object.isFrozen(p.model.jobs)).to.equal(true);
  });

  it("names repeated nodes after the component with a numeric suffix, and keeps explicit names", () => {
    const p = pipeline({ name: "rep", inputs: { raw: Input.uriFolder() } }, ({ raw }) => {
      prep({ raw });
      prep({ raw });
      prep({ raw }, { name: "custom" });
      prep({ raw });
    });
    expect(p.model.jobs.map((n) => n.name)).to.deep.equal(["prep", "prep_1", "custom", "prep_2"]);
    expect(p.model.jobs.map((n) => n.naming)).to.deep.equal(["default", "default", "explicit", "default"]);
  });

  it("records node overrides", () => {
    const p = pipeline({ name: "ovr", inputs: { raw: Input.uriFolder() } }, ({ raw }) => {
      prep(
        { raw },
        {
          compute: "azureml:gpu",
          timeout: 60,
          environmentVariables: { A: "1" },
          resources: { instanceCount: 2 },
          distribution: { type: "pytorch", processCountPerInstance: 4 },
          displayName: "Prep",
          outputs: { train: { mode: "upload", path: "azureml://datastores/ds/paths/x" } },
        },
      );
    });
    const node = nodeNamed(p.model.jobs, "prep");
    expect(node).to.deep.include({ compute: "azureml:gpu", limits: { timeout: 60 }, displayName: "Prep" });
    expect(node.resources).to.deep.equal({ instanceCount: 2 });
    expect(node.distribution).to.deep.equal({ type: "pytorch", processCountPerInstance: 4 });
    expect(node.outputs["train"]).to.deep.equal({ mode: "upload", path: "azureml://datastores/ds/paths/x" });
  });

  it("makes a pipeline called inside another pipeline a pipeline node", () => {
    const inner = pipeline(
      { name: "inner", inputs: { d: Input.uriFolder() }, outputs: { o: Output.uriFolder() } },
      ({ d }) => ({ o: prep({ raw: d }).outputs.train }),
    );
    const outer = pipeline({ name: "outer", inputs: { raw: Input.uriFolder() } }, ({ raw }) => {
      inner({ d: raw });
    });
    const node = nodeNamed(outer.model.jobs, "inner");
    expect(node.type).to.equal("pipeline");
    expect(node.component).to.equal(inner.model);
  });

  it("binds a pipeline into a job with data references resolved against the declaring file", () => {
    const p = pipeline(
      { name: "j", inputs: { raw: Input.uriFolder(), n: Input.integer({ default: 1 }) }, settings: { defaultCompute: "azureml:cpu" } },
      ({ raw }) => {
        prep({ raw });
      },
    );
    const job = p.job({ raw: uriFolder("./data", { mode: "download" }), n: 3 }, { experimentName: "exp", settings: { forceRerun: true } });
    expect(isPipelineJob(job)).to.equal(true);
    expect(job.model.inputs["raw"]).to.include({ kind: "data", type: "uri_folder", path: "./data", mode: "download" });
    expect((job.model.inputs["raw"] as { baseDir?: string }).baseDir).to.equal(HERE.slice(0, HERE.lastIndexOf("/")));
    expect(job.model.inputs["n"]).to.include({ kind: "literal", value: 3 });
    expect(job.model.settings).to.deep.equal({ defaultCompute: "azureml:cpu", forceRerun: true });
    expect(job.model.experimentName).to.equal("exp");
  });

  it("takes a path string for a data job input as data of the input's kind", () => {
    const p = pipeline({ name: "s", inputs: { raw: Input.uriFolder() } }, ({ raw }) => {
      prep({ raw });
    });
    expect(p.job({ raw: "azureml:taxi:1" }).model.inputs["raw"]).to.include({ kind: "data", type: "uri_folder", path: "azureml:taxi:1" });
  });

  it("records what the types forbid as data for the compiler instead of throwing", () => {
    const p = pipeline({ name: "bad", inputs: { raw: Input.uriFolder() }, outputs: { out: Output.uriFolder() } }, ({ raw }) => {
      const a = prep({ raw: { not: "a ref" } as never });
      // Reading an undeclared output yields a handle the compiler reports as unknown.
      train({ data: (a.outputs as unknown as Record<string, never>)["missing"] as never, lr: 1 });
      return { out: raw as never };
    });
    expect(nodeNamed(p.model.jobs, "prep").inputs["raw"]?.kind).to.equal("invalid");
    expect(nodeNamed(p.model.jobs, "train").inputs["data"]).to.include({ kind: "node_output", output: "missing" });
    expect(p.model.problems?.map((x) => x.kind)).to.deep.equal(["pipeline_output_not_node_output"]);
  });

  it("marks handles from another pipeline body as invalid bindings", () => {
    let leaked: unknown;
    pipeline({ name: "a", inputs: { raw: Input.uriFolder() } }, ({ raw }) => {
      leaked = prep({ raw }).outputs.train;
    });
    const b = pipeline({ name: "b" }, () => {
      train({ data: leaked as never, lr: 1 });
    });
    expect(nodeNamed(b.model.jobs, "train").inputs["data"]?.kind).to.equal("invalid");
  });

  it("refuses a component call outside a pipeline body with an error that says what to do", () => {
    expect(() => prep({ raw: uriFolder("./x") })).to.throw(ComponentCalledOutsidePipelineError, /pipeline body/);
  });
});
