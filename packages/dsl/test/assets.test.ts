import { expect } from "chai";
import {
  amlCompute,
  attachedVm,
  azureBlobDatastore,
  azureDataLakeGen2Datastore,
  command,
  computeInstance,
  curatedEnvironment,
  data,
  environment,
  kubernetesCompute,
  model,
  registerComponent,
  secret,
  SERVERLESS,
  tryParseSecretPlaceholder,
  secretPlaceholder,
  workspace,
} from "@pipewright/dsl";

const HERE = new URL(import.meta.url).pathname;
const FOLDER = HERE.slice(0, HERE.lastIndexOf("/"));

describe("asset definitions (DSL)", () => {
  it("records where a definition was declared and resolves local paths from that file's folder", () => {
    const line = Number(new Error().stack?.split("\n")[1]?.match(/:(\d+):\d+\)?$/)?.[1]) + 1;
    const asset = data({ name: "raw", type: "uri_folder", path: "./raw" });
    expect(asset.location).to.deep.include({ file: HERE, line });
    expect(asset.baseDir).to.equal(FOLDER);
    expect(asset).to.deep.include({ kind: "data", name: "raw", type: "uri_folder", path: "./raw" });
  });

  it("freezes definitions deeply, so the model cannot be changed after construction", () => {
    const env = environment({ name: "env", image: "python:3.12", tags: { team: "ml" }, condaFile: { dependencies: ["python"] } });
    expect(Object.isFrozen(env)).to.equal(true);
    expect(Object.isFrozen(env.tags)).to.equal(true);
    expect(Object.isFrozen(env.condaFile)).to.equal(true);
    expect("build" in env).to.equal(false);
  });

  it("turns numeric versions into strings, as Azure does on load", () => {
    expect(model({ name: "m", version: 3, path: "./m" }).version).to.equal("3");
    expect(data({ name: "d", version: "2024.1", type: "uri_file", path: "a.csv" }).version).to.equal("2024.1");
  });

  it("keeps the Azure region under region, because location is always the declaration site", () => {
    const ws = workspace({ name: "mlw-demo", location: "eastus", displayName: "Demo" });
    expect(ws.region).to.equal("eastus");
    expect(ws.location?.file).to.equal(HERE);
    const cluster = amlCompute({ name: "cpu-cluster", size: "STANDARD_DS3_v2", minInstances: 0, maxInstances: 4, idleTimeBeforeScaleDown: 120, tier: "low_priority", location: "westus" });
    expect(cluster).to.deep.include({ type: "amlcompute", region: "westus", minInstances: 0, maxInstances: 4, idleTimeBeforeScaleDown: 120, tier: "low_priority" });
  });

  it("builds each compute type", () => {
    expect(computeInstance({ name: "ci-dev", size: "STANDARD_DS3_v2", idleTimeBeforeShutdownMinutes: 30 }).type).to.equal("computeinstance");
    expect(kubernetesCompute({ name: "k8s-compute", resourceId: "/subscriptions/s/x", namespace: "ml" }).type).to.equal("kubernetes");
    const vm = attachedVm({ name: "vm-attach", resourceId: "/subscriptions/s/vm", ssh: { adminUsername: "azureuser", port: 22, privateKeyFile: "./id_rsa" } });
    expect(vm.sshSettings).to.deep.equal({ adminUsername: "azureuser", sshPort: 22, sshPrivateKeyFile: "./id_rsa" });
    expect(SERVERLESS).to.equal("serverless");
  });

  it("holds secret references, never secret values", () => {
    const store = azureBlobDatastore({
      name: "blob_store",
      accountName: "acct",
      containerName: "data",
      credentials: { accountKey: secret.env("BLOB_KEY") },
    });
    expect(store.credentials).to.deep.equal({ type: "account_key", accountKey: { kind: "secret", source: "env", name: "BLOB_KEY" } });
  });

  it("drops a literal passed where a secret reference belongs and marks it for the compiler", () => {
    const literal = "s3cr3t-account-key-value";
    const store = azureDataLakeGen2Datastore({
      name: "lake",
      accountName: "acct",
      filesystem: "fs",
      credentials: { tenantId: "t", clientId: "c", clientSecret: literal as unknown as ReturnType<typeof secret.env> },
    });
    expect(JSON.stringify(store)).not.to.contain(literal);
    expect(store.credentials).to.deep.include({ type: "service_principal", tenantId: "t", clientId: "c" });
    const creds = store.credentials as { clientSecret: { kind: string; location?: { file: string } } };
    expect(creds.clientSecret.kind).to.equal("inline_secret");
    expect(creds.clientSecret.location?.file).to.equal(HERE);
  });

  it("writes secret references as placeholders that read back to the same reference", () => {
    const ref = secret.from("keyvault", "blob-key");
    expect(secretPlaceholder(ref)).to.equal("<secret:keyvault:blob-key>");
    expect(tryParseSecretPlaceholder(secretPlaceholder(ref))).to.deep.equal(ref);
    expect(tryParseSecretPlaceholder("plain-key")).to.equal(undefined);
  });

  it("spells curated environment references the way Azure ML resolves them", () => {
    expect(curatedEnvironment("AzureML-sklearn-1.0-ubuntu20.04-py38-cpu")).to.equal("azureml:AzureML-sklearn-1.0-ubuntu20.04-py38-cpu@latest");
    expect(curatedEnvironment("env", { version: 4 })).to.equal("azureml:env:4");
    expect(curatedEnvironment("sklearn-1.5", { registry: "azureml" })).to.equal("azureml://registries/azureml/environments/sklearn-1.5/labels/latest");
  });

  it("registers a command component by its model", () => {
    const train = command({ name: "train", environment: "azureml:env:1", command: "python train.py" });
    const asset = registerComponent(train);
    expect(asset.kind).to.equal("component");
    expect(asset.component).to.equal(train.model);
  });
});
