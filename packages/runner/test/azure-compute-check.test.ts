import { expect } from "chai";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { command, pipeline, type PipelineJob } from "@pipewright/dsl";
import { startEmulator, type AzureMLClient, type RunningEmulator } from "../src/index.js";
import { isAzureError } from "../src/azure/azure-error.js";
import { computeNameOf, computeUses } from "../src/azure/compute-check.js";
import { azureClient, projectFolder } from "./helpers/azure-backend-fixtures.js";
import { CLIENT_ID, CLIENT_SECRET } from "./helpers/emulator-clients.js";

const WS = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws";

/** Two steps with the given computes, the second inside a pipeline component. */
function job(dir: string, computes: { readonly default?: string; readonly first?: string; readonly inner?: string }): PipelineJob {
  const step = command({ name: "step", code: join(dir, "src"), environment: "azureml:AzureML-sklearn-1.5@latest", command: "python main.py" });
  const inner = pipeline({ name: "inner" }, () => {
    step({}, computes.inner !== undefined ? { compute: computes.inner } : {});
  });
  return pipeline({ name: "outer", settings: computes.default !== undefined ? { defaultCompute: computes.default } : {} }, () => {
    step({}, computes.first !== undefined ? { compute: computes.first } : {});
    inner({});
  }).job();
}

describe("computes are checked before a submission uploads anything", () => {
  it("turns compute values into this workspace's compute names, passing serverless, expressions and other workspaces", () => {
    expect(computeNameOf("azureml:cpu-cluster", WS)).to.equal("cpu-cluster");
    expect(computeNameOf("gpu", WS)).to.equal("gpu");
    expect(computeNameOf(`${WS}/computes/big`, WS)).to.equal("big");
    expect(computeNameOf(`azureml:${WS}/computes/big`, WS)).to.equal("big");
    expect(computeNameOf("serverless", WS)).to.equal(undefined);
    expect(computeNameOf("${{parent.inputs.compute}}", WS)).to.equal(undefined);
    expect(computeNameOf("/subscriptions/other/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws2/computes/c", WS)).to.equal(undefined);
  });

  it("finds the default compute and every node's compute, inside pipeline components too, each once with where it is used", () => {
    const dir = projectFolder();
    try {
      const uses = computeUses(job(dir, { default: "azureml:cpu-cluster", first: "serverless", inner: "azureml:cpu-cluster" }).model, WS);
      expect(uses).to.deep.equal([{ name: "cpu-cluster", usedAt: ["outer/settings/default_compute", "outer/inner/step/compute"] }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe("against the emulator", () => {
    let emulator: RunningEmulator;
    let dir: string;
    let ml: AzureMLClient;

    before(async () => {
      emulator = await startEmulator({ auth: { clients: { [CLIENT_ID]: CLIENT_SECRET } }, computes: ["cpu-cluster", "gpu-cluster"] });
      dir = projectFolder();
      ml = azureClient(emulator, dir);
    });
    after(async () => {
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    });
    afterEach(() => {
      expect(emulator.state.violations(), "spec violations").to.deep.equal([]);
      expect(emulator.state.internalErrors, "emulator errors").to.deep.equal([]);
    });

    it("stops with PW4614 naming a missing compute and where it is used, before any upload or registration", async () => {
      const mark = emulator.state.requests.length;
      const error: unknown = await ml.jobs.submit(job(dir, { default: "azureml:cpu-cluster", inner: "azureml:tpu-cluster" })).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isAzureError(error) && error.code).to.equal("PW4614");
      const message = error instanceof Error ? error.message : "";
      expect(message).to.contain("no compute named 'tpu-cluster'");
      expect(message).to.contain("outer/inner/step/compute");
      expect(message).to.contain("The workspace has: cpu-cluster, gpu-cluster");
      const after = emulator.state.requests.slice(mark);
      expect(after.filter((r) => r.method !== "GET" && r.operationId !== "Authority_Token").map((r) => r.operationId)).to.deep.equal([]);
      expect(after.filter((r) => r.operationId === "Compute_Get").length).to.equal(2);
      expect(emulator.state.jobs()).to.deep.equal([]);
    });

    it("submits when every compute exists, looking each distinct one up once, and lets serverless through", async () => {
      const mark = emulator.state.requests.length;
      const result = await ml.jobs.submit(job(dir, { default: "azureml:cpu-cluster", first: "serverless", inner: "azureml:gpu-cluster" }));
      expect(emulator.state.job(result.name)).to.not.equal(undefined);
      const lookups = emulator.state.requests.slice(mark).filter((r) => r.operationId === "Compute_Get");
      expect(lookups.map((r) => r.path.split("/").at(-1)).sort()).to.deep.equal(["cpu-cluster", "gpu-cluster"]);
    });
  });
});
