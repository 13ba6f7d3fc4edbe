import { command, Input, Output, pipeline, uriFolder } from "@pipewright/dsl";
import { expect } from "chai";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  anonymousVersion,
  applyInputOverrides,
  collectLocalAssets,
  compileRestBodies,
  computeArmId,
  assetReference,
  type RestResolution,
} from "../src/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const ws = { subscriptionId: "sub-1", resourceGroup: "rg-1", workspaceName: "ws-1" };
const WS = "/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.MachineLearningServices/workspaces/ws-1";

const prep = command({
  name: "prep",
  inputs: { raw: Input.uriFolder(), split: Input.number({ default: 0.2 }) },
  outputs: { train: Output.uriFolder() },
  code: "./rest-src",
  environment: "azureml:AzureML-sklearn-1.0@latest",
  command: "python prep.py --raw ${{inputs.raw}} --split ${{inputs.split}} --out ${{outputs.train}}",
});
const train = command({
  name: "train",
  inputs: { data: Input.uriFolder(), lr: Input.number(), verbose: Input.boolean({ optional: true }) },
  outputs: { model: Output.uriFolder() },
  code: "./rest-src",
  environment: "azureml:sklearn-env:3",
  command: "python train.py --data ${{inputs.data}} --lr ${{inputs.lr}} --model ${{outputs.model}}",
});
const taxi = pipeline(
  {
    name: "taxi",
    inputs: { raw: Input.uriFolder(), lr: Input.number({ default: 0.01 }), note: Input.string({ optional: true }) },
    outputs: { model: Output.uriFolder() },
    settings: { defaultCompute: "azureml:cpu-cluster" },
  },
  ({ raw, lr, note }) => {
    const p = prep({ raw });
    const t = train({ data: p.outputs.train, lr, verbose: true });
    void note;
    return { model: t.outputs.model };
  },
);

const codeDir = join(here, "rest-src");
const dataDir = join(here, "rest-data");
const resolution: RestResolution = {
  code: new Map([[codeDir, `${WS}/codes/abc/versions/1`]]),
  data: new Map([[dataDir, "azureml://datastores/workspaceblobstore/paths/LocalUpload/h/rest-data/"]]),
};

