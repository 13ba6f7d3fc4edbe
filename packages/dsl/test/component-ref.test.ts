import { expect } from "chai";
import { command, componentRef, ComponentCalledOutsidePipelineError, Input, Output, pipeline, type NodeModel } from "@pipewright/dsl";

const registered = componentRef("azureml:my_train@latest", {
  inputs: { data: Input.uriFolder(), epochs: Input.integer() },
  outputs: { model: Output.mlflowModel() },
});

const flags = command({ name: "flags", inputs: { on: Input.boolean() }, outputs: { out: Output.uriFolder() }, command: "x" });

function nodes(p: { model: { jobs: readonly NodeModel[] } }): readonly NodeModel[] {
  return p.model.jobs;
}

describe("componentRef and the node options imported YAML needs", () => {
  it("records a registered component as a reference with the ports it declares, and a command node using it", () => {
    const p = pipeline({ name: "p", inputs: { raw: Input.uriFolder() } }, ({ raw }) => {
      const trained = registered({ data: raw, epochs: 3 });
      registered({ data: raw, epochs: 4 }, { name: "again" });
      expect(trained.outputs.model).to.include({ __ref: "output", kind: "mlflow_model", node: "my_train", output: "model" });
    });
    const [first, second] = nodes(p);
    expect(first?.type).to.equal("command");
    expect(first?.component).to.include({ type: "reference", ref: "azureml:my_train@latest" });
    expect(first?.component.inputs?.["epochs"]?.type).to.equal("integer");
    expect(first?.component.outputs?.["model"]?.type).to.equal("mlflow_model");
    expect(first?.inputs["epochs"]).to.include({ kind: "literal", value: 3 });
    expect(second?.name).to.equal("again");
  });

  it("names nodes of a registry reference after the component, and makes pipeline nodes when told the type", () => {
    const inner = componentRef("azureml://registries/azureml/components/compute_metrics/versions/0.0.26", { type: "pipeline" });
    const p = pipeline({ name: "p" }, () => {
      inner();
    });
    expect(nodes(p).map((node) => [node.name, node.type])).to.deep.equal([["compute_metrics", "pipeline"]]);
    // Nothing declared: the model says nothing about the ports, so the compiler checks none.
    expect(nodes(p)[0]?.component).to.not.have.property("inputs");
  });

  it("binds undeclared inputs only through undeclaredInputs, and lists them on the node", () => {
    const p = pipeline({ name: "p", inputs: { raw: Input.uriFolder(), ratio: Input.number() } }, ({ raw, ratio }) => {
      registered({ data: raw, epochs: 1 }, { undeclaredInputs: { ratio, note: "x" } });
    });
    const node = nodes(p)[0];
    expect(node?.inputs["ratio"]).to.include({ kind: "parent_input", input: "ratio" });
    expect(node?.inputs["note"]).to.include({ kind: "literal", value: "x" });
    expect(node?.undeclaredInputs).to.deep.equal(["ratio", "note"]);
  });

  it("records per-node output types, services, and boolean text as written", () => {
    const p = pipeline({ name: "p" }, () => {
      flags(
        { on: "False" },
        { outputs: { out: { type: "uri_folder", mode: "upload" } }, services: { tb: { type: "tensor_board", logDir: "outputs/tb" } } },
      );
    });
    const node = nodes(p)[0];
    expect(node?.inputs["on"]).to.include({ kind: "literal", value: "False" });
    expect(node?.outputs["out"]).to.deep.equal({ type: "uri_folder", mode: "upload" });
    expect(node?.services).to.deep.equal({ tb: { type: "tensor_board", logDir: "outputs/tb" } });
    expect(Object.isFrozen(node?.services?.["tb"])).to.equal(true);
  });

  it("refuses a reference called outside a pipeline body, naming the component", () => {
    expect(() => registered({ data: "x" as never, epochs: 1 })).to.throw(ComponentCalledOutsidePipelineError, "'my_train'");
  });
});
