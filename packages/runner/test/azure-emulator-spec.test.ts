import { expect } from "chai";
import { ContainerClient } from "@azure/storage-blob";
import type { ClientSecretCredential } from "@azure/identity";
import type { PipelineResponse } from "@azure/core-rest-pipeline";
import { loadAzureMlSpecCheck, startEmulator, type AzureMlSpecCheck, type RunningEmulator, type SpecIssue } from "../src/index.js";
import { armClient, emulatorCredential, json, storagePipeline, workspacePath, type ArmClient } from "./helpers/emulator-clients.js";
import { mlTokenHeader, pipelineJobBody, registerComponent } from "./helpers/emulator-fixtures.js";

const codes = (issues: readonly SpecIssue[]): string[] => issues.map((i) => `${i.code} ${i.path}`);

describe("Azure ML spec validator", () => {
  let spec: AzureMlSpecCheck;

  before(() => {
    spec = loadAzureMlSpecCheck();
  });

  it("validates against the newest stable api-version in the spec folder", () => {
    expect(spec.apiVersion).to.equal("2025-12-01");
  });

  it("merges allOf parents before applying additionalProperties: false", () => {
    const input = { jobInputType: "uri_folder", uri: "azureml://datastores/workspaceblobstore/paths/x/", mode: "ReadOnlyMount", description: "d" };
    expect(spec.definition("JobInput", input, "request")).to.deep.equal([]);
    expect(codes(spec.definition("JobInput", { ...input, path: "x" }, "request"))).to.deep.equal(["OBJECT_ADDITIONAL_PROPERTIES "]);
  });

  it("dispatches on discriminators and names the allowed values for an unknown one", () => {
    const issues = spec.definition("JobInput", { jobInputType: "folder", uri: "x" }, "request");
    expect(codes(issues)).to.deep.equal(["DISCRIMINATOR_VALUE_NOT_FOUND jobInputType"]);
    expect(issues[0]?.message).to.contain('"uri_folder"');
    expect(codes(spec.definition("JobInput", { uri: "x" }, "request"))).to.deep.equal(["OBJECT_MISSING_REQUIRED_PROPERTY "]);
  });

  it("ignores read-only properties in requests but type-checks them in responses", () => {
    const job = { properties: { jobType: "Pipeline", status: 42, jobs: {} } };
    expect(spec.requestBody("Jobs_CreateOrUpdate", job)).to.deep.equal([]);
    expect(codes(spec.responseBody("Jobs_Get", 200, job))).to.deep.equal(["INVALID_TYPE properties.status"]);
  });

  it("allows null only where the spec says x-nullable", () => {
    expect(spec.requestBody("Jobs_CreateOrUpdate", { properties: { jobType: "Pipeline", displayName: null } })).to.deep.equal([]);
    expect(codes(spec.requestBody("Jobs_CreateOrUpdate", { properties: { jobType: "Pipeline", isArchived: null } }))).to.deep.equal(["INVALID_TYPE properties.isArchived"]);
  });

  it("accepts the spec's own examples", () => {
    const body = { properties: { codeUri: "https://blobStorage/folderName", isAnonymous: true, properties: { hash_sha256: "abc", hash_version: "202208" } } };
    expect(spec.requestBody("CodeVersions_CreateOrUpdate", body)).to.deep.equal([]);
    expect(spec.requestBody("CodeVersions_CreateOrGetStartPendingUpload", { pendingUploadType: "TemporaryBlobReference" })).to.deep.equal([]);
  });
});

