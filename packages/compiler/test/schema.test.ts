import { expect } from "chai";
import {
  detectDocumentKind, validateAzureDocument, type AzureSchemaKind, type AzureValidateOptions,
} from "@pipewright/compiler";

type Doc = Record<string, unknown>;

function commandComponent(overrides: Doc = {}): Doc {
  return {
    $schema: "https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json",
    type: "command",
    name: "train_model",
    version: 1,
    inputs: {
      training_data: { type: "uri_folder" },
      learning_rate: { type: "number", default: 0.01, min: 0, max: 1 },
    },
    outputs: { model_output: { type: "mlflow_model" } },
    code: "./src",
    environment: "azureml://registries/azureml/environments/sklearn-1.5/labels/latest",
    command: "python train.py --data ${{inputs.training_data}} --out ${{outputs.model_output}}",
    ...overrides,
  };
}

function pipelineJob(overrides: Doc = {}): Doc {
  return {
    $schema: "https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json",
    type: "pipeline",
    inputs: { raw: { type: "uri_folder", path: "./data" }, rate: 0.1 },
    outputs: { model: { mode: "upload" } },
    settings: { default_compute: "azureml:cpu-cluster" },
    jobs: {
      train: {
        type: "command",
        component: "./train.yml",
        inputs: { training_data: "${{parent.inputs.raw}}", learning_rate: "${{parent.inputs.rate}}" },
        outputs: { model_output: "${{parent.outputs.model}}" },
      },
    },
    ...overrides,
  };
}

/** The paths of the issues, or [] when the document is valid. */
function issuePaths(doc: unknown, kind: AzureSchemaKind, options: AzureValidateOptions = {}): string[] {
  const result = validateAzureDocument(doc, kind, options);
  return result.ok ? [] : result.issues.map((issue) => issue.path);
}

