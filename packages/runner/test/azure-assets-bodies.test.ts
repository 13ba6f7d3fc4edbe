// The REST bodies of assets and resources (compiler/src/rest/assets-*.ts) checked against the
// Azure ML spec: every kind and credential form, secrets from the lookup only, problems coded.
import { expect } from "chai";
import { computeBody, dataVersionBody, datastoreBody, environmentVersionBody, modelVersionBody, workspaceBody } from "@pipewright/compiler";
import {
  amlCompute,
  attachedVm,
  azureBlobDatastore,
  azureDataLakeGen1Datastore,
  azureDataLakeGen2Datastore,
  azureFileDatastore,
  computeInstance,
  data,
  environment,
  kubernetesCompute,
  model,
  secret,
  workspace,
  type SecretRef,
} from "@pipewright/dsl";
import { loadAzureMlSpecCheck } from "../src/index.js";

const spec = loadAzureMlSpecCheck();
const ws = { subscriptionId: "00000000-0000-0000-0000-000000000000", resourceGroup: "rg", workspaceName: "ws" };
const values: Record<string, string> = { BLOB_KEY: "k3y-value-never-logged", SAS: "sv=2024&sig=abc", SP_SECRET: "sp-secret-value" };
const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const CLIENT = "11111111-2222-3333-4444-555555555555";
const lookup = (ref: SecretRef): string | undefined => (ref.source === "env" ? values[ref.name] : undefined);