describe("REST bodies for Azure ML", () => {
  const job = taxi.job({ raw: uriFolder("./rest-data") });

  it("collects each local code folder once however many components use it, and local data inputs", () => {
    const assets = collectLocalAssets(job.model);
    expect(assets.codeFolders.map(({ path, components, includes, key }) => ({ path, components, includes, key }))).to.deep.equal([{ path: codeDir, components: ["prep", "train"], includes: [], key: codeDir }]);
    expect(assets.data.map((d) => [d.path, d.type])).to.deep.equal([[dataDir, "uri_folder"]]);
    expect(assets.problems).to.deep.equal([]);
  });

  it("writes the pipeline job the way the Python SDK does: ARM ids, literal bindings, REST input forms", () => {
    const bodies = compileRestBodies(job.model, { workspace: ws, resolution });
    expect(bodies.problems).to.deep.equal([]);
    const p = bodies.job.properties;
    expect(p["jobType"]).to.equal("Pipeline");
    expect(p["settings"]).to.deep.equal({ default_compute: `${WS}/computes/cpu-cluster`, _source: "DSL" });
    expect(p["inputs"]).to.deep.equal({
      raw: { jobInputType: "uri_folder", uri: "azureml://datastores/workspaceblobstore/paths/LocalUpload/h/rest-data/" },
      lr: { jobInputType: "literal", value: "0.01" },
    });
    expect(p["outputs"]).to.deep.equal({ model: { jobOutputType: "uri_folder" } });
    const jobs = p["jobs"] as Record<string, Record<string, unknown>>;
    expect(Object.keys(jobs)).to.deep.equal(["prep", "train"]);
    expect(jobs["train"]?.["inputs"]).to.deep.equal({
      data: { job_input_type: "literal", value: "${{parent.jobs.prep.outputs.train}}" },
      lr: { job_input_type: "literal", value: "${{parent.inputs.lr}}" },
      verbose: { job_input_type: "literal", value: "True" },
    });
    expect(jobs["train"]?.["outputs"]).to.deep.equal({ model: { type: "literal", value: "${{parent.outputs.model}}" } });
    expect(jobs["prep"]?.["componentId"]).to.match(new RegExp(`^${WS}/components/azureml_anonymous/versions/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`));
  });

  it("leaves out a node input bound to a job input that has no value", () => {
    const noted = pipeline({ name: "noted", inputs: { note: Input.string({ optional: true }) } }, ({ note }) => {
      command({ name: "echo", inputs: { text: Input.string({ optional: true }) }, environment: "azureml:e:1", command: "echo $[[${{inputs.text}}]]" })({ text: note });
    });
    const bodies = compileRestBodies(noted.job().model, { workspace: ws });
    const jobs = bodies.job.properties["jobs"] as Record<string, Record<string, unknown>>;
    expect(jobs["echo"]?.["inputs"]).to.deep.equal({});
  });

  it("registers components as azureml_anonymous with code and environment as ARM ids, in the order they are used", () => {
    const bodies = compileRestBodies(job.model, { workspace: ws, resolution });
    expect(bodies.components.map((c) => c.component)).to.deep.equal(["prep", "train"]);
    const trainSpec = bodies.components[1]?.body.properties["componentSpec"] as Record<string, unknown>;
    expect(trainSpec["name"]).to.equal("azureml_anonymous");
    expect(trainSpec["display_name"]).to.equal("train");
    expect(trainSpec["code"]).to.equal(`${WS}/codes/abc/versions/1`);
    expect(trainSpec["environment"]).to.equal(`${WS}/environments/sklearn-env/versions/3`);
    expect(bodies.components[0]?.body.properties["componentSpec"]).to.have.property("environment", "azureml:AzureML-sklearn-1.0@latest");
    expect(bodies.components[1]?.body.properties["isAnonymous"]).to.equal(true);
  });

  it("is deterministic: the same model gives byte-identical bodies and the same component versions", () => {
    const a = compileRestBodies(job.model, { workspace: ws, resolution });
    const b = compileRestBodies(taxi.job({ raw: uriFolder("./rest-data") }).model, { workspace: ws, resolution });
    expect(JSON.stringify(b)).to.equal(JSON.stringify(a));
  });

  it("gives a changed component a new version and leaves the others' versions alone", () => {
    const before = compileRestBodies(job.model, { workspace: ws, resolution }).components.map((c) => c.version);
    const changed = { ...resolution, code: new Map([[codeDir, `${WS}/codes/def/versions/1`]]) };
    const after = compileRestBodies(job.model, { workspace: ws, resolution: changed }).components.map((c) => c.version);
    expect(after[0]).to.not.equal(before[0]);
    const spec = { name: "x", version: "1", type: "command", command: "a" };
    expect(anonymousVersion(spec)).to.equal(anonymousVersion({ ...spec, name: "y", version: "2" }));
    expect(anonymousVersion(spec)).to.not.equal(anonymousVersion({ ...spec, command: "b" }));
  });

  it("reports a local folder or data input that has no uploaded id, and sends nothing for it", () => {
    const bodies = compileRestBodies(job.model, { workspace: ws });
    expect(bodies.problems.map((p) => p.path)).to.deep.equal(["taxi/inputs/raw", "taxi/prep", "taxi/train"]);
    expect(bodies.problems.every((p) => p.severity === "error")).to.equal(true);
  });

  it("turns compute names into ARM ids and passes serverless, expressions and ids through", () => {
    expect(computeArmId(ws, "azureml:gpu")).to.equal(`${WS}/computes/gpu`);
    expect(computeArmId(ws, "serverless")).to.equal("serverless");
    expect(computeArmId(ws, "${{parent.inputs.c}}")).to.equal("${{parent.inputs.c}}");
    expect(assetReference(ws, "components", "azureml:comp@latest")).to.equal("azureml:comp@latest");
    expect(assetReference(ws, "components", "azureml://registries/r/components/c/versions/1")).to.equal("azureml://registries/r/components/c/versions/1");
  });

  it("applies --set overrides typed by the input ports, and names an unknown input", () => {
    const { job: overridden, problems } = applyInputOverrides(job.model, { lr: "0.5", raw: "./other", nope: "1" }, "/tmp/x");
    expect(overridden.inputs["lr"]).to.deep.equal({ kind: "literal", value: 0.5 });
    expect(overridden.inputs["raw"]).to.deep.equal({ kind: "data", type: "uri_folder", path: "./other", baseDir: "/tmp/x" });
    expect(problems.map((p) => p.message)).to.deep.equal(["the pipeline has no input 'nope' (its inputs: raw, lr, note)"]);
    expect(applyInputOverrides(job.model, { lr: "fast" }, undefined).problems[0]?.message).to.equal("'fast' is not a number");
  });
});
