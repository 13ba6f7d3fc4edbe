import { expect } from "chai";
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
  type AssetModel,
} from "@pipewright/dsl";
import { emitAsset, loadAsset } from "@pipewright/compiler";

const HERE = new URL(import.meta.url).pathname;
const FOLDER = HERE.slice(0, HERE.lastIndexOf("/"));

/** The model without declaration sites, which differ by construction (TypeScript line vs YAML line). */
function withoutLocations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutLocations);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (key !== "location") out[key] = withoutLocations(field);
  return out;
}

const definitions: AssetModel[] = [
  workspace({ name: "mlw-basic-prod", location: "eastus", displayName: "Basic", description: "d", tags: { env: "prod" }, hbiWorkspace: false }),
  amlCompute({
    name: "cpu-cluster",
    size: "STANDARD_DS3_v2",
    minInstances: 0,
    maxInstances: 4,
    idleTimeBeforeScaleDown: 120,
    tier: "dedicated",
    location: "westus",
    sshSettings: { adminUsername: "azureuser", adminPassword: secret.env("CLUSTER_PASSWORD") },
    networkSettings: { vnetName: "vnet", subnet: "default" },
  }),
  computeInstance({ name: "ci-dev", size: "STANDARD_DS3_v2", idleTimeBeforeShutdownMinutes: 30, sshKeyValue: "ssh-rsa AAAA", createOnBehalfOf: { userTenantId: "t", userObjectId: "o" } }),
  kubernetesCompute({ name: "k8s-compute", resourceId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Kubernetes/connectedClusters/c", namespace: "ml" }),
  attachedVm({ name: "vm-attach", resourceId: "/subscriptions/s/vm", ssh: { adminUsername: "azureuser", port: 22, privateKeyFile: "./keys/id_rsa" } }),
  azureBlobDatastore({ name: "blob_sas", accountName: "a", containerName: "c", protocol: "wasbs", credentials: { sasToken: secret.env("BLOB_SAS") } }),
  azureFileDatastore({ name: "file_key", accountName: "a", fileShareName: "s", credentials: { accountKey: secret.from("keyvault", "file-key") } }),
  azureDataLakeGen1Datastore({ name: "gen1_cert", storeName: "s", credentials: { tenantId: "t", clientId: "c", certificate: secret.env("CERT"), thumbprint: "ab12" } }),
  azureDataLakeGen2Datastore({ name: "gen2_identity", accountName: "a", filesystem: "f", description: "identity-based" }),
  data({ name: "raw", version: 3, type: "mltable", path: "./tables/raw", tags: { source: "web" }, properties: { rows: 10 } }),
  model({ name: "taxi-model", type: "triton_model", path: "./models/triton" }),
  environment({ name: "conda-env", version: "2", image: "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04:latest", condaFile: "./conda.yml", osType: "linux" }),
  environment({ name: "inline-conda", image: "python:3.12-slim", condaFile: { name: "x", dependencies: ["python=3.12", { pip: ["numpy"] }] } }),
  environment({ name: "docker-context", build: { path: "./docker", dockerfilePath: "Dockerfile.gpu" } }),
];

describe("asset round trip (DSL -> YAML -> model)", () => {
  for (const definition of definitions) {
    const label = `${definition.kind} ${"name" in definition ? definition.name : ""}`;
    it(`${label}: loading the emitted YAML gives back the same definition`, () => {
      const emitted = emitAsset(definition, { outDir: FOLDER, path: "asset.yml" });
      expect(emitted.diagnostics).to.deep.equal([]);
      const text = emitted.document?.content ?? "";
      const loaded = loadAsset(text, `${FOLDER}/asset.yml`, { readFile: (path) => (path === `${FOLDER}/conda.yml` ? "name: x\ndependencies: [python=3.12]\n" : undefined) });
      expect(loaded.diagnostics).to.deep.equal([]);
      expect(withoutLocations(loaded.asset)).to.deep.equal(withoutLocations(definition));
      // And once more: the loaded definition emits the same text.
      expect(emitAsset(loaded.asset as AssetModel, { outDir: FOLDER, path: "asset.yml" }).document?.content).to.equal(text);
    });
  }
});
