// A pipeline job that names its pipeline as a component (`component: ./x.yml`) instead of listing
// nodes under `jobs:` keeps that form through load, emit and import.
import { expect } from "chai";
import { parse } from "yaml";
import { command, Input, Output, pipeline, type PipelineJobModel } from "@pipewright/dsl";
import { emitPipelineJob } from "../src/emit/emit-pipeline-job.js";
import { generateTypeScript, loadYamlDocument } from "../src/index.js";
import { memoryHost } from "./load/memory-host.js";

const FILES = {
  "/y/job.yml": [
    "type: pipeline",
    "display_name: nightly",
    "inputs:",
    "  raw: {type: uri_folder, path: ./data}",
    "settings:",
    "  default_compute: azureml:cpu",
    "component: ./inner.yml",
    "",
  ].join("\n"),
  "/y/inner.yml": [
    "type: pipeline",
    "name: inner",
    "inputs:",
    "  raw: {type: uri_folder}",
    "jobs:",
    "  step:",
    "    type: command",
    "    component: ./step.yml",
    "    inputs:",
    "      data: ${{parent.inputs.raw}}",
    "",
  ].join("\n"),
  "/y/step.yml": "type: command\nname: step\ninputs:\n  data: {type: uri_folder}\nenvironment: azureml:env@latest\ncommand: ls ${{inputs.data}}\n",
};

function loadJob(): PipelineJobModel {
  const loaded = loadYamlDocument("/y/job.yml", memoryHost(FILES));
  if (loaded.document?.kind !== "pipeline_job") throw new Error(loaded.diagnostics.map((d) => d.message).join("; "));
  return loaded.document.model;
}

function written(model: PipelineJobModel, outDir = "/y"): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const document of emitPipelineJob(model, { outDir }).documents) out[document.path] = parse(document.content) as Record<string, unknown>;
  return out;
}

describe("a pipeline job that names its pipeline component", () => {
  it("loads with the form recorded and is written back with `component:` and the component's own file", () => {
    const model = loadJob();
    expect(model.asComponent).to.equal(true);
    const documents = written(model);
    expect(Object.keys(documents)).to.deep.equal(["pipeline.yml", "components/inner.yml", "components/step.yml"]);
    expect(documents["pipeline.yml"]?.["component"]).to.equal("./components/inner.yml");
    expect(documents["pipeline.yml"]).to.not.have.property("jobs");
    expect(documents["components/inner.yml"]?.["jobs"]).to.deep.equal({
      step: { type: "command", component: "./step.yml", inputs: { data: "${{parent.inputs.raw}}" } },
    });
  });

  it("loads what it writes as the same job", () => {
    const documents = emitPipelineJob(loadJob(), { outDir: "/out" }).documents;
    const files = Object.fromEntries(documents.map((d) => [`/out/${d.path}`, d.content]));
    const again = loadYamlDocument("/out/pipeline.yml", memoryHost({ ...files, "/y/data/.keep": "" }));
    expect(again.document?.kind === "pipeline_job" && again.document.model.asComponent).to.equal(true);
    expect(again.diagnostics.filter((d) => d.severity === "error")).to.deep.equal([]);
  });

  it("keeps the form when the DSL asks for it with asComponent", () => {
    const step = command({ name: "step", inputs: { data: Input.uriFolder() }, outputs: { out: Output.uriFolder() }, command: "x", environment: "azureml:env@latest" });
    const inner = pipeline({ name: "inner", inputs: { raw: Input.uriFolder() } }, ({ raw }) => {
      step({ data: raw });
    });
    const documents = written(inner.job({ raw: "azureml:raw:1" }, { asComponent: true, displayName: "nightly" }).model, "/out");
    expect(documents["pipeline.yml"]).to.deep.include({ display_name: "nightly", component: "./components/inner.yml" });
    expect(documents["components/inner.yml"]?.["type"]).to.equal("pipeline");
  });

  it("imports as the component's .job(), with the job's own fields as options", () => {
    const loaded = loadYamlDocument("/y/job.yml", memoryHost(FILES));
    if (!loaded.document) throw new Error("no document");
    const result = generateTypeScript([{ file: "/y/job.yml", document: loaded.document }], { outDir: "/out", sourceRoot: "/y" });
    expect(result.diagnostics).to.deep.equal([]);
    const job = result.files.find((f) => f.kind === "pipeline_job")?.content ?? "";
    expect(job).to.contain('import { inner } from "./components/inner.js";');
    expect(job).to.contain("export const job = inner.job(");
    expect(job).to.contain('displayName: "nightly"');
    expect(job).to.contain('settings: { defaultCompute: "azureml:cpu" }');
    expect(job).to.contain("asComponent: true");
    expect(job).to.not.contain("pipeline(");
  });
});
