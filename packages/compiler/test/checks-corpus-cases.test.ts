// What Azure's own samples do, and Azure accepts, passes the checks; each case names its sample.
import { expect } from "chai";
import type {
  CommandComponentModel,
  NodeModel,
  OpaqueComponentModel,
  PipelineComponentModel,
  PipelineJobModel,
} from "@pipewright/dsl";
import { checkPipelineJob } from "../src/checks/index.js";

const yaml = (file: string, line: number) => ({ file: `/corpus/${file}`, line, column: 3 });

function job(pipeline: Partial<PipelineComponentModel> & { jobs: NodeModel[] }, inputs: PipelineJobModel["inputs"] = {}): PipelineJobModel {
  return {
    type: "pipeline_job",
    settings: { defaultCompute: "azureml:cpu-cluster" },
    inputs,
    outputs: {},
    pipeline: { type: "pipeline", name: "sample", inputs: {}, outputs: {}, ...pipeline },
  };
}

function commandComponent(fields: Partial<CommandComponentModel>): CommandComponentModel {
  return { type: "command", name: "step", inputs: {}, outputs: {}, command: "run", environment: "azureml:env:1", ...fields };
}

const codes = (model: PipelineJobModel) => checkPipelineJob(model).map((d) => `${d.code} ${d.path}`);

describe("checks on what Azure's own samples do", () => {
  it("treats components declared in YAML files as anonymous, so their names are not checked (basics/6c_r_iris)", () => {
    const iris = commandComponent({ name: "r-iris-example", location: yaml("6c_r_iris/component.yml", 1) });
    expect(codes(job({ jobs: [{ name: "r_iris_example", type: "command", component: iris, inputs: {}, outputs: {} }] }))).to.deep.equal([]);
    const fromCode = commandComponent({ name: "r-iris-example", location: { file: "/src/pipeline.ts", line: 4, column: 1 } });
    expect(codes(job({ jobs: [{ name: "r_iris_example", type: "command", component: fromCode, inputs: {}, outputs: {} }] }))).to.deep.equal([
      "PW1001 sample/r_iris_example",
    ]);
  });

  it("lets a model output feed a uri_folder input, but not another model kind or an mltable input (pipelines/automl)", () => {
    const automl: OpaqueComponentModel = { type: "automl", name: "", inputs: {}, outputs: { best_model: { type: "mlflow_model" } }, body: {} };
    const register = commandComponent({ name: "register", inputs: { model_input_path: { type: "uri_folder" } } });
    const strict = commandComponent({ name: "strict", inputs: { model: { type: "custom_model" }, table: { type: "mltable" } } });
    const bestModel = { kind: "node_output", node: "train", output: "best_model" } as const;
    const model = job({
      jobs: [
        { name: "train", type: "automl", component: automl, inputs: {}, outputs: {} },
        { name: "register_model_node", type: "command", component: register, inputs: { model_input_path: bestModel }, outputs: {} },
        { name: "strict_node", type: "command", component: strict, inputs: { model: bestModel, table: bestModel }, outputs: {} },
      ],
    });
    expect(codes(model)).to.deep.equal(["PW2003 sample/strict_node/inputs/model", "PW2003 sample/strict_node/inputs/table"]);
  });

  it("lets a string input take a bare YAML boolean or number, matching enum values as Python writes them (image_classification_with_densenet)", () => {
    const transform = commandComponent({
      inputs: {
        resize: { type: "string", default: true, enum: ["True", "False"] },
        label: { type: "string", default: 3 },
        center_crop: { type: "string", enum: ["True", "False"] },
      },
    });
    const model = job({
      jobs: [
        { name: "ok", type: "command", component: transform, inputs: { center_crop: { kind: "literal", value: false } }, outputs: {} },
        { name: "bad", type: "command", component: transform, inputs: { center_crop: { kind: "literal", value: 224 } }, outputs: {} },
      ],
    });
    // 224 is outside the enum: a warning, since Azure runs this sample (its SDK does not check enums).
    expect(codes(model)).to.deep.equal(["PW2020 sample/bad/inputs/center_crop"]);
  });

  it("does not report inputs a component of another kind does not list, since such kinds may take more (pipeline_job_with_flow_as_component)", () => {
    const flow: OpaqueComponentModel = { type: "flow", name: "", inputs: { text: { type: "string" } }, outputs: {}, body: {} };
    const model = job({
      jobs: [
        {
          name: "flow_node",
          type: "parallel",
          component: flow,
          inputs: { data: { kind: "data", type: "uri_folder", path: "./data" }, text: { kind: "literal", value: "${data.text}" } },
          outputs: {},
        },
      ],
    });
    expect(codes(model)).to.deep.equal([]);
  });

  it("lets a uri_file pipeline output take a uri_folder node output (basics/hello-pipeline-customize-output-file)", () => {
    const hello = commandComponent({ outputs: { output: { type: "uri_folder" } } });
    const model = job({
      outputs: { output: { type: "uri_file" }, table: { type: "mltable" } },
      jobs: [
        { name: "hello_world", type: "command", component: hello, inputs: {}, outputs: { output: { bindTo: "output" } } },
        { name: "again", type: "command", component: hello, inputs: {}, outputs: { output: { bindTo: "table" } } },
      ],
    });
    expect(codes(model)).to.deep.equal(["PW2003 sample/outputs/table"]);
  });

  it("counts a node output written to path ${{parent.outputs.x}} as binding x (automl many_models_evaluation_pipeline)", () => {
    const inference = commandComponent({ outputs: { evaluation_data: { type: "uri_file" } } });
    const model = job({
      outputs: { forecast_results: { type: "uri_file" }, unbound: { type: "uri_folder" } },
      jobs: [
        {
          name: "inference",
          type: "command",
          component: inference,
          inputs: {},
          outputs: { evaluation_data: { type: "uri_file", path: "${{parent.outputs.forecast_results}}" } },
        },
      ],
    });
    expect(codes(model)).to.deep.equal(["PW2009 sample/outputs/unbound"]);
  });
});
