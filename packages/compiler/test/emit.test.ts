import { expect } from "chai";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import {
  command,
  Input,
  Output,
  pipeline,
  uriFolder,
  type CommandComponentModel,
  type NodeModel,
  type PipelineJobModel,
} from "@pipewright/dsl";
import { emitPipelineJob, type EmitResult } from "../src/emit/emit-pipeline-job.js";
import { relocatePath } from "../src/emit/paths.js";

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, "out");

const environment = "azureml:AzureML-sklearn-1.0@latest";

const prep = command({
  name: "prep",
  version: 2,
  inputs: { raw: Input.uriFolder(), split: Input.number({ default: 0.2, min: 0, max: 1 }) },
  outputs: { train: Output.uriFolder(), model: Output.mlflowModel() },
  code: "./src/prep",
  environment: { image: "python:3.11", condaFile: "./env/conda.yml" },
  additionalIncludes: ["../shared/utils"],
  command: ({ inputs, outputs }) =>
    `python prep.py --raw ${inputs.raw} --split ${inputs.split} --train ${outputs.train} --model ${outputs.model}`,
});

const train = command({
  name: "train",
  inputs: { data: Input.uriFolder() },
  outputs: { model: Output.uriFolder() },
  code: "./src/train",
  environment,
  command: ({ inputs, outputs }) => `python train.py --data ${inputs.data} --model ${outputs.model}`,
});

const flow = pipeline(
  {
    name: "flow",
    displayName: "Flow",
    inputs: { raw: Input.uriFolder(), epochs: Input.integer({ default: 3 }) },
    outputs: { model: Output.mlflowModel(), trained: Output.uriFolder() },
    settings: { defaultCompute: "azureml:cpu-cluster" },
  },
  ({ raw }) => {
    const p = prep({ raw }, { outputs: { train: { mode: "upload" } } });
    const t = train({ data: p.outputs.train });
    return { model: p.outputs.model, trained: t.outputs.model };
  },
);

const job = flow.job({ raw: uriFolder("./data/raw") }, { outputs: { model: { mode: "rw_mount" } } });

function documents(result: EmitResult): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const document of result.documents) out[document.path] = parse(document.content) as Record<string, unknown>;
  return out;
}

function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) current = (current as Record<string, unknown> | undefined)?.[key];
  return current;
}

