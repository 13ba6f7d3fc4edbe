import { codeVersionBody, compileRestBodies, type RestResolution } from "@pipewright/compiler";
import { command, Input, Output, pipeline, uriFolder } from "@pipewright/dsl";
import { expect } from "chai";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadAzureMlSpecCheck, type AzureMlSpecCheck } from "../src/index.js";
import { inspectComponentSpec, inspectPipelineJob } from "../src/azure-emulator/pipeline-shape.js";
import type { Json, JsonObject } from "../src/azure-emulator/json.js";

const here = dirname(fileURLToPath(import.meta.url));
const ws = { subscriptionId: "sub-1", resourceGroup: "rg-1", workspaceName: "ws-1" };
const WS = "/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.MachineLearningServices/workspaces/ws-1";

function asJson(value: unknown): Json {
  return JSON.parse(JSON.stringify(value)) as Json;
}

describe("the compiler's REST bodies against the Azure ML REST spec", () => {
  let spec: AzureMlSpecCheck;
  before(() => {
    spec = loadAzureMlSpecCheck();
  });

  const step = command({
    name: "step",
    inputs: { data: Input.uriFolder({ optional: true }), n: Input.integer({ default: 3 }), flag: Input.boolean({ default: false }) },
    outputs: { out: Output.uriFolder(), file: Output.uriFile() },
    code: "./rest-src",
    environment: "azureml:AzureML-sklearn-1.0@latest",
    command: "python s.py $[[--data ${{inputs.data}}]] --n ${{inputs.n}} --out ${{outputs.out}} --file ${{outputs.file}}",
  });
  const inner = pipeline({ name: "inner", inputs: { data: Input.uriFolder() }, outputs: { out: Output.uriFolder() } }, ({ data }) => ({
    out: step({ data }).outputs.out,
  }));
  const outer = pipeline(
    {
      name: "outer",
      inputs: { data: Input.uriFolder(), n: Input.integer({ default: 2 }) },
      outputs: { final: Output.uriFolder({ mode: "upload" }) },
      settings: { defaultCompute: "azureml:cpu-cluster", continueOnStepFailure: true },
    },
    ({ data, n }) => {
      const a = step({ data, n }, { compute: "azureml:cpu-cluster", environmentVariables: { A: "1" } });
      const b = inner({ data: a.outputs.out });
      return { final: b.outputs.out };
    },
  );
  const resolution: RestResolution = {
    code: new Map([[join(here, "rest-src"), `${WS}/codes/c1/versions/1`]]),
    data: new Map([[join(here, "data-in"), "azureml://datastores/workspaceblobstore/paths/LocalUpload/x/data-in/"]]),
  };
  const bodies = compileRestBodies(outer.job({ data: uriFolder("./data-in") }, { experimentName: "exp", tags: { team: "ml" } }).model, { workspace: ws, resolution });

  it("produces a PipelineJob body the spec accepts, with free-form jobs in the SDK's shape", () => {
    expect(bodies.problems).to.deep.equal([]);
    expect(spec.requestBody("Jobs_CreateOrUpdate", asJson(bodies.job))).to.deep.equal([]);
    const shape = inspectPipelineJob(asJson(bodies.job.properties) as JsonObject);
    expect(shape.issues).to.deep.equal([]);
    expect(shape.continueOnStepFailure).to.equal(true);
    expect(shape.nodes.map((n) => [n.name, n.dependsOn])).to.deep.equal([
      ["step", []],
      ["inner", ["step"]],
    ]);
  });

  it("produces ComponentVersion bodies the spec accepts, the nested pipeline after the component it uses", () => {
    expect(bodies.components.map((c) => c.component)).to.deep.equal(["step", "inner"]);
    for (const component of bodies.components) {
      expect(spec.requestBody("ComponentVersions_CreateOrUpdate", asJson(component.body)), component.component).to.deep.equal([]);
      expect(inspectComponentSpec(asJson(component.body.properties["componentSpec"]))).to.deep.equal([]);
    }
    const innerJobs = (bodies.components[1]?.body.properties["componentSpec"] as { jobs: Record<string, { componentId: string }> }).jobs;
    expect(innerJobs["step"]?.componentId).to.equal(bodies.components[0]?.id);
  });

  it("produces a CodeVersion body the spec accepts", () => {
    expect(spec.requestBody("CodeVersions_CreateOrUpdate", asJson(codeVersionBody("https://a.blob.core.windows.net/c/src", "ab".repeat(32))))).to.deep.equal([]);
  });

  it("would catch a body the spec rejects (the check is live)", () => {
    const broken = { properties: { ...bodies.job.properties, inputs: { x: { jobInputType: "literal", value: "" } } } };
    expect(spec.requestBody("Jobs_CreateOrUpdate", asJson(broken))).to.not.deep.equal([]);
  });
});