describe("the Azure ML schema", () => {
  describe("baseline", () => {
    it("accepts a complete command component and pipeline job", () => {
      expect(issuePaths(commandComponent(), "command_component")).to.deep.equal([]);
      expect(issuePaths(pipelineJob(), "pipeline_job")).to.deep.equal([]);
      expect(issuePaths(commandComponent(), "command_component", { strict: true })).to.deep.equal([]);
      expect(issuePaths(pipelineJob(), "pipeline_job", { strict: true })).to.deep.equal([]);
    });

    it("rejects a document that is not a mapping, at the document itself", () => {
      const result = validateAzureDocument(["a"], "pipeline_job");
      expect(result.ok).to.equal(false);
      if (!result.ok) expect(result.issues[0]?.path).to.equal("");
    });
  });

  describe("names", () => {
    it("rejects a registered component name with a hyphen or a capital, at name", () => {
      expect(issuePaths(commandComponent({ name: "train-model" }), "command_component")).to.deep.equal(["name"]);
      expect(issuePaths(commandComponent({ name: "Train" }), "command_component")).to.deep.equal(["name"]);
      expect(issuePaths(commandComponent({ name: "1train" }), "command_component")).to.deep.equal(["name"]);
    });

    it("requires a name for a registered component but not for an anonymous one", () => {
      const { name: _name, ...nameless } = commandComponent();
      expect(issuePaths(nameless, "command_component")).to.deep.equal(["name"]);
      expect(issuePaths(nameless, "command_component", { anonymous: true })).to.deep.equal([]);
    });

    it("lets an anonymous component (referenced by path) keep a name Azure would reject", () => {
      expect(issuePaths(commandComponent({ name: "r-iris-example" }), "command_component", { anonymous: true })).to.deep.equal([]);
    });

    it("rejects a node name with capital letters, at that node", () => {
      const doc = pipelineJob({ jobs: { Train: { component: "./train.yml" } } });
      expect(issuePaths(doc, "pipeline_job")).to.deep.equal(["jobs.Train"]);
    });

    it("accepts a node name that starts with an underscore", () => {
      expect(issuePaths(pipelineJob({ jobs: { _prep: { component: "./prep.yml" } } }), "pipeline_job")).to.deep.equal([]);
    });
  });

  describe("modes per kind", () => {
    it("rejects a job-level uri_folder input in upload mode", () => {
      const doc = pipelineJob({ inputs: { raw: { type: "uri_folder", path: "./data", mode: "upload" } } });
      expect(issuePaths(doc, "pipeline_job")).to.deep.equal(["inputs.raw.mode"]);
    });

    it("accepts eval_mount for an mltable input but not for a uri_file input", () => {
      const ok = pipelineJob({ inputs: { t: { type: "mltable", path: "./t", mode: "eval_mount" } } });
      const bad = pipelineJob({ inputs: { t: { type: "uri_file", path: "./t.csv", mode: "eval_mount" } } });
      expect(issuePaths(ok, "pipeline_job")).to.deep.equal([]);
      expect(issuePaths(bad, "pipeline_job")).to.deep.equal(["inputs.t.mode"]);
    });

    it("rejects a node input mapping whose mode does not fit its kind", () => {
      const doc = pipelineJob();
      const train = (doc["jobs"] as Doc)["train"] as Doc;
      train["inputs"] = { training_data: { type: "mlflow_model", path: "azureml:m:1", mode: "eval_download" } };
      expect(issuePaths(doc, "pipeline_job")).to.deep.equal(["jobs.train.inputs.training_data.mode"]);
    });

    it("rejects a job-level output in download mode", () => {
      expect(issuePaths(pipelineJob({ outputs: { model: { mode: "download" } } }), "pipeline_job")).to.deep.equal(["outputs.model.mode"]);
    });

    it("rejects a mode on a parameter port, which has no mode at all", () => {
      const doc = commandComponent({ inputs: { learning_rate: { type: "number", mode: "ro_mount" } } });
      expect(issuePaths(doc, "command_component")).to.deep.equal(["inputs.learning_rate.mode"]);
    });

    it("accepts link mode on a component port (component level only)", () => {
      const doc = commandComponent({ inputs: { training_data: { type: "uri_folder", mode: "link" } } });
      expect(issuePaths(doc, "command_component")).to.deep.equal([]);
    });

    it("ignores case of job-level enums as Azure does, except in strict mode", () => {
      const doc = pipelineJob({ inputs: { raw: { type: "Uri_Folder", path: "./data", mode: "RO_MOUNT" } } });
      expect(issuePaths(doc, "pipeline_job")).to.deep.equal([]);
      expect(issuePaths(doc, "pipeline_job", { strict: true })).to.deep.equal(["inputs.raw.type"]);
      const upperMode = pipelineJob({ inputs: { raw: { type: "uri_folder", path: "./data", mode: "RO_MOUNT" } } });
      expect(issuePaths(upperMode, "pipeline_job", { strict: true })).to.deep.equal(["inputs.raw.mode"]);
    });

    it("keeps component port types case-sensitive", () => {
      const doc = commandComponent({ inputs: { training_data: { type: "Uri_Folder" } } });
      expect(issuePaths(doc, "command_component")).to.deep.equal(["inputs.training_data.type"]);
    });
  });

  describe("command components", () => {
    it("rejects a component without a command, at command", () => {
      const { command: _command, ...doc } = commandComponent();
      expect(issuePaths(doc, "command_component")).to.deep.equal(["command"]);
    });

    it("rejects an unknown distribution type, at distribution.type", () => {
      const doc = commandComponent({ distribution: { type: "horovod", process_count_per_instance: 2 } });
      expect(issuePaths(doc, "command_component")).to.deep.equal(["distribution.type"]);
    });

    it("accepts each known distribution type", () => {
      for (const distribution of [
        { type: "mpi", process_count_per_instance: 1 },
        { type: "pytorch", process_count_per_instance: 4 },
        { type: "tensorflow", worker_count: 2, parameter_server_count: 1 },
        { type: "ray" },
      ]) {
        expect(issuePaths(commandComponent({ distribution }), "command_component")).to.deep.equal([]);
      }
    });

    it("rejects a workspace code asset without a version", () => {
      expect(issuePaths(commandComponent({ code: "azureml:my_code" }), "command_component")).to.deep.equal(["code"]);
      expect(issuePaths(commandComponent({ code: "azureml:my_code:3" }), "command_component")).to.deep.equal([]);
    });

    it("rejects an environment string that is not an azureml reference", () => {
      expect(issuePaths(commandComponent({ environment: "python:3.10" }), "command_component")).to.deep.equal(["environment"]);
      expect(issuePaths(commandComponent({ environment: "azureml:my-env" }), "command_component")).to.deep.equal([]);
    });

    it("rejects conda channels at the top of an inline environment and image together with build", () => {
      const conda = commandComponent({ environment: { image: "python:3.10", channels: ["defaults"] } });
      const both = commandComponent({ environment: { image: "python:3.10", build: { path: "./docker" } } });
      expect(issuePaths(conda, "command_component")).to.deep.equal(["environment.channels"]);
      expect(issuePaths(both, "command_component")).to.deep.equal(["environment.build"]);
    });

    it("accepts resources keys Azure keeps but rejects a wrongly typed one", () => {
      const kept = commandComponent({ resources: { instance_count: 2, shm_size: "8g", future_key: true } });
      const wrong = commandComponent({ resources: { instance_count: "two" } });
      expect(issuePaths(kept, "command_component")).to.deep.equal([]);
      expect(issuePaths(wrong, "command_component")).to.deep.equal(["resources.instance_count"]);
    });

    it("allows is_control on a primitive output but not on a data output", () => {
      const primitive = commandComponent({ outputs: { flag: { type: "boolean", is_control: true } } });
      const data = commandComponent({ outputs: { model_output: { type: "uri_folder", is_control: true } } });
      expect(issuePaths(primitive, "command_component")).to.deep.equal([]);
      expect(issuePaths(data, "command_component")).to.deep.equal(["outputs.model_output.is_control"]);
    });

    it("accepts environment_variables on a component as Azure does (ignored), but not in strict mode", () => {
      const doc = commandComponent({ environment_variables: {} });
      expect(issuePaths(doc, "command_component")).to.deep.equal([]);
      expect(issuePaths(doc, "command_component", { strict: true })).to.deep.equal(["environment_variables"]);
    });

    it("rejects the retired object port type", () => {
      expect(issuePaths(commandComponent({ inputs: { cfg: { type: "object" } } }), "command_component")).to.deep.equal(["inputs.cfg.type"]);
    });
  });

  describe("pipeline jobs", () => {
    it("rejects jobs and component together, at component", () => {
      const doc = pipelineJob({ component: "azureml:train_pipeline:1" });
      expect(issuePaths(doc, "pipeline_job")).to.deep.equal(["component"]);
    });

    it("requires jobs or component", () => {
      const { jobs: _jobs, ...doc } = pipelineJob();
      expect(issuePaths(doc, "pipeline_job")).to.deep.equal(["jobs"]);
      expect(issuePaths({ ...doc, component: "./pipeline_component.yml" }, "pipeline_job")).to.deep.equal([]);
    });

    it("accepts unknown settings keys as Azure does, and rejects them in strict mode", () => {
      const doc = pipelineJob({ settings: { default_datestore: "azureml:workspaceblobstore" } });
      expect(issuePaths(doc, "pipeline_job")).to.deep.equal([]);
      expect(issuePaths(doc, "pipeline_job", { strict: true })).to.deep.equal(["settings.default_datestore"]);
    });

    it("rejects an unknown top-level key of a pipeline job in both modes", () => {
      expect(issuePaths(pipelineJob({ setings: {} }), "pipeline_job")).to.deep.equal(["setings"]);
    });

    it("takes bare scalars and {value} literals as job inputs but not a parameter-typed mapping", () => {
      const ok = pipelineJob({ inputs: { a: 1, b: "x", c: true, d: 2.5, e: { value: 3 } } });
      const bad = pipelineJob({ inputs: { a: { type: "integer", default: 1 } } });
      expect(issuePaths(ok, "pipeline_job")).to.deep.equal([]);
      expect(issuePaths(bad, "pipeline_job")).to.deep.equal(["inputs.a.type"]);
    });

    it("requires a node output string to bind a pipeline output, except on an inline command job", () => {
      const doc = pipelineJob();
      const train = (doc["jobs"] as Doc)["train"] as Doc;
      train["outputs"] = { model_output: "./out" };
      expect(issuePaths(doc, "pipeline_job")).to.deep.equal(["jobs.train.outputs.model_output"]);
      const inline = pipelineJob({
        jobs: { hello: { command: "echo hi", environment: "azureml:env:1", outputs: { o: "./out" } } },
      });
      expect(issuePaths(inline, "pipeline_job")).to.deep.equal([]);
    });

    it("rejects a command node with neither component nor command", () => {
      expect(issuePaths(pipelineJob({ jobs: { train: { type: "command" } } }), "pipeline_job")).to.deep.equal(["jobs.train.component"]);
    });

    it("rejects an unknown key on an inline command job but keeps it on a component node", () => {
      const inline = pipelineJob({ jobs: { hello: { command: "echo", environment: "azureml:env:1", comand: "x" } } });
      const node = pipelineJob({ jobs: { hello: { component: "./c.yml", future_key: 1 } } });
      expect(issuePaths(inline, "pipeline_job")).to.deep.equal(["jobs.hello.comand"]);
      expect(issuePaths(node, "pipeline_job")).to.deep.equal([]);
      expect(issuePaths(node, "pipeline_job", { strict: true })).to.deep.equal(["jobs.hello.future_key"]);
    });

    it("rejects an inline pipeline component in a pipeline node", () => {
      const doc = pipelineJob({ jobs: { sub: { type: "pipeline", component: { type: "pipeline", jobs: {} } } } });
      expect(issuePaths(doc, "pipeline_job")).to.deep.equal(["jobs.sub.component"]);
    });

    it("checks an inline command component inside a node", () => {
      const { command: _command, ...inline } = commandComponent();
      const doc = pipelineJob({ jobs: { train: { type: "command", component: inline } } });
      expect(issuePaths(doc, "pipeline_job")).to.deep.equal(["jobs.train.component.command"]);
    });

    it("accepts data bindings in numeric node fields", () => {
      const doc = pipelineJob({
        jobs: { train: { component: "./c.yml", resources: { instance_count: "${{parent.inputs.n}}" }, limits: { timeout: 60 } } },
      });
      expect(issuePaths(doc, "pipeline_job")).to.deep.equal([]);
    });

    it("rejects an unknown node type", () => {
      expect(issuePaths(pipelineJob({ jobs: { a: { type: "notebook" } } }), "pipeline_job")).to.deep.equal(["jobs.a.type"]);
    });
  });

  describe("other node types", () => {
    it("checks the required keys of sweep, parallel, spark and automl nodes and passes the rest through", () => {
      const doc = pipelineJob({
        jobs: {
          sweep: { type: "sweep", search_space: {} },
          par: { type: "parallel", mini_batch_size: "1" },
          spark: { type: "spark", resources: {} },
          auto: { type: "automl", primary_metric: "accuracy" },
        },
      });
      expect(issuePaths(doc, "pipeline_job")).to.deep.equal(["jobs.sweep.trial", "jobs.par.component", "jobs.spark.component", "jobs.auto.task"]);
    });

    it("rejects a do_while node with max_iteration_count out of range or condition false", () => {
      const doc = pipelineJob({
        jobs: {
          body: { component: "./c.yml" },
          loop: {
            type: "do_while", body: "${{parent.jobs.body}}", condition: false,
            mapping: { out: "in" }, limits: { max_iteration_count: 0 },
          },
        },
      });
      expect(issuePaths(doc, "pipeline_job")).to.deep.equal(["jobs.loop.condition", "jobs.loop.limits.max_iteration_count"]);
    });

    it("requires if_else blocks to bind nodes", () => {
      const doc = pipelineJob({
        jobs: {
          a: { component: "./c.yml" },
          cond: { type: "if_else", condition: true, true_block: ["${{parent.jobs.a}}", "${{parent.inputs.x}}"] },
        },
      });
      expect(issuePaths(doc, "pipeline_job")).to.deep.equal(["jobs.cond.true_block[1]"]);
    });
  });

  describe("pipeline components", () => {
    it("requires type pipeline and checks nodes", () => {
      const doc = { name: "train_pipeline", type: "pipeline", jobs: { Bad: { component: "./c.yml" } } };
      expect(issuePaths(doc, "pipeline_component")).to.deep.equal(["jobs.Bad"]);
      expect(issuePaths({ name: "train_pipeline", jobs: {} }, "pipeline_component")).to.deep.equal(["type"]);
    });

    it("rejects settings on a pipeline component only in strict mode (Azure ignores them)", () => {
      const doc = { name: "p", type: "pipeline", settings: { default_compute: "azureml:cpu" }, jobs: {} };
      expect(issuePaths(doc, "pipeline_component")).to.deep.equal([]);
      expect(issuePaths(doc, "pipeline_component", { strict: true })).to.deep.equal(["settings"]);
    });
  });

  describe("detectDocumentKind", () => {
    it("classifies by $schema first", () => {
      const url = (name: string): string => `https://azuremlschemas.azureedge.net/latest/${name}.schema.json`;
      expect(detectDocumentKind({ $schema: url("commandComponent") })).to.equal("command_component");
      expect(detectDocumentKind({ $schema: url("pipelineComponent") })).to.equal("pipeline_component");
      expect(detectDocumentKind({ $schema: url("pipelineJob") })).to.equal("pipeline_job");
      expect(detectDocumentKind({ $schema: url("commandJob") })).to.equal("command_job");
      expect(detectDocumentKind({ $schema: url("sweepJob") })).to.equal("sweep_job");
      expect(detectDocumentKind({ $schema: url("parallelComponent") })).to.equal("parallel_component");
      expect(detectDocumentKind({ $schema: url("sparkComponent") })).to.equal("spark_component");
      expect(detectDocumentKind({ $schema: url("environment") })).to.equal("environment");
      expect(detectDocumentKind({ $schema: url("data") })).to.equal("data");
      expect(detectDocumentKind({ $schema: url("model") })).to.equal("model");
      expect(detectDocumentKind({ $schema: url("schedule") })).to.equal("schedule");
      expect(detectDocumentKind({ $schema: url("managedOnlineDeployment") })).to.equal("other");
    });

    it("falls back to type and shape without $schema", () => {
      expect(detectDocumentKind({ type: "command", name: "c", command: "x", environment: "azureml:e:1" })).to.equal("command_component");
      expect(detectDocumentKind({ command: "echo", environment: "azureml:e:1", compute: "azureml:c" })).to.equal("command_job");
      expect(detectDocumentKind({ type: "pipeline", jobs: {}, settings: {} })).to.equal("pipeline_job");
      expect(detectDocumentKind({ type: "pipeline", name: "p", jobs: {} })).to.equal("pipeline_component");
      expect(detectDocumentKind({ channels: ["defaults"], dependencies: ["python=3.10"] })).to.equal("other");
      expect(detectDocumentKind("text")).to.equal("other");
    });
  });
});