describe("asset and resource REST bodies", () => {
  it("data, model and environment versions conform to their CreateOrUpdate operations", () => {
    const bodies: [string, unknown][] = [
      ["DataVersions_CreateOrUpdate", dataVersionBody(data({ name: "raw", path: "./d", type: "uri_file", tags: { a: "b" } }), "azureml://datastores/workspaceblobstore/paths/LocalUpload/x/d")],
      ["DataVersions_CreateOrUpdate", dataVersionBody(data({ name: "tbl", path: "./t", type: "mltable" }), "azureml://datastores/workspaceblobstore/paths/LocalUpload/x/t/")],
      ["ModelVersions_CreateOrUpdate", modelVersionBody(model({ name: "clf", path: "./m", type: "mlflow_model" }), "azureml://datastores/workspaceblobstore/paths/LocalUpload/x/m/")],
      ["EnvironmentVersions_CreateOrUpdate", environmentVersionBody(environment({ name: "env", image: "python:3.11-slim" }), { condaText: "name: x\n" })],
      ["EnvironmentVersions_CreateOrUpdate", environmentVersionBody(environment({ name: "env", build: { path: "./ctx", dockerfilePath: "Dockerfile" } }), { contextUri: "https://a.blob.core.windows.net/c/LocalUpload/h/ctx/" })],
    ];
    for (const [operation, body] of bodies) expect(spec.requestBody(operation, body as never), operation).to.deep.equal([]);
    const dataBody = dataVersionBody(data({ name: "raw", path: "./d", type: "uri_file" }), "u");
    expect(dataBody.properties).to.include({ dataType: "uri_file", dataUri: "u", isAnonymous: false });
  });

  it("datastores of every type and credential form conform, with secrets from the lookup", () => {
    const stores = [
      azureBlobDatastore({ name: "blob", accountName: "acct", containerName: "c", credentials: { accountKey: secret.env("BLOB_KEY") } }),
      azureBlobDatastore({ name: "blobsas", accountName: "acct", containerName: "c", credentials: { sasToken: secret.env("SAS") } }),
      azureBlobDatastore({ name: "blobid", accountName: "acct", containerName: "c" }),
      azureFileDatastore({ name: "share", accountName: "acct", fileShareName: "s", credentials: { accountKey: secret.env("BLOB_KEY") } }),
      azureDataLakeGen1Datastore({ name: "gen1", storeName: "store", credentials: { tenantId: TENANT, clientId: CLIENT, clientSecret: secret.env("SP_SECRET") } }),
      azureDataLakeGen2Datastore({ name: "gen2", accountName: "acct", filesystem: "fs", credentials: { tenantId: TENANT, clientId: CLIENT, clientSecret: secret.env("SP_SECRET") } }),
      azureDataLakeGen2Datastore({ name: "gen2id", accountName: "acct", filesystem: "fs" }),
    ];
    for (const store of stores) {
      const built = datastoreBody(store, lookup);
      expect(built.problems, store.name).to.deep.equal([]);
      expect(spec.requestBody("Datastores_CreateOrUpdate", built.body as never), store.name).to.deep.equal([]);
    }
    const blob = datastoreBody(stores[0] as never, lookup).body as { properties: { credentials: unknown } };
    expect(blob.properties.credentials).to.deep.equal({ credentialsType: "AccountKey", secrets: { secretsType: "AccountKey", key: values["BLOB_KEY"] } });
    expect((datastoreBody(stores[2] as never, lookup).body as { properties: { credentials: unknown } }).properties.credentials).to.deep.equal({ credentialsType: "None" });
  });

  it("a missing secret is PW4609 naming the variable, an inline one PW1503, and neither gives a body", () => {
    const missing = datastoreBody(azureBlobDatastore({ name: "b", accountName: "a", containerName: "c", credentials: { accountKey: secret.env("NOT_SET_ANYWHERE") } }), lookup);
    expect(missing.body).to.equal(undefined);
    expect(missing.problems.map((p) => p.code)).to.deep.equal(["PW4609"]);
    expect(missing.problems[0]?.message).to.contain("NOT_SET_ANYWHERE");
    const inline = datastoreBody(azureBlobDatastore({ name: "b", accountName: "a", containerName: "c", credentials: { accountKey: "plain-text-key" as never } }), lookup);
    expect(inline.body).to.equal(undefined);
    expect(inline.problems.map((p) => p.code)).to.deep.equal(["PW1503"]);
    expect(JSON.stringify(inline.problems)).to.not.contain("plain-text-key");
  });

  it("a service principal whose tenant or client id is not a GUID is PW1511", () => {
    const built = datastoreBody(azureDataLakeGen2Datastore({ name: "g", accountName: "a", filesystem: "f", credentials: { tenantId: "contoso", clientId: CLIENT, clientSecret: secret.env("SP_SECRET") } }), lookup);
    expect(built.body).to.equal(undefined);
    expect(built.problems.map((p) => [p.code, p.path])).to.deep.equal([["PW1511", "datastore/g/credentials.tenant_id"]]);
  });

  it("clusters, instances, Kubernetes and VM attachments conform to Compute_CreateOrUpdate", () => {
    const computes = [
      amlCompute({ name: "cpu-cluster", size: "STANDARD_DS3_V2", minInstances: 0, maxInstances: 4, idleTimeBeforeScaleDown: 120, tier: "low_priority", location: "westus", sshPublicAccessEnabled: false }),
      amlCompute({ name: "gpu-cluster", sshSettings: { adminUsername: "azureuser", sshKeyValue: "ssh-rsa AAAA", adminPassword: secret.env("SP_SECRET") }, networkSettings: { vnetName: "v", subnet: "default" } }),
      computeInstance({ name: "my-ci", size: "STANDARD_DS3_V2", sshPublicAccessEnabled: true, sshKeyValue: "ssh-rsa AAAA", createOnBehalfOf: { userTenantId: "t", userObjectId: "o" } }),
      kubernetesCompute({ name: "k8s-compute", resourceId: "/subscriptions/s/resourceGroups/r/providers/Microsoft.ContainerService/managedClusters/aks", namespace: "ml" }),
      attachedVm({ name: "my-vm", resourceId: "/subscriptions/s/resourceGroups/r/providers/Microsoft.Compute/virtualMachines/vm", ssh: { adminUsername: "azureuser", port: 22, password: secret.env("SP_SECRET") } }),
    ];
    for (const compute of computes) {
      const built = computeBody(compute, { workspace: ws, lookup });
      expect(built.problems, compute.name).to.deep.equal([]);
      expect(spec.requestBody("Compute_CreateOrUpdate", built.body as never), compute.name).to.deep.equal([]);
    }
    const cluster = computeBody(computes[0] as never, { workspace: ws, lookup }).body as { properties: { properties: Record<string, unknown> } };
    expect(cluster.properties.properties).to.deep.include({ vmPriority: "LowPriority", scaleSettings: { maxNodeCount: 4, minNodeCount: 0, nodeIdleTimeBeforeScaleDown: "PT120S" }, remoteLoginPortPublicAccess: "Disabled" });
  });

  it("a compute instance's idle shutdown is a PW4612 warning (the stable API has no field for it), not an error", () => {
    const built = computeBody(computeInstance({ name: "my-ci", idleTimeBeforeShutdownMinutes: 30 }), { workspace: ws, lookup });
    expect(built.body).to.not.equal(undefined);
    expect(built.problems.map((p) => [p.code, p.severity])).to.deep.equal([["PW4612", "warning"]]);
  });

  it("a workspace body carries its region, and without one is PW1509", () => {
    expect(workspaceBody(workspace({ name: "new-ws", location: "westeurope", displayName: "New" })).body).to.deep.include({ location: "westeurope", properties: { friendlyName: "New" } });
    expect(workspaceBody(workspace({ name: "new-ws" })).problems.map((p) => p.code)).to.deep.equal(["PW1509"]);
  });
});
