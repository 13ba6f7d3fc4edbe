import { expect } from "chai";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { command, pipeline, type PipelineJob } from "@pipewright/dsl";
import { isAzureError } from "../src/azure/azure-error.js";
import { computeNameOf, computeUses } from "../src/azure/compute-check.js";
import { projectFolder, useAzureBackend } from "./helpers/azure-backend-fixtures.js";

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
    const backend = useAzureBackend({ computes: ["cpu-cluster", "gpu-cluster"] });

    it("stops with PW4614 naming a missing compute and where it is used, before any upload or registration", async () => {
      const mark = backend.emulator.state.requests.length;
      const error: unknown = await backend.ml.jobs.submit(job(backend.dir, { default: "azureml:cpu-cluster", inner: "azureml:tpu-cluster" })).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isAzureError(error) && error.code).to.equal("PW4614");
      const message = error instanceof Error ? error.message : "";
      expect(message).to.contain("no compute named 'tpu-cluster'");
      expect(message).to.contain("outer/inner/step/compute");
      expect(message).to.contain("The workspace has: cpu-cluster, gpu-cluster");
      const after = backend.emulator.state.requests.slice(mark);
      expect(after.filter((r) => r.method !== "GET" && r.operationId !== "Authority_Token").map((r) => r.operationId)).to.deep.equal([]);
      expect(after.filter((r) => r.operationId === "Compute_Get").length).to.equal(2);
      expect(backend.emulator.state.jobs()).to.deep.equal([]);
    });

    it("submits when every compute exists, looking each distinct one up once, and lets serverless through", async () => {
      const mark = backend.emulator.state.requests.length;
      const result = await backend.ml.jobs.submit(job(backend.dir, { default: "azureml:cpu-cluster", first: "serverless", inner: "azureml:gpu-cluster" }));
      expect(backend.emulator.state.job(result.name)).to.not.equal(undefined);
      const lookups = backend.emulator.state.requests.slice(mark).filter((r) => r.operationId === "Compute_Get");
      expect(lookups.map((r) => r.path.split("/").at(-1)).sort()).to.deep.equal(["cpu-cluster", "gpu-cluster"]);
    });
  });
});
