import { expect } from "chai";
import { parse } from "yaml";
import type { OpaqueComponentModel, PipelineJobModel } from "@pipewright/dsl";
import { emitPipelineJob, type EmitOptions } from "../src/emit/emit-pipeline-job.js";
import { loadPipelineJob } from "../src/load/index.js";
import { memoryHost } from "./load/memory-host.js";

// A prompt flow names files relative to its own folder (`path: hello.jinja2`) and has no `type`,
// so the emitter must name it where it is instead of writing a changed copy under components/.
const FLOW = [
  "$schema: https://azuremlschemas.azureedge.net/promptflow/latest/Flow.schema.json",
  "inputs:",
  "  text: {type: string, default: Hello}",
  "outputs:",
  "  output:",
  "    type: string",
  "    reference: ${llm.output}",
  "nodes:",
  "- name: hello_prompt",
  "  type: prompt",
  "  source: {type: code, path: hello.jinja2}",
  "  inputs:",
  "    text: ${inputs.text}",
  "",
].join("\n");

const RUN = ["$schema: https://azuremlschemas.azureedge.net/promptflow/latest/Run.schema.json", "flow: ./basic", ""].join("\n");

/** A flow without `$schema`: recognised by its `nodes` and the missing `type`. */
const BARE_FLOW = ["inputs:", "  text: {type: string}", "nodes:", "- name: a", "  type: python", "  source: {type: code, path: a.py}", ""].join("\n");

const PARALLEL = [
  "type: parallel",
  "name: batch_score",
  "inputs:",
  "  data: {type: uri_folder}",
  "task:",
  "  type: run_function",
  "  code: ./src",
  "  entry_script: score.py",
  "",
].join("\n");

const node = (name: string, component: string) =>
  [`  ${name}:`, "    type: parallel", `    component: ${component}`, "    inputs:", "      data: ${{parent.inputs.data}}"].join("\n");

const PIPELINE = [
  "type: pipeline",
  "inputs:",
  "  data: {type: uri_file, path: ./data.jsonl}",
  "jobs:",
  node("from_dag", "./basic/flow.dag.yaml"),
  node("from_run", "./run.yml"),
  node("from_bare", "./bare/flow.dag.yaml"),
  node("batch", "./batch.yml"),
  "",
].join("\n");

const files: Record<string, string> = {
  "/w/jobs/flow/pipeline.yml": PIPELINE,
  "/w/jobs/flow/basic/flow.dag.yaml": FLOW,
  "/w/jobs/flow/run.yml": RUN,
  "/w/jobs/flow/bare/flow.dag.yaml": BARE_FLOW,
  "/w/jobs/flow/batch.yml": PARALLEL,
};

function loadJob(): PipelineJobModel {
  const result = loadPipelineJob("/w/jobs/flow/pipeline.yml", memoryHost(files));
  expect(result.diagnostics.filter((d) => d.severity === "error")).to.deep.equal([]);
  if (!result.model) throw new Error("the pipeline did not load");
  return result.model;
}

function emit(job: PipelineJobModel, options: EmitOptions) {
  const result = emitPipelineJob(job, options);
  const docs = new Map(result.documents.map((d) => [d.path, parse(d.content) as Record<string, unknown>]));
  return { result, docs };
}

function componentOf(doc: Record<string, unknown> | undefined, name: string): unknown {
  const jobs = doc?.["jobs"] as Record<string, Record<string, unknown>> | undefined;
  return jobs?.[name]?.["component"];
}

