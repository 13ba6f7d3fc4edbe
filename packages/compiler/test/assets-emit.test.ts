import { expect } from "chai";
import {
  amlCompute,
  attachedVm,
  azureBlobDatastore,
  azureDataLakeGen1Datastore,
  azureDataLakeGen2Datastore,
  azureFileDatastore,
  command,
  computeInstance,
  data,
  Input,
  Output,
  pipeline,
  environment,
  kubernetesCompute,
  model,
  registerComponent,
  secret,
  workspace,
  type AssetModel,
} from "@pipewright/dsl";
import { emitAsset } from "@pipewright/compiler";
import { parse } from "yaml";

const HERE = new URL(import.meta.url).pathname;
const FOLDER = HERE.slice(0, HERE.lastIndexOf("/"));
const SCHEMA = "https://azuremlschemas.azureedge.net/latest/";

function emitted(asset: AssetModel, outDir = FOLDER, path?: string): string {
  const result = emitAsset(asset, path === undefined ? { outDir } : { outDir, path });
  expect(result.diagnostics, JSON.stringify(result.diagnostics)).to.deep.equal([]);
  return result.document?.content ?? "";
}

describe("emitAsset (DSL to az ml <kind> create -f YAML)", () => {
  it("writes a workspace with its $schema line first", () => {
    const text = emitted(workspace({ name: "mlw-basic-prod", location: "eastus", displayName: "Basic workspace", tags: { purpose: "demo" } }));
    expect(text).to.equal(
      `$schema: ${SCHEMA}workspace.schema.json\nname: mlw-basic-prod\nlocation: eastus\ndisplay_name: Basic workspace\ntags:\n  purpose: demo\n`,
    );
  });

  it("writes a compute cluster with size, instances, idle time, tier and region", () => {
    const text = emitted(amlCompute({ name: "cpu-cluster", size: "STANDARD_DS3_v2", minInstances: 0, maxInstances: 4, idleTimeBeforeScaleDown: 120, tier: "low_priority", location: "westus" }));
    expect(text).to.equal(
      `$schema: ${SCHEMA}amlCompute.schema.json\nname: cpu-cluster\ntype: amlcompute\nlocation: westus\nsize: STANDARD_DS3_v2\n` +
        "min_instances: 0\nmax_instances: 4\nidle_time_before_scale_down: 120\ntier: low_priority\n",
    );
  });

  it("writes the schema and type of every compute and datastore kind", () => {
    const cases: Array<[AssetModel, string, string]> = [
      [computeInstance({ name: "ci-dev", size: "STANDARD_DS3_v2" }), "computeInstance", "computeinstance"],
      [kubernetesCompute({ name: "k8s-compute", resourceId: "/subscriptions/s/rg/k" }), "kubernetesCompute", "kubernetes"],
      [attachedVm({ name: "vm-attach", resourceId: "/subscriptions/s/vm", ssh: { adminUsername: "azureuser" } }), "vmCompute", "virtualmachine"],
      [azureBlobDatastore({ name: "blob_store", accountName: "a", containerName: "c" }), "azureBlob", "azure_blob"],
      [azureFileDatastore({ name: "file_store", accountName: "a", fileShareName: "s" }), "azureFile", "azure_file"],
      [azureDataLakeGen1Datastore({ name: "gen1_store", storeName: "s" }), "azureDataLakeGen1", "azure_data_lake_gen1"],
      [azureDataLakeGen2Datastore({ name: "gen2_store", accountName: "a", filesystem: "f" }), "azureDataLakeGen2", "azure_data_lake_gen2"],
    ];
    for (const [asset, schema, type] of cases) {
      const lines = emitted(asset).split("\n");
      expect(lines[0]).to.equal(`$schema: ${SCHEMA}${schema}.schema.json`);
      expect(lines).to.include(`type: ${type}`);
    }
  });

  it("writes a secret as a placeholder and lists where it goes, without its value", () => {
    const result = emitAsset(
      azureDataLakeGen2Datastore({
        name: "adls_gen2_example",
        accountName: "mytestdatalakegen2",
        filesystem: "my-gen2-container",
        credentials: { tenantId: "tenant-guid", clientId: "client-guid", clientSecret: secret.env("ADLS_CLIENT_SECRET") },
      }),
      { outDir: FOLDER },
    );
    expect(result.document?.content).to.equal(
      `$schema: ${SCHEMA}azureDataLakeGen2.schema.json\nname: adls_gen2_example\ntype: azure_data_lake_gen2\n` +
        "account_name: mytestdatalakegen2\nfilesystem: my-gen2-container\ncredentials:\n  tenant_id: tenant-guid\n  client_id: client-guid\n" +
        "  client_secret: <secret:env:ADLS_CLIENT_SECRET>\n",
    );
    expect(result.document?.secrets).to.deep.equal([
      { key: "credentials.client_secret", ref: { kind: "secret", source: "env", name: "ADLS_CLIENT_SECRET" } },
    ]);
  });

  it("writes no credentials for identity-based access", () => {
    expect(emitted(azureBlobDatastore({ name: "blob_store", accountName: "a", containerName: "c" }))).not.to.contain("credentials");
  });

  it("writes local paths relative to the emitted file", () => {
    const asset = data({ name: "raw", type: "uri_folder", path: "./raw" });
    expect(emitted(asset, FOLDER, "data/raw.yml")).to.contain("path: ../raw\n");
    expect(emitted(asset, `${FOLDER}/out`, "raw.yml")).to.contain("path: ../raw\n");
    expect(emitted(asset, FOLDER, "raw.yml")).to.contain("path: ./raw\n");
    const env = environment({ name: "env", image: "python:3.12-slim", condaFile: "./conda.yml" });
    expect(emitted(env, `${FOLDER}/out`, "env.yml")).to.contain("conda_file: ../conda.yml\n");
  });

  it("leaves datastore URIs and other references unchanged", () => {
    const text = emitted(data({ name: "taxi", version: 2, type: "uri_file", path: "azureml://datastores/workspaceblobstore/paths/taxi.csv" }));
    expect(text).to.equal(
      `$schema: ${SCHEMA}data.schema.json\nname: taxi\nversion: "2"\ntype: uri_file\npath: azureml://datastores/workspaceblobstore/paths/taxi.csv\n`,
    );
  });

  it("writes models and environments in Azure's key order", () => {
    expect(emitted(model({ name: "taxi-model", version: "1", type: "mlflow_model", path: "azureml://jobs/j/outputs/artifacts/model", description: "d" }))).to.equal(
      `$schema: ${SCHEMA}model.schema.json\nname: taxi-model\nversion: "1"\ntype: mlflow_model\npath: azureml://jobs/j/outputs/artifacts/model\ndescription: d\n`,
    );
    expect(emitted(environment({ name: "docker-context-example", build: { path: "./ctx", dockerfilePath: "Dockerfile" } }), FOLDER, "env.yml")).to.equal(
      `$schema: ${SCHEMA}environment.schema.json\nname: docker-context-example\nbuild:\n  path: ./ctx\n  dockerfile_path: Dockerfile\n`,
    );
  });

  it("registers a command component as a component file", () => {
    const train = command({ name: "train", version: "1", environment: "azureml:env:1", code: "./src", command: "python train.py" });
    const result = emitAsset(registerComponent(train), { outDir: FOLDER });
    expect(result.document?.path).to.equal("component/train.yml");
    expect(result.document?.content).to.equal(
      `$schema: ${SCHEMA}commandComponent.schema.json\ntype: command\nname: train\nversion: "1"\ncode: ../src\nenvironment: azureml:env:1\ncommand: python train.py\n`,
    );
  });

  it("registers a pipeline component with its command components inline", () => {
    const prep = command({
      name: "prep",
      inputs: { raw: Input.uriFolder() },
      outputs: { out: Output.uriFolder() },
      environment: "azureml:env:1",
      command: "python prep.py ${{inputs.raw}} ${{outputs.out}}",
    });
    const flow = pipeline({ name: "flow", inputs: { raw: Input.uriFolder() }, outputs: { out: Output.uriFolder() } }, ({ raw }) => ({
      out: prep({ raw }).outputs.out,
    }));
    const result = emitAsset(registerComponent(flow), { outDir: FOLDER });
    const doc = parse(result.document?.content ?? "") as { $schema: string; jobs: { prep: { component: { name: string }; inputs: unknown } } };
    expect(doc.$schema).to.equal(`${SCHEMA}pipelineComponent.schema.json`);
    expect(doc.jobs.prep.component.name).to.equal("prep");
    expect(doc.jobs.prep.inputs).to.deep.equal({ raw: "${{parent.inputs.raw}}" });
  });

  it("is deterministic: the same definition gives byte-identical text", () => {
    const make = () => amlCompute({ name: "gpu-cluster", size: "Standard_NC6s_v3", maxInstances: 2, tags: { b: "2", a: "1" } });
    expect(emitted(make())).to.equal(emitted(make()));
  });

  it("writes no document when a definition has errors", () => {
    const result = emitAsset(data({ name: "bad name", type: "uri_folder", path: "./x" }), { outDir: FOLDER });
    expect(result.document).to.equal(undefined);
    expect(result.diagnostics.map((d) => d.code)).to.deep.equal(["PW1501"]);
  });
});
