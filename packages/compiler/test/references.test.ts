// Registered components through `componentRef`, undeclared inputs and node services: what the
// checks say about them and how they are written.
import { expect } from "chai";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { command, componentRef, Input, Output, pipeline, type PipelineJobModel } from "@pipewright/dsl";
import { checkPipelineJob } from "../src/checks/index.js";
import { emitPipelineJob } from "../src/emit/emit-pipeline-job.js";
import { loadYamlDocument } from "../src/index.js";
import { memoryHost } from "./load/memory-host.js";

const outDir = join(dirname(fileURLToPath(import.meta.url)), "out");

const registered = componentRef("azureml:my_train@latest", {
  inputs: { data: Input.uriFolder(), epochs: Input.integer() },
  outputs: { model: Output.mlflowModel() },
});
const opaque = componentRef("azureml:my_score:2");
const consume = command({ name: "consume", inputs: { table: Input.mltable() }, command: "x", environment: "azureml:env@latest" });

function codes(model: PipelineJobModel): string[] {
  return checkPipelineJob(model).map((d) => `${d.code} ${d.severity} ${d.path ?? ""}`);
}

function pipelineYaml(model: PipelineJobModel): Record<string, unknown> {
  const document = emitPipelineJob(model, { outDir }).documents.find((d) => d.path === "pipeline.yml");
  return parse(document?.content ?? "") as Record<string, unknown>;
}

describe("registered components, undeclared inputs and services", () => {
  it("checks wiring against the ports a componentRef declares, but not required inputs only Azure knows", () => {
    const p = pipeline({ name: "p", inputs: { raw: Input.uriFolder() } }, ({ raw }) => {
      const trained = registered({ data: raw, epochs: 2 });
      registered({ data: raw, seed: 1 } as never, { name: "typo" });
      consume({ table: trained.outputs.model } as never);
    });
    expect(codes(p.job({ raw: "azureml:raw:1" }, { compute: "serverless" }).model)).to.deep.equal([
      "PW2002 error p/typo/inputs/seed",
      "PW2003 error p/consume/inputs/table",
    ]);
  });

  it("checks nothing about the ports of a reference that declares none", () => {
    const p = pipeline({ name: "p" }, () => {
      const scored = opaque({ anything: 1 } as never);
      consume({ table: (scored.outputs as Record<string, never>)["whatever"] } as never);
    });
    expect(codes(p.job({}, { compute: "serverless" }).model)).to.deep.equal([]);
  });

  it("warns about an input bound through undeclaredInputs instead of rejecting it (PW2019)", () => {
    const p = pipeline({ name: "p", inputs: { raw: Input.uriFolder(), ratio: Input.number() } }, ({ raw, ratio }) => {
      registered({ data: raw, epochs: 2 }, { undeclaredInputs: { ratio } });
    });
    const model = p.job({ raw: "azureml:raw:1", ratio: 0.2 }, { compute: "serverless" }).model;
    expect(codes(model)).to.deep.equal(["PW2019 warning p/my_train/inputs/ratio"]);
    expect(pipelineYaml(model)["jobs"]).to.deep.include({
      my_train: {
        type: "command",
        component: "azureml:my_train@latest",
        inputs: { data: "${{parent.inputs.raw}}", epochs: 2, ratio: "${{parent.inputs.ratio}}" },
      },
    });
  });

  it("writes a reference node's component as the reference, with its output type and services in Azure's spelling", () => {
    const p = pipeline({ name: "p", inputs: { raw: Input.uriFolder() }, outputs: { model: Output.mlflowModel() } }, ({ raw }) => {
      const trained = registered(
        { data: raw, epochs: 2 },
        { outputs: { model: { type: "mlflow_model" } }, services: { tb: { type: "tensor_board", logDir: "outputs/tb" }, ssh: { type: "ssh", sshPublicKeys: "ssh-rsa A" } } },
      );
      return { model: trained.outputs.model };
    });
    const node = (pipelineYaml(p.job({ raw: "azureml:raw:1" }).model)["jobs"] as Record<string, Record<string, unknown>>)["my_train"];
    expect(node?.["component"]).to.equal("azureml:my_train@latest");
    expect(node?.["outputs"]).to.deep.equal({ model: { path: "${{parent.outputs.model}}", type: "mlflow_model" } });
    expect(node?.["services"]).to.deep.equal({ tb: { type: "tensor_board", log_dir: "outputs/tb" }, ssh: { type: "ssh", ssh_public_keys: "ssh-rsa A" } });
  });

  it("loads node services and an output path binding as the model, and writes them back the same", () => {
    const yaml = [
      "type: pipeline",
      "outputs:",
      "  out: {type: uri_file}",
      "jobs:",
      "  a:",
      "    type: command",
      "    component: azureml:a:1",
      "    outputs:",
      "      result: {type: uri_file, path: '${{parent.outputs.out}}'}",
      "    services:",
      "      lab: {type: jupyter_lab, nodes: {node_index: 0}}",
      "",
    ].join("\n");
    const loaded = loadYamlDocument("/y/p.yml", memoryHost({ "/y/p.yml": yaml }));
    const model = loaded.document?.kind === "pipeline_job" ? loaded.document.model : undefined;
    const node = model?.pipeline.jobs[0];
    expect(node?.outputs["result"]).to.include({ bindTo: "out", type: "uri_file" });
    expect(node?.services).to.deep.equal({ lab: { type: "jupyter_lab", nodes: { node_index: 0 } } });
    expect(node?.extra).to.equal(undefined);
    const written = (pipelineYaml(model as PipelineJobModel)["jobs"] as Record<string, Record<string, unknown>>)["a"];
    expect(written?.["outputs"]).to.deep.equal({ result: { path: "${{parent.outputs.out}}", type: "uri_file" } });
    expect(written?.["services"]).to.deep.equal({ lab: { type: "jupyter_lab", nodes: { node_index: 0 } } });
  });
});