describe("emitting components kept in place (prompt flows)", () => {
  it("records the source file of a prompt flow component, and of no other opaque component", () => {
    const job = loadJob();
    const byNode = new Map(job.pipeline.jobs.map((n) => [n.name, n.component as OpaqueComponentModel]));
    expect(byNode.get("from_dag")?.sourceFile).to.equal("/w/jobs/flow/basic/flow.dag.yaml");
    expect(byNode.get("from_run")?.sourceFile).to.equal("/w/jobs/flow/run.yml");
    expect(byNode.get("from_bare")?.sourceFile).to.equal("/w/jobs/flow/bare/flow.dag.yaml");
    expect(byNode.get("batch")?.type).to.equal("parallel");
    expect(byNode.get("batch")?.sourceFile).to.equal(undefined);
  });

  it("names the flow files by paths relative to the emitted pipeline file and writes no copy of them", () => {
    const { result, docs } = emit(loadJob(), { outDir: "/w/out/nested" });
    expect(result.documents.map((d) => d.path)).to.deep.equal(["pipeline.yml", "components/batch_score.yml"]);
    const pipeline = docs.get("pipeline.yml");
    expect(componentOf(pipeline, "from_dag")).to.equal("../../jobs/flow/basic/flow.dag.yaml");
    expect(componentOf(pipeline, "from_run")).to.equal("../../jobs/flow/run.yml");
    expect(componentOf(pipeline, "from_bare")).to.equal("../../jobs/flow/bare/flow.dag.yaml");
    // An opaque component that does not depend on its folder is still written, with its type.
    expect(componentOf(pipeline, "batch")).to.equal("./components/batch_score.yml");
    expect(docs.get("components/batch_score.yml")?.["type"]).to.equal("parallel");
  });

  it("adds no type to a flow: reloading the emitted job reads the original flow file unchanged", () => {
    const { result } = emit(loadJob(), { outDir: "/w/out" });
    const emitted = Object.fromEntries(result.documents.map((d) => [`/w/out/${d.path}`, d.content]));
    for (const text of Object.values(emitted)) expect(text).not.to.contain("hello.jinja2");
    // The emitted documents are added beside the originals; every flow is read from its untouched original.
    const host = memoryHost({ ...files, ...emitted });
    const again = loadPipelineJob("/w/out/pipeline.yml", host);
    expect(again.diagnostics.filter((d) => d.severity === "error")).to.deep.equal([]);
    expect(host.reads).to.include("/w/jobs/flow/basic/flow.dag.yaml");
    const flow = again.model?.pipeline.jobs.find((n) => n.name === "from_dag")?.component as OpaqueComponentModel;
    expect(flow.sourceFile).to.equal("/w/jobs/flow/basic/flow.dag.yaml");
    expect(flow.body["nodes"]).to.deep.equal((parse(FLOW) as Record<string, unknown>)["nodes"]);
  });

  it("computes the path from the output file's own folder when the job is written under a prefix", () => {
    const { docs } = emit(loadJob(), { outDir: "/w/out", prefix: "jobs/one" });
    expect(componentOf(docs.get("jobs/one/pipeline.yml"), "from_dag")).to.equal("../../../jobs/flow/basic/flow.dag.yaml");
  });

  it("names the flow file in inline mode too, instead of writing it inline under the node", () => {
    const { docs } = emit(loadJob(), { outDir: "/w/jobs/flow", inline: true });
    expect(componentOf(docs.get("pipeline.yml"), "from_dag")).to.equal("./basic/flow.dag.yaml");
    expect(componentOf(docs.get("pipeline.yml"), "from_run")).to.equal("./run.yml");
  });

  it("names the flow file from the components folder when a pipeline component file calls it", () => {
    const job = loadJob();
    const asComponent: PipelineJobModel = { ...job, asComponent: true, pipeline: { ...job.pipeline, name: "flows" } };
    const { result, docs } = emit(asComponent, { outDir: "/w/out" });
    expect(result.documents.map((d) => d.path)).to.deep.equal(["pipeline.yml", "components/batch_score.yml", "components/flows.yml"]);
    expect(docs.get("pipeline.yml")?.["component"]).to.equal("./components/flows.yml");
    expect(componentOf(docs.get("components/flows.yml"), "from_dag")).to.equal("../../jobs/flow/basic/flow.dag.yaml");
  });
});
