// The Azure client's asset and resource operations against the emulator: data, models,
// environments and named components (create, get, list, idempotent re-create, immutable
// versions), datastores with secrets read from the environment only at creation, computes and
// workspaces created through their long-running operations, and bad input refused before any request.
import { expect } from "chai";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { amlCompute, attachedVm, azureBlobDatastore, command, computeInstance, data, environment, kubernetesCompute, model, secret, workspace } from "@pipewright/dsl";
import { AzureMLClient, EMULATOR_OUTCOME_TAG, isRegistryError, type OperationProgress } from "../src/index.js";
import { useAzureBackend } from "./helpers/azure-backend-fixtures.js";
import { emulatorCredential } from "./helpers/emulator-clients.js";

const SECRET_VALUE = "S3cr3t-account-key-d41d8cd98f00b204e9800998ecf8427e";

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string; diagnostics?: readonly { code: string; message: string }[] }> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error as Error,
  );
}

describe("Azure asset and resource operations against the emulator", function () {
  this.timeout(60_000);
  const backend = useAzureBackend();
  const puts = (operationId: string): number => backend.emulator.state.requests.filter((r) => r.operationId === operationId && r.method === "PUT").length;

  before(() => {
    const dir = backend.dir;
    mkdirSync(join(dir, "model"), { recursive: true });
    writeFileSync(join(dir, "model", "MLmodel"), "flavors:\n  python_function: {}\n");
    writeFileSync(join(dir, "model", "model.pkl"), "weights");
    mkdirSync(join(dir, "plain-model"), { recursive: true });
    writeFileSync(join(dir, "plain-model", "model.pkl"), "weights");
    writeFileSync(join(dir, "conda.yml"), "name: train\ndependencies:\n  - python=3.11\n");
    mkdirSync(join(dir, "docker"), { recursive: true });
    writeFileSync(join(dir, "docker", "Dockerfile"), "FROM python:3.11-slim\n");
  });

  it("creates a data asset from a local folder (uploaded), gets and lists it, and re-creating it uploads and sends nothing", async () => {
    const raw = data({ name: "raw-rows", path: join(backend.dir, "data"), type: "uri_folder", description: "rows" });
    const first = await backend.ml.data.createOrUpdate(raw);
    expect(first).to.include({ kind: "data", name: "raw-rows", version: "1", id: "azureml:raw-rows:1", type: "uri_folder", created: true });
    expect(first.path).to.match(/^azureml:\/\/datastores\/workspaceblobstore\/paths\/LocalUpload\/[0-9a-f]{32}\/data\/$/);
    const blobs = backend.ml.jobs.uploader.stats.blobs;
    const before = puts("DataVersions_CreateOrUpdate");
    const again = await backend.ml.data.createOrUpdate(raw);
    expect(again).to.include({ version: "1", created: false, path: first.path });
    expect(backend.ml.jobs.uploader.stats.blobs, "blobs uploaded again").to.equal(blobs);
    expect(puts("DataVersions_CreateOrUpdate"), "versions sent again").to.equal(before);
    expect((await backend.ml.data.get("raw-rows")).version).to.equal("1");
    expect((await backend.ml.data.get("raw-rows", { version: "1" })).description).to.equal("rows");
    expect((await backend.ml.data.list()).map((r) => r.id)).to.include("azureml:raw-rows:1");
  });

  it("gives changed content the next version, and refuses other content under an existing version (PW4610)", async () => {
    const file = join(backend.dir, "one.csv");
    writeFileSync(file, "a\n1\n");
    const v1 = await backend.ml.data.createOrUpdate(data({ name: "one-file", path: file, type: "uri_file" }));
    writeFileSync(file, "a\n2\n");
    const v2 = await backend.ml.data.createOrUpdate(data({ name: "one-file", path: file, type: "uri_file" }));
    expect([v1.version, v2.version]).to.deep.equal(["1", "2"]);
    expect((await backend.ml.data.list("one-file")).map((r) => r.version)).to.deep.equal(["1", "2"]);
    const error = await rejection(backend.ml.data.createOrUpdate(data({ name: "one-file", path: file, type: "uri_file", version: "1" })));
    expect(error.code).to.equal("PW4610");
    expect(error.message).to.contain("one-file:1 already exists");
  });

  it("archives and restores a version", async () => {
    await backend.ml.data.createOrUpdate(data({ name: "arch", path: "https://example.com/rows.csv", type: "uri_file", version: "7" }));
    expect((await backend.ml.data.archive("arch", "7")).archived).to.equal(true);
    expect(await backend.ml.data.list("arch")).to.deep.equal([]);
    expect((await backend.ml.data.list("arch", { includeArchived: true })).map((r) => r.version)).to.deep.equal(["7"]);
    expect((await backend.ml.data.restore("arch", "7")).archived).to.equal(false);
  });

  it("creates an MLflow model from a folder with an MLmodel file, and refuses one without it before any request", async () => {
    const created = await backend.ml.models.createOrUpdate(model({ name: "clf", path: join(backend.dir, "model"), type: "mlflow_model", version: "3" }));
    expect(created).to.include({ kind: "model", name: "clf", version: "3", type: "mlflow_model" });
    expect((await backend.ml.models.get("clf")).path).to.equal(created.path);
    const count = backend.emulator.state.requests.length;
    const error = await rejection(backend.ml.models.createOrUpdate(model({ name: "bad", path: join(backend.dir, "plain-model"), type: "mlflow_model" })));
    expect(isRegistryError(error)).to.equal(true);
    expect(error.diagnostics?.map((d) => d.code)).to.deep.equal(["PW1507"]);
    expect(backend.emulator.state.requests.length, "requests made").to.equal(count);
  });

  it("creates environments from an image with a conda file and from an uploaded build context, idempotently", async () => {
    const imageEnv = environment({ name: "train-env", image: "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest", condaFile: join(backend.dir, "conda.yml") });
    const first = await backend.ml.environments.createOrUpdate(imageEnv);
    expect(first).to.include({ kind: "environment", version: "1", image: "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest" });
    expect(first.condaFile).to.contain("python=3.11");
    expect((await backend.ml.environments.createOrUpdate(imageEnv))).to.include({ version: "1", created: false });
    const built = await backend.ml.environments.createOrUpdate(environment({ name: "docker-env", build: { path: join(backend.dir, "docker"), dockerfilePath: "Dockerfile" } }));
    expect(built.build?.path).to.match(/^https:\/\/127\.0\.0\.1:\d+\/pipewrightemu\/azureml-blobstore-[^/]+\/LocalUpload\/[0-9a-f]{32}\/docker\/$/);
    expect(built.build?.dockerfilePath).to.equal("Dockerfile");
    expect(backend.emulator.state.blobs().some((b) => b.name.endsWith("/docker/Dockerfile"))).to.equal(true);
  });

  it("refuses a malformed image and a conda file that is not YAML before any request", async () => {
    writeFileSync(join(backend.dir, "broken.yml"), "name: [unclosed\n");
    const count = backend.emulator.state.requests.length;
    const image = await rejection(backend.ml.environments.createOrUpdate(environment({ name: "bad-image", image: "Not An Image::" })));
    const conda = await rejection(backend.ml.environments.createOrUpdate(environment({ name: "bad-conda", image: "python:3.11", condaFile: join(backend.dir, "broken.yml") })));
    expect(image.diagnostics?.map((d) => d.code)).to.deep.equal(["PW1504"]);
    expect(conda.diagnostics?.map((d) => d.code)).to.deep.equal(["PW1505"]);
    expect(backend.emulator.state.requests.length).to.equal(count);
  });

  it("registers a component under its own name and version, with its code uploaded once, and finds it again", async () => {
    const prep = command({ name: "prep_rows", version: "2", code: join(backend.dir, "src"), environment: "azureml:AzureML-sklearn-1.5@latest", command: "python main.py" });
    const first = await backend.ml.components.createOrUpdate(prep);
    expect(first).to.include({ kind: "component", name: "prep_rows", version: "2", type: "command", created: true });
    const codeVersions = backend.ml.jobs.uploader.stats.codeVersions;
    expect((await backend.ml.components.createOrUpdate(prep))).to.include({ version: "2", created: false });
    expect(backend.ml.jobs.uploader.stats.codeVersions).to.equal(codeVersions);
    expect((await backend.ml.components.get("prep_rows")).version).to.equal("2");
    const names = (await backend.ml.components.list()).map((c) => c.name);
    expect(names).to.include("prep_rows");
    expect(names, "anonymous versions are not listed").to.not.include("azureml_anonymous");
    const stored = backend.emulator.state.componentVersions().find((c) => c.name === "prep_rows");
    expect(stored?.properties["isAnonymous"]).to.equal(false);
  });

  it("creates a datastore with a key read from the environment, and the key appears in no record, log, message or file", async () => {
    const env = { LAKE_ACCOUNT_KEY: SECRET_VALUE };
    const store = azureBlobDatastore({ name: "lake", accountName: "lakeacct", containerName: "raw", credentials: { accountKey: secret.env("LAKE_ACCOUNT_KEY") } });
    const created = await backend.ml.datastores.createOrUpdate(store, { env });
    expect(created).to.include({ name: "lake", type: "azure_blob", credentialsType: "AccountKey", isDefault: false, container: "raw" });
    const got = await backend.ml.datastores.get("lake");
    const listed = await backend.ml.datastores.list();
    expect(listed.map((d) => d.name)).to.include.members(["lake", "workspaceblobstore"]);
    const missing = await rejection(backend.ml.datastores.createOrUpdate(azureBlobDatastore({ name: "other", accountName: "a", containerName: "c", credentials: { sasToken: secret.env("UNSET_SAS_TOKEN") } }), { env }));
    expect(missing.diagnostics?.map((d) => d.code)).to.deep.equal(["PW4609"]);
    expect(missing.message + JSON.stringify(missing.diagnostics)).to.contain("UNSET_SAS_TOKEN");
    const everything = [
      JSON.stringify(created),
      JSON.stringify(got),
      JSON.stringify(listed),
      JSON.stringify(backend.emulator.state.requests),
      missing.message,
      JSON.stringify(missing.diagnostics),
      ...filesUnder(backend.dir).map((f) => readFileSync(f, "utf8")),
    ].join("\n");
    expect(everything.includes(SECRET_VALUE), "secret leaked").to.equal(false);
  });

  it("creates a compute cluster through its long-running operation, reporting progress until Succeeded", async () => {
    const progress: OperationProgress[] = [];
    const poller = await backend.ml.computes.beginCreateOrUpdate(amlCompute({ name: "gpu-cluster", size: "STANDARD_NC6", maxInstances: 2, idleTimeBeforeScaleDown: 300 }));
    expect((await backend.ml.computes.get("gpu-cluster")).provisioningState).to.equal("Creating");
    expect(poller.operationUrl).to.match(/computeOperationsStatus/);
    const record = await poller.pollUntilDone({ onProgress: (p) => progress.push(p) });
    expect(progress.map((p) => p.status)).to.deep.equal(["InProgress", "InProgress", "Succeeded"]);
    expect(record).to.include({ name: "gpu-cluster", type: "amlcompute", provisioningState: "Succeeded", size: "STANDARD_NC6", maxInstances: 2, minInstances: 0 });
    expect((await backend.ml.computes.list()).map((c) => c.name)).to.include.members(["cpu-cluster", "gpu-cluster"]);
  });

  it("creates a compute instance and attaches Kubernetes and a VM, each conforming to the spec", async () => {
    const env = { VM_PASSWORD: SECRET_VALUE };
    const definitions = [
      computeInstance({ name: "my-ci", size: "STANDARD_DS3_V2" }),
      kubernetesCompute({ name: "k8s-attach", resourceId: "/subscriptions/s/resourceGroups/r/providers/Microsoft.ContainerService/managedClusters/aks" }),
      attachedVm({ name: "my-vm", resourceId: "/subscriptions/s/resourceGroups/r/providers/Microsoft.Compute/virtualMachines/vm", ssh: { adminUsername: "azureuser", password: secret.env("VM_PASSWORD") } }),
    ];
    for (const definition of definitions) {
      const record = await (await backend.ml.computes.beginCreateOrUpdate(definition, { env })).pollUntilDone();
      expect(record.provisioningState, definition.name).to.equal("Succeeded");
    }
    expect((await backend.ml.computes.get("my-vm")).attached).to.equal(true);
    expect(JSON.stringify(await backend.ml.computes.list()).includes(SECRET_VALUE)).to.equal(false);
  });

  it("reports a failed creation as PW4611 with the service's reason", async () => {
    const poller = await backend.ml.computes.beginCreateOrUpdate(amlCompute({ name: "doomed", maxInstances: 1, tags: { [EMULATOR_OUTCOME_TAG]: "Failed" } }));
    const error = await rejection(poller.pollUntilDone());
    expect(error.code).to.equal("PW4611");
    expect(error.message).to.contain("compute doomed ended Failed");
  });

  it("refuses compute and datastore names outside Azure's rules before any request", async () => {
    const count = backend.emulator.state.requests.length;
    const compute = await rejection(backend.ml.computes.beginCreateOrUpdate(amlCompute({ name: "x", maxInstances: 1 })));
    const store = await rejection(backend.ml.datastores.createOrUpdate(azureBlobDatastore({ name: "-bad", accountName: "a", containerName: "c" })));
    expect(compute.diagnostics?.map((d) => d.code)).to.deep.equal(["PW1501"]);
    expect(store.diagnostics?.map((d) => d.code)).to.deep.equal(["PW1501"]);
    expect(backend.emulator.state.requests.length).to.equal(count);
  });

  it("creates a workspace through its long-running operation; a client on it finds its default datastore", async () => {
    const poller = await backend.ml.workspaces.beginCreate(workspace({ name: "second-ws", location: "westeurope", displayName: "Second" }));
    const record = await poller.pollUntilDone();
    expect(record).to.include({ name: "second-ws", provisioningState: "Succeeded" });
    const ws = backend.emulator.workspace;
    const other = new AzureMLClient(emulatorCredential(backend.emulator), ws.subscriptionId, ws.resourceGroup, "second-ws", { endpoint: backend.emulator.url, ca: backend.emulator.ca, cwd: backend.dir });
    expect((await other.datastores.list()).find((d) => d.isDefault)?.name).to.equal("workspaceblobstore");
    const count = backend.emulator.state.requests.length;
    const nowhere = await rejection(backend.ml.workspaces.beginCreate(workspace({ name: "no-region" })));
    expect(nowhere.diagnostics?.map((d) => d.code)).to.deep.equal(["PW1509"]);
    expect(backend.emulator.state.requests.length).to.equal(count);
  });
});
