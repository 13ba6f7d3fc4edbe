// Job outputs named as assets, against the emulator: the wish travels in the job's properties
// (the stable REST body has no place for it), the watcher registers a data or model version at the
// output's URI when the job completes, a restarted watcher registers nothing twice, and
// registering a job that has not completed is PW4615.
import { command, Input, Output, pipeline, type PipelineJob } from "@pipewright/dsl";
import { expect } from "chai";
import { join } from "node:path";
import { OUTPUT_ASSETS_PROPERTY, type RegisteredOutput } from "../src/azure/output-registration.js";
import { collect, useAzureBackend } from "./helpers/azure-backend-fixtures.js";

function namedOutputs(dir: string, outputs: PipelineJob["model"]["outputs"]): PipelineJob {
  const train = command({
    name: "train",
    inputs: { rate: Input.number() },
    outputs: { features: Output.uriFolder(), model: Output.mlflowModel() },
    code: join(dir, "src"),
    environment: "azureml:AzureML-sklearn-1.5@latest",
    command: "python main.py --rate ${{inputs.rate}} --features ${{outputs.features}} --model ${{outputs.model}}",
  });
  const p = pipeline(
    { name: "named_outputs", outputs: { features: Output.uriFolder(), model: Output.mlflowModel() }, settings: { defaultCompute: "azureml:cpu-cluster" } },
    () => {
      const step = train({ rate: 0.1 });
      return { features: step.outputs.features, model: step.outputs.model };
    },
  );
  return p.job({}, { outputs });
}

describe("registering job outputs named as assets, against the emulator", function () {
  this.timeout(60_000);
  const backend = useAzureBackend();
  const versionPuts = (): number => backend.emulator.state.requests.filter((r) => r.method === "PUT" && /Versions_CreateOrUpdate$/.test(r.operationId ?? "") && !/^Component/.test(r.operationId ?? "")).length;


  it("registers a data version and a model version at the outputs' URIs when the watched job completes, and a restarted watcher registers nothing again", async () => {
    const job = await backend.ml.jobs.createOrUpdate(namedOutputs(backend.dir, { features: { name: "features" }, model: { name: "clf", version: "3" } }));
    const stored = await backend.ml.jobs.api.getJob(job.name);
    const property = (stored?.["properties"] as { properties?: Record<string, string> } | undefined)?.properties?.[OUTPUT_ASSETS_PROPERTY];
    expect(JSON.parse(property ?? "{}")).to.deep.equal({ features: { name: "features", type: "uri_folder" }, model: { name: "clf", version: "3", type: "mlflow_model" } });

    const registered: RegisteredOutput[] = [];
    const events = await collect(backend.ml.jobs.stream(job.name, { onOutputRegistered: (r) => registered.push(r) }));
    const finished = events.at(-1);
    expect(finished?.type === "job_finished" && finished.status).to.equal("completed");
    const outputs = finished?.type === "job_finished" ? finished.outputs : {};
    expect(registered.map((r) => [r.output, r.kind, r.id, r.path, r.created])).to.deep.equal([
      ["features", "data", "azureml:features:1", outputs["features"], true],
      ["model", "model", "azureml:clf:3", outputs["model"], true],
    ]);
    const data = await backend.ml.data.get("features");
    expect([data.type, data.path, data.tags["pipewright.job"]]).to.deep.equal(["uri_folder", outputs["features"], job.name]);
    expect((await backend.ml.models.get("clf", { version: "3" })).type).to.equal("mlflow_model");

    const puts = versionPuts();
    expect(backend.emulator.state.requests.filter((r) => r.method === "PUT" && /^(Data|Model)Versions_CreateOrUpdate$/.test(r.operationId ?? "")).length).to.equal(2);
    const again: RegisteredOutput[] = [];
    await collect(backend.ml.jobs.stream(job.name, { onOutputRegistered: (r) => again.push(r) }));
    expect(again.map((r) => [r.id, r.created])).to.deep.equal([
      ["azureml:features:1", false],
      ["azureml:clf:3", false],
    ]);
    expect(versionPuts(), "versions sent again").to.equal(puts);
    expect((await backend.ml.data.list("features")).map((r) => r.version)).to.deep.equal(["1"]);
    expect((await backend.ml.jobs.registerOutputs(job.name)).every((r) => !r.created)).to.equal(true);
  });

  it("refuses to register the outputs of a job that has not completed (PW4615), and registers nothing for a job naming none", async () => {
    const job = await backend.ml.jobs.createOrUpdate(namedOutputs(backend.dir, { features: { name: "early" } }));
    const error = await backend.ml.jobs.registerOutputs(job.name).then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(error?.code).to.equal("PW4615");
    expect(error?.message).to.contain("features");
    expect((await backend.ml.data.list()).map((r) => r.name)).not.to.include("early");
    const plain = await backend.ml.jobs.createOrUpdate(namedOutputs(backend.dir, {}));
    const registered: RegisteredOutput[] = [];
    await collect(backend.ml.jobs.stream(plain.name, { onOutputRegistered: (r) => registered.push(r) }));
    expect(registered).to.deep.equal([]);
  });
});