describe("Azure ML emulator responses and references", () => {
  let emulator: RunningEmulator;
  let credential: ClientSecretCredential;
  let arm: ArmClient;
  let ws: string;
  let spec: AzureMlSpecCheck;

  before(async () => {
    emulator = await startEmulator();
    credential = emulatorCredential(emulator);
    arm = armClient(emulator, credential);
    ws = workspacePath(emulator);
    spec = loadAzureMlSpecCheck();
  });

  after(async () => {
    await emulator.close();
  });

  const conforms = (operationId: string, response: PipelineResponse): void => {
    expect(spec.responseBody(operationId, response.status, json(response) as never), `${operationId} ${response.status}`).to.deep.equal([]);
  };

  it("answers with bodies that conform to the spec's response schemas", async () => {
    const { componentId, codeId } = await registerComponent(arm, emulator, "3");
    const code = await arm.send("GET", codeId);
    conforms("CodeVersions_Get", code);
    conforms("CodeVersions_List", await arm.send("GET", `${ws}/codes/anything/versions`, { query: { hash: "hash-3", hashVersion: "202208" } }));
    conforms("ComponentVersions_Get", await arm.send("GET", componentId));
    conforms("ComponentContainers_Get", await arm.send("GET", `${ws}/components/azureml_anonymous`));
    conforms("Datastores_Get", await arm.send("GET", `${ws}/datastores/workspaceblobstore`));
    conforms("Datastores_List", await arm.send("GET", `${ws}/datastores`, { query: { isDefault: "true" } }));
    conforms("Datastores_ListSecrets", await arm.send("POST", `${ws}/datastores/workspaceblobstore/listSecrets`));
    conforms("Compute_Get", await arm.send("GET", `${ws}/computes/cpu-cluster`));
    conforms("CodeVersions_CreateOrGetStartPendingUpload", await arm.send("POST", `${ws}/codes/x/versions/1/startPendingUpload`, { body: {} }));
    const created = await arm.send("PUT", `${ws}/jobs/conforming`, { body: pipelineJobBody(emulator, componentId, [{ name: "a" }]), headers: await mlTokenHeader(credential) });
    conforms("Jobs_CreateOrUpdate", created);
    conforms("Jobs_Get", await arm.send("GET", `${ws}/jobs/conforming`));
    conforms("Jobs_List", await arm.send("GET", `${ws}/jobs`));
    conforms("Jobs_Get", await arm.send("GET", `${ws}/jobs/no-such-job`));
  });

  it("finds a code version by content hash regardless of the name asked for", async () => {
    await registerComponent(arm, emulator, "4");
    const found = json(await arm.send("GET", `${ws}/codes/some-other-name/versions`, { query: { hash: "hash-4", hashVersion: "202208" } })) as { value: { id: string }[] };
    expect(found.value.map((v) => v.id)).to.deep.equal([`${ws}/codes/00000004-aaaa-4bbb-8ccc-000000000001/versions/1`]);
  });

  it("gives datastore secrets that upload to the path-style URL built from the datastore's fields", async () => {
    const datastore = json(await arm.send("GET", `${ws}/datastores`, { query: { isDefault: "true" } })) as { value: { properties: Record<string, string> }[] };
    const props = datastore.value[0]?.properties ?? {};
    const secrets = json(await arm.send("POST", `${ws}/datastores/workspaceblobstore/listSecrets`)) as { secretsType: string; sasToken: string };
    expect(secrets.secretsType).to.equal("Sas");
    const url = `${props["protocol"] ?? ""}://${props["endpoint"] ?? ""}/${props["accountName"] ?? ""}/${props["containerName"] ?? ""}?${secrets.sasToken}`;
    await new ContainerClient(url, storagePipeline(emulator)).getBlockBlobClient("LocalUpload/abc/data/file.csv").uploadData(Buffer.from("a,b\n"));
    expect(emulator.state.blobs(props["containerName"]).map((b) => b.name)).to.include("LocalUpload/abc/data/file.csv");
  });

  it("refuses a component whose code asset was never registered", async () => {
    const response = await arm.send("PUT", `${ws}/components/azureml_anonymous/versions/11111111-2222-4333-8444-555555555555`, {
      body: { properties: { isAnonymous: true, componentSpec: { type: "command", command: "python x.py", environment: "azureml:env:1", code: `${ws}/codes/missing/versions/1` } } },
    });
    expect(response.status).to.equal(400);
    expect(json(response)).to.have.nested.property("error.details[0].code", "REFERENCE_NOT_FOUND");
  });

  it("refuses a re-registration that changes an existing component version's spec", async () => {
    const { componentId } = await registerComponent(arm, emulator, "5");
    const current = json(await arm.send("GET", componentId)) as { properties: { componentSpec: Record<string, unknown> } };
    const response = await arm.send("PUT", componentId, { body: { properties: { isAnonymous: true, componentSpec: { ...current.properties.componentSpec, command: "python other.py" } } } });
    expect(response.status).to.equal(400);
    expect(json(response)).to.have.nested.property("error.details[0].target", "properties.componentSpec");
  });

  it("refuses pipeline jobs whose node bindings name a missing node, form a cycle, or use an unregistered component", async () => {
    const { componentId } = await registerComponent(arm, emulator, "6");
    const headers = await mlTokenHeader(credential);
    const issuesOf = async (name: string, body: Record<string, unknown>): Promise<string[]> => {
      const response = await arm.send("PUT", `${ws}/jobs/${name}`, { body, headers });
      expect(response.status).to.equal(400);
      return ((json(response) as { error: { details: { code: string }[] } }).error.details ?? []).map((d) => d.code);
    };
    expect(await issuesOf("dangling", pipelineJobBody(emulator, componentId, [{ name: "a", after: "ghost" }]))).to.include("SDK_SHAPE_BINDING");
    expect(await issuesOf("cyclic", pipelineJobBody(emulator, componentId, [{ name: "a", after: "b" }, { name: "b", after: "a" }]))).to.include("SDK_SHAPE_CYCLE");
    expect(await issuesOf("unregistered", pipelineJobBody(emulator, `${ws}/components/nope/versions/1`, [{ name: "a" }]))).to.include("REFERENCE_NOT_FOUND");
    expect(emulator.state.violations().map((v) => v.path.split("/").at(-1))).to.include.members(["dangling", "cyclic", "unregistered"]);
  });
});
