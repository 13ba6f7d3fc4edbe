// Request bodies shaped the way REST.md §2 says the Python SDK sends them, for the emulator tests.
import type { ClientSecretCredential } from "@azure/identity";
import type { PipelineResponse } from "@azure/core-rest-pipeline";
import type { RunningEmulator } from "../../src/index.js";
import { json, workspacePath, type ArmClient } from "./emulator-clients.js";

export interface RegisteredComponent {
  readonly codeId: string;
  readonly componentId: string;
}

/** Registers an anonymous code version and a command component that uses it. */
export async function registerComponent(arm: ArmClient, emulator: RunningEmulator, suffix = "1"): Promise<RegisteredComponent> {
  const ws = workspacePath(emulator);
  const codeName = `0000000${suffix}-aaaa-4bbb-8ccc-000000000001`;
  const codeId = `${ws}/codes/${codeName}/versions/1`;
  const code = await arm.send("PUT", `${ws}/codes/${codeName}/versions/1`, {
    body: { properties: { codeUri: `${emulator.url}/pipewrightemu/somecontainer/src`, isAnonymous: true, properties: { hash_sha256: `hash-${suffix}`, hash_version: "202208" } } },
  });
  if (code.status !== 201 && code.status !== 200) throw new Error(`code PUT failed: ${code.status} ${code.bodyAsText ?? ""}`);
  const version = `0000000${suffix}-1111-4222-8333-444444444444`;
  const component = await arm.send("PUT", `${ws}/components/azureml_anonymous/versions/${version}`, {
    body: {
      properties: {
        isAnonymous: true,
        componentSpec: {
          name: "azureml_anonymous",
          version,
          type: "command",
          command: "python main.py --x ${{inputs.x}} --out ${{outputs.out}}",
          code: codeId,
          environment: "azureml:AzureML-sklearn-1.5@latest",
          inputs: { x: { type: "string" }, upstream: { type: "uri_folder", optional: true } },
          outputs: { out: { type: "uri_folder" } },
        },
      },
    },
  });
  if (component.status !== 201 && component.status !== 200) throw new Error(`component PUT failed: ${component.status} ${component.bodyAsText ?? ""}`);
  return { codeId, componentId: `${ws}/components/azureml_anonymous/versions/${version}` };
}

export interface NodeSpec {
  readonly name: string;
  readonly after?: string;
  readonly tags?: Record<string, string>;
}

export function pipelineJobBody(emulator: RunningEmulator, componentId: string, nodes: readonly NodeSpec[], settings: Record<string, unknown> = {}): Record<string, unknown> {
  const compute = `${workspacePath(emulator)}/computes/cpu-cluster`;
  const jobs: Record<string, unknown> = {};
  for (const node of nodes) {
    const inputs: Record<string, unknown> = { x: { job_input_type: "literal", value: "${{parent.inputs.lr}}" } };
    if (node.after !== undefined) inputs["upstream"] = { job_input_type: "literal", value: `\${{parent.jobs.${node.after}.outputs.out}}` };
    jobs[node.name] = {
      type: "command",
      name: node.name,
      componentId,
      computeId: compute,
      inputs,
      outputs: { out: { job_output_type: "uri_folder", mode: "ReadWriteMount" } },
      ...(node.tags ? { tags: node.tags } : {}),
      _source: "YAML.COMPONENT",
    };
  }
  return {
    properties: {
      jobType: "Pipeline",
      displayName: "train-pipeline",
      experimentName: "emulator-tests",
      tags: { suite: "emulator" },
      properties: {},
      computeId: compute,
      settings: { default_compute: compute, continue_on_step_failure: false, _source: "DSL", ...settings },
      inputs: { lr: { jobInputType: "literal", value: "0.01" } },
      outputs: {},
      jobs,
    },
  };
}

/** The second token a pipeline PUT carries, for https://ml.azure.com. */
export async function mlTokenHeader(credential: ClientSecretCredential): Promise<Record<string, string>> {
  const token = await credential.getToken("https://ml.azure.com/.default");
  return { "x-azureml-token": token.token };
}

export function statusOf(response: PipelineResponse): string {
  const body = json(response);
  if (typeof body !== "object" || body === null || !("properties" in body)) return "";
  const properties = body.properties;
  return typeof properties === "object" && properties !== null && "status" in properties ? String(properties.status) : "";
}