describe("emitPipelineJob", () => {
  describe("component files", () => {
    it("writes pipeline.yml first and one file per component under components/, referenced by relative path", () => {
      const result = emitPipelineJob(job.model, { outDir });
      expect(result.documents.map((d) => [d.path, d.kind])).to.deep.equal([
        ["pipeline.yml", "pipeline_job"],
        ["components/prep.yml", "command_component"],
        ["components/train.yml", "command_component"],
      ]);
      const docs = documents(result);
      expect(field(docs["pipeline.yml"], "jobs", "prep", "component")).to.equal("./components/prep.yml");
      expect(field(docs["pipeline.yml"], "jobs", "train", "component")).to.equal("./components/train.yml");
    });

    it("starts every file with its $schema line", () => {
      const result = emitPipelineJob(job.model, { outDir });
      const [jobDoc, ...components] = result.documents;
      expect(jobDoc?.content.split("\n")[0]).to.equal("$schema: https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json");
      for (const document of components) {
        expect(document.content.split("\n")[0]).to.equal(
          "$schema: https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json",
        );
      }
    });

    it("shares one file between nodes of the same component", () => {
      const twice = pipeline({ name: "twice", inputs: { raw: Input.uriFolder() } }, ({ raw }) => {
        const a = prep({ raw });
        prep({ raw: a.outputs.train });
      });
      const result = emitPipelineJob(twice.job({ raw: "azureml:raw:1" }).model, { outDir });
      expect(result.documents.map((d) => d.path)).to.deep.equal(["pipeline.yml", "components/prep.yml"]);
      const jobs = field(documents(result)["pipeline.yml"], "jobs") as Record<string, unknown>;
      expect(Object.keys(jobs)).to.deep.equal(["prep", "prep_1"]);
    });

    it("gives two different components with the same name distinct, content-derived file names", () => {
      const trainV2 = command({ name: "train", inputs: { data: Input.uriFolder() }, environment, command: "python train2.py" });
      const build = (first: "old" | "new") =>
        pipeline({ name: "both", inputs: { raw: Input.uriFolder() } }, ({ raw }) => {
          if (first === "old") {
            train({ data: raw }, { name: "old" });
            trainV2({ data: raw }, { name: "new" });
          } else {
            trainV2({ data: raw }, { name: "new" });
            train({ data: raw }, { name: "old" });
          }
        }).job({ raw: "azureml:raw:1" }).model;
      const result = emitPipelineJob(build("old"), { outDir });
      const paths = result.documents.map((d) => d.path).slice(1);
      expect(paths).to.have.length(2);
      for (const path of paths) expect(path).to.match(/^components\/train-[0-9a-f]{10}\.yml$/);
      const docs = documents(result);
      const oldRef = String(field(docs["pipeline.yml"], "jobs", "old", "component"));
      const newRef = String(field(docs["pipeline.yml"], "jobs", "new", "component"));
      expect(oldRef).to.not.equal(newRef);
      expect(field(docs[oldRef.slice(2)], "command")).to.equal(train.model.command);
      expect(field(docs[newRef.slice(2)], "command")).to.equal("python train2.py");
      // The names follow the content, not the order the components were used in.
      const swapped = documents(emitPipelineJob(build("new"), { outDir }));
      expect(field(swapped["pipeline.yml"], "jobs", "old", "component")).to.equal(oldRef);
    });

    it("writes a nested pipeline as a pipeline component whose nodes name sibling files", () => {
      const outer = pipeline({ name: "outer", inputs: { raw: Input.uriFolder() } }, ({ raw }) => {
        flow({ raw }, { name: "inner" });
      });
      const result = emitPipelineJob(outer.job({ raw: "azureml:raw:1" }).model, { outDir });
      const docs = documents(result);
      expect(field(docs["pipeline.yml"], "jobs", "inner")).to.include({ type: "pipeline", component: "./components/flow.yml" });
      expect(result.documents.find((d) => d.path === "components/flow.yml")?.kind).to.equal("pipeline_component");
      expect(field(docs["components/flow.yml"], "$schema")).to.equal(
        "https://azuremlschemas.azureedge.net/latest/pipelineComponent.schema.json",
      );
      expect(field(docs["components/flow.yml"], "jobs", "prep", "component")).to.equal("./prep.yml");
      expect(field(docs["components/flow.yml"], "jobs", "prep", "outputs", "model")).to.equal("${{parent.outputs.model}}");
    });

    it("names a referenced component by its azureml: reference", () => {
      const model = job.model;
      const node = model.pipeline.jobs[1] as NodeModel;
      const referenced: PipelineJobModel = {
        ...model,
        pipeline: { ...model.pipeline, jobs: [model.pipeline.jobs[0] as NodeModel, { ...node, component: { type: "reference", ref: "azureml:train:3" } }] },
      };
      const result = emitPipelineJob(referenced, { outDir });
      expect(field(documents(result)["pipeline.yml"], "jobs", "train", "component")).to.equal("azureml:train:3");
      expect(result.documents.map((d) => d.path)).to.deep.equal(["pipeline.yml", "components/prep.yml"]);
    });
  });

  describe("inline mode", () => {
    it("writes command components inline under component:, without $schema, in the one pipeline file", () => {
      const result = emitPipelineJob(job.model, { outDir, inline: true });
      expect(result.documents.map((d) => d.path)).to.deep.equal(["pipeline.yml"]);
      const component = field(documents(result)["pipeline.yml"], "jobs", "prep", "component") as Record<string, unknown>;
      expect(component["type"]).to.equal("command");
      expect(component["name"]).to.equal("prep");
      expect(component).to.not.have.property("$schema");
      // Paths inside an inline component are relative to pipeline.yml, not to components/.
      expect(component["code"]).to.equal("../src/prep");
    });

    it("still writes a nested pipeline component to its own file, with an info diagnostic", () => {
      const outer = pipeline({ name: "outer", inputs: { raw: Input.uriFolder() } }, ({ raw }) => {
        flow({ raw }, { name: "inner" });
      });
      const result = emitPipelineJob(outer.job({ raw: "azureml:raw:1" }).model, { outDir, inline: true });
      expect(result.documents.map((d) => d.path)).to.deep.equal(["pipeline.yml", "components/flow.yml"]);
      expect(result.diagnostics.map((d) => [d.code, d.severity])).to.deep.equal([["PW3001", "info"]]);
      const inner = documents(result)["components/flow.yml"];
      expect(field(inner, "jobs", "prep", "component", "code")).to.equal("../../src/prep");
    });
  });

  describe("local paths", () => {
    it("rewrites code, conda_file, additional_includes and data paths relative to the file that holds them", () => {
      const docs = documents(emitPipelineJob(job.model, { outDir }));
      // Declared in this test file's folder (`here`); pipeline.yml is in here/out, components in here/out/components.
      expect(field(docs["components/prep.yml"], "code")).to.equal("../../src/prep");
      expect(field(docs["components/prep.yml"], "environment", "conda_file")).to.equal("../../env/conda.yml");
      expect(field(docs["components/prep.yml"], "additional_includes")).to.deep.equal(["../../../shared/utils"]);
      expect(field(docs["pipeline.yml"], "inputs", "raw")).to.deep.equal({ type: "uri_folder", path: "../data/raw" });
    });

    it("puts the files under a prefix folder and keeps paths right from there", () => {
      const result = emitPipelineJob(job.model, { outDir, prefix: "jobs/flow/" });
      expect(result.documents.map((d) => d.path)).to.deep.equal([
        "jobs/flow/pipeline.yml",
        "jobs/flow/components/prep.yml",
        "jobs/flow/components/train.yml",
      ]);
      const docs = documents(result);
      expect(field(docs["jobs/flow/pipeline.yml"], "jobs", "prep", "component")).to.equal("./components/prep.yml");
      expect(field(docs["jobs/flow/components/prep.yml"], "code")).to.equal("../../../../src/prep");
      expect(field(docs["jobs/flow/pipeline.yml"], "inputs", "raw", "path")).to.equal("../../../data/raw");
    });

    it("never writes an absolute path, uses forward slashes and leaves references alone", () => {
      expect(relocatePath("/abs/data", "/work/project", "/work/project/out")).to.equal("../../../abs/data");
      expect(relocatePath("data\\raw", "/work/project", "/work/project")).to.equal("./data/raw");
      expect(relocatePath(".", "/work/project/src", "/work/project/out/components")).to.equal("../../src");
      expect(relocatePath("file:./x.yml", "/a", "/a/b")).to.equal("file:../x.yml");
      expect(relocatePath("data/", "/a", "/a/out")).to.equal("../data/");
      for (const reference of ["azureml:raw:1", "azureml://datastores/ws/paths/x", "https://host/x", "git+https://host/r.git"]) {
        expect(relocatePath(reference, "/a", "/b")).to.equal(reference);
      }
    });
  });

  describe("document content", () => {
    it("binds node inputs as ${{parent...}} without a type, and writes data inputs as {type, path, mode}", () => {
      const docs = documents(emitPipelineJob(job.model, { outDir }));
      expect(field(docs["pipeline.yml"], "jobs", "prep", "inputs")).to.deep.equal({ raw: "${{parent.inputs.raw}}" });
      expect(field(docs["pipeline.yml"], "jobs", "train", "inputs")).to.deep.equal({
        data: "${{parent.jobs.prep.outputs.train}}",
      });
      expect(field(docs["pipeline.yml"], "jobs", "prep", "outputs")).to.deep.equal({
        train: { mode: "upload" },
        model: "${{parent.outputs.model}}",
      });
    });

    it("writes job outputs with their settings and a type only when it is not uri_folder", () => {
      const docs = documents(emitPipelineJob(job.model, { outDir }));
      expect(field(docs["pipeline.yml"], "outputs")).to.deep.equal({
        model: { type: "mlflow_model", mode: "rw_mount" },
        trained: null,
      });
    });

    it("gives unbound pipeline inputs with a default their value at job level", () => {
      const docs = documents(emitPipelineJob(job.model, { outDir }));
      expect(field(docs["pipeline.yml"], "inputs", "epochs")).to.equal(3);
    });

    it("writes keys in Azure's conventional order, snake_case, with the version as a string", () => {
      const docs = documents(emitPipelineJob(job.model, { outDir }));
      expect(Object.keys(docs["components/prep.yml"] ?? {})).to.deep.equal([
        "$schema", "type", "name", "version", "inputs", "outputs", "code", "environment", "additional_includes", "command",
      ]);
      expect(field(docs["components/prep.yml"], "version")).to.equal("2");
      expect(Object.keys(docs["pipeline.yml"] ?? {})).to.deep.equal([
        "$schema", "type", "display_name", "settings", "inputs", "outputs", "jobs",
      ]);
      expect(field(docs["pipeline.yml"], "settings")).to.deep.equal({ default_compute: "azureml:cpu-cluster" });
    });

    it("writes long commands on one line and empty outputs as `name:`", () => {
      const long = command({ name: "long", outputs: { out: Output.uriFolder() }, environment, command: `echo ${"x".repeat(300)}` });
      const result = emitPipelineJob(
        pipeline({ name: "p" }, () => {
          long({}, { outputs: { out: {} } });
        }).job().model,
        { outDir },
      );
      const [jobDoc, componentDoc] = result.documents;
      expect(componentDoc?.content).to.include(`command: echo ${"x".repeat(300)}\n`);
      expect(jobDoc?.content).to.include("    outputs:\n      out:\n");
    });

    it("quotes strings that Azure's YAML 1.1 reader would take for booleans, numbers or dates", () => {
      const tricky = command({
        name: "tricky",
        tags: { enabled: "on", when: "2001-12-14", ratio: "1:20" },
        inputs: { answer: Input.string({ enum: ["yes", "no"], default: "yes" }), dir: Input.string({ default: "." }) },
        environment,
        command: "echo ${{inputs.answer}} ${{inputs.dir}}",
      });
      const result = emitPipelineJob(pipeline({ name: "p" }, () => void tricky()).job().model, { outDir });
      const content = result.documents[1]?.content ?? "";
      expect(content).to.include('enabled: "on"');
      const read = parse(content, { version: "1.1" }) as Record<string, unknown>;
      expect(read["tags"]).to.deep.equal({ enabled: "on", when: "2001-12-14", ratio: "1:20" });
      expect(field(read, "inputs", "answer")).to.deep.equal({ type: "string", default: "yes", enum: ["yes", "no"] });
      expect(field(read, "inputs", "dir", "default")).to.equal(".");
    });

    it("emits unmodelled (extra) keys verbatim after the modelled ones, never overriding them", () => {
      const model = job.model;
      const prepNode = model.pipeline.jobs[0] as NodeModel;
      const prepComponent = prepNode.component as CommandComponentModel;
      const withExtra: PipelineJobModel = {
        ...model,
        extra: { services: { ssh: { type: "ssh" } }, identity: { type: "user_identity" }, display_name: "ignored" },
        settings: { ...model.settings, extra: { default_datestore: "azureml:typo" } },
        pipeline: {
          ...model.pipeline,
          jobs: [
            {
              ...prepNode,
              extra: { comment: "kept" },
              component: {
                ...prepComponent,
                extra: { queue_settings: { job_tier: "standard" } },
                inputs: { ...prepComponent.inputs, raw: { type: "uri_folder", extra: { intellectual_property: { publisher: "x" } } } },
              },
            },
            ...model.pipeline.jobs.slice(1),
          ],
        },
      };
      const docs = documents(emitPipelineJob(withExtra, { outDir }));
      const jobDoc = docs["pipeline.yml"] ?? {};
      expect(jobDoc["identity"]).to.deep.equal({ type: "user_identity" });
      expect(jobDoc["services"]).to.deep.equal({ ssh: { type: "ssh" } });
      expect(jobDoc["display_name"]).to.equal("Flow");
      expect(Object.keys(jobDoc).slice(-3)).to.deep.equal(["identity", "services", "jobs"]);
      expect(field(jobDoc, "settings", "default_datestore")).to.equal("azureml:typo");
      expect(field(jobDoc, "jobs", "prep", "comment")).to.equal("kept");
      expect(field(docs["components/prep.yml"], "queue_settings")).to.deep.equal({ job_tier: "standard" });
      expect(field(docs["components/prep.yml"], "inputs", "raw")).to.deep.equal({
        type: "uri_folder",
        intellectual_property: { publisher: "x" },
      });
    });

    it("writes an inline-job component as a command job node, warning about what such a node cannot carry", () => {
      const hello = command({
        name: "hello",
        inline: true,
        inputs: { greeting: Input.string({ default: "hi" }) },
        outputs: { out: Output.uriFolder(), model: Output.mlflowModel() },
        code: "./src/hello",
        additionalIncludes: ["./lib"],
        environment,
        command: ({ inputs, outputs }) => `echo ${inputs.greeting} > ${outputs.out}/x`,
      });
      const result = emitPipelineJob(
        pipeline({ name: "p" }, () => {
          hello({}, { compute: "azureml:cpu" });
        }).job().model,
        { outDir },
      );
      expect(result.documents.map((d) => d.path)).to.deep.equal(["pipeline.yml"]);
      const node = field(documents(result)["pipeline.yml"], "jobs", "hello");
      expect(node).to.deep.equal({
        type: "command",
        compute: "azureml:cpu",
        inputs: { greeting: "hi" },
        outputs: { out: null, model: { type: "mlflow_model" } },
        code: "../src/hello",
        environment,
        command: "echo ${{inputs.greeting}} > ${{outputs.out}}/x",
      });
      expect(result.diagnostics.map((d) => [d.code, d.path])).to.deep.equal([["PW3002", "p/hello"]]);
    });
  });

  describe("nodes loaded from YAML", () => {
    const base = job.model;
    const prepNode = base.pipeline.jobs[0] as NodeModel;
    const withNodes = (...jobs: NodeModel[]): PipelineJobModel => ({ ...base, pipeline: { ...base.pipeline, jobs } });

    it("writes a sweep node's component as `trial`", () => {
      const docs = documents(emitPipelineJob(withNodes({ ...prepNode, type: "sweep", extra: { objective: { goal: "minimize" } } }), { outDir }));
      const node = field(docs["pipeline.yml"], "jobs", "prep") as Record<string, unknown>;
      expect(node["trial"]).to.equal("./components/prep.yml");
      expect(node).to.not.have.property("component");
      expect(node["objective"]).to.deep.equal({ goal: "minimize" });
    });

    it("writes a node-only component (control flow, AutoML) as the node alone, with no component file", () => {
      const loop: NodeModel = {
        name: "loop",
        type: "do_while",
        component: {
          type: "do_while",
          name: "loop",
          inputs: {},
          outputs: {},
          body: {},
          extra: { "pipewright:node_only": true },
        } as unknown as NodeModel["component"],
        inputs: {},
        outputs: {},
        extra: { body: "${{parent.jobs.prep}}", condition: "done", limits: { max_iteration_count: 3 } },
      };
      const result = emitPipelineJob(withNodes(prepNode, loop), { outDir });
      expect(result.documents.map((d) => d.path)).to.deep.equal(["pipeline.yml", "components/prep.yml"]);
      expect(field(documents(result)["pipeline.yml"], "jobs", "loop")).to.deep.equal({
        type: "do_while",
        body: "${{parent.jobs.prep}}",
        condition: "done",
        limits: { max_iteration_count: 3 },
      });
    });

    it("moves the local code path of a kept-as-is (spark, parallel) component with its file", () => {
      const spark: NodeModel = {
        ...prepNode,
        name: "spark",
        type: "spark",
        component: {
          type: "spark",
          name: "spark_step",
          inputs: {},
          outputs: {},
          baseDir: here,
          body: { code: "./src/spark", entry: { file: "main.py" }, conf: { "spark.driver.cores": 1 } },
        } as unknown as NodeModel["component"],
        inputs: {},
        outputs: {},
      };
      const result = emitPipelineJob(withNodes(spark), { outDir });
      const docs = documents(result);
      expect(result.documents.map((d) => [d.path, d.kind])).to.deep.equal([
        ["pipeline.yml", "pipeline_job"],
        ["components/spark_step.yml", "component"],
      ]);
      expect(docs["components/spark_step.yml"]).to.deep.include({
        $schema: "https://azuremlschemas.azureedge.net/latest/sparkComponent.schema.json",
        code: "../../src/spark",
        entry: { file: "main.py" },
      });
    });
  });

  describe("determinism", () => {
    it("emits byte-identical documents for the same model, in both modes", () => {
      for (const inline of [false, true]) {
        const first = emitPipelineJob(job.model, { outDir, inline });
        const second = emitPipelineJob(job.model, { outDir, inline });
        expect(second.documents).to.deep.equal(first.documents);
      }
    });

    it("emits the same text for an equal model built separately", () => {
      const rebuilt = JSON.parse(JSON.stringify(job.model)) as PipelineJobModel;
      expect(emitPipelineJob(rebuilt, { outDir }).documents).to.deep.equal(emitPipelineJob(job.model, { outDir }).documents);
    });
  });
});
