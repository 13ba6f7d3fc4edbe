import { expect } from "chai";
import fc from "fast-check";
import {
  amlCompute,
  azureBlobDatastore,
  command,
  computeInstance,
  data,
  environment,
  model,
  registerComponent,
  secret,
  workspace,
  type SecretRef,
} from "@pipewright/dsl";
import { checkAsset, emitAsset, loadAsset, type AssetHost, type Diagnostic } from "@pipewright/compiler";

const HERE = new URL(import.meta.url).pathname;

/** An in-memory file tree: paths ending in `/` are folders. */
function memoryHost(files: Record<string, string>): AssetHost {
  return {
    readFile: (path) => files[path],
    listFolder: (path) => {
      const prefix = path.endsWith("/") ? path : `${path}/`;
      const names = Object.keys(files).filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length).split("/")[0] ?? "");
      return names.length > 0 ? [...new Set(names)].filter((n) => n !== "") : undefined;
    },
  };
}

const NO_FILES = memoryHost({});

function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => d.code);
}

/** The diagnostic with `code`, asserting there is exactly one. */
function only(diagnostics: readonly Diagnostic[], code: string): Diagnostic {
  const found = diagnostics.filter((d) => d.code === code);
  expect(found, JSON.stringify(diagnostics)).to.have.length(1);
  return found[0] as Diagnostic;
}

function lineOf(fn: () => void): number {
  void fn;
  return Number(new Error().stack?.split("\n")[2]?.match(/:(\d+):\d+\)?$/)?.[1]);
}

describe("asset checks (bad input)", () => {
  describe("names and versions", () => {
    it("reports a data asset name outside Azure's rules at the definition (PW1501)", () => {
      const line = lineOf(() => {}) + 1;
      const asset = data({ name: "raw data", type: "uri_folder", path: "./raw" });
      const d = only(checkAsset(asset), "PW1501");
      expect(d.path).to.equal("data/raw data/name");
      expect(d.location).to.deep.include({ file: HERE, line });
    });

    it("applies the compute name rule: 3 to 24 characters, a letter first, a letter after the last '-'", () => {
      expect(codes(checkAsset(amlCompute({ name: "cpu-cluster" })))).to.deep.equal([]);
      expect(codes(checkAsset(amlCompute({ name: "cc" })))).to.deep.equal(["PW1501"]);
      expect(codes(checkAsset(amlCompute({ name: "cluster-01" })))).to.deep.equal(["PW1501"]);
      expect(codes(checkAsset(computeInstance({ name: "1st-instance" })))).to.deep.equal(["PW1501"]);
      expect(codes(checkAsset(amlCompute({ name: "a".repeat(25) })))).to.deep.equal(["PW1501"]);
    });

    it("applies the workspace name rule (3 to 33 characters)", () => {
      expect(codes(checkAsset(workspace({ name: "mlw-prod_1" })))).to.deep.equal([]);
      expect(codes(checkAsset(workspace({ name: "ws" })))).to.deep.equal(["PW1501"]);
      expect(codes(checkAsset(workspace({ name: "-leading" })))).to.deep.equal(["PW1501"]);
    });

    it("reports a registered component's name with the component-name code (PW1001)", () => {
      const step = command({ name: "Train-Step", environment: "azureml:env:1", command: "python t.py" });
      expect(codes(checkAsset(registerComponent(step)))).to.deep.equal(["PW1001"]);
    });

    it("reports a version Azure cannot address at the version key of a YAML file (PW1502)", () => {
      const text = "$schema: https://azuremlschemas.azureedge.net/latest/model.schema.json\nname: m\nversion: release/1\npath: azureml://x\n";
      const result = loadAsset(text, "/w/m.yml", NO_FILES);
      expect(only(result.diagnostics, "PW1502").location).to.deep.equal({ file: "/w/m.yml", line: 3, column: 1 });
    });
  });

  describe("credentials", () => {
    const literal = "Zm9vYmFyLWFjY291bnQta2V5LXZhbHVl==";
    const blobYaml =
      "$schema: https://azuremlschemas.azureedge.net/latest/azureBlob.schema.json\nname: blob_example\ntype: azure_blob\n" +
      `account_name: acct\ncontainer_name: data\ncredentials:\n  account_key: ${literal}\n`;

    it("reports a literal account key in YAML at its key and never repeats it (PW1503)", () => {
      const result = loadAsset(blobYaml, "/w/blob.yml", NO_FILES);
      const d = only(result.diagnostics, "PW1503");
      expect(d.location).to.deep.equal({ file: "/w/blob.yml", line: 7, column: 3 });
      expect(d.path).to.equal("datastore/blob_example/credentials/account_key");
      expect(JSON.stringify(result)).not.to.contain(literal);
    });

    it("refuses to emit a datastore whose secret was passed as a literal in TypeScript (PW1503)", () => {
      const line = lineOf(() => {}) + 1;
      const asset = azureBlobDatastore({ name: "blob_example", accountName: "a", containerName: "c", credentials: { accountKey: literal as unknown as SecretRef } });
      const result = emitAsset(asset, { outDir: "/out" });
      expect(result.document).to.equal(undefined);
      expect(only(result.diagnostics, "PW1503").location).to.deep.include({ file: HERE, line });
      expect(JSON.stringify(result)).not.to.contain(literal);
    });

    it("reports a literal SSH password on a compute cluster without repeating it (PW1503)", () => {
      const text =
        "$schema: https://azuremlschemas.azureedge.net/latest/amlCompute.schema.json\nname: cpu-cluster\ntype: amlcompute\n" +
        `ssh_settings:\n  admin_username: azureuser\n  admin_password: ${literal}\n`;
      const result = loadAsset(text, "/w/c.yml", NO_FILES);
      expect(only(result.diagnostics, "PW1503").location).to.deep.equal({ file: "/w/c.yml", line: 6, column: 3 });
      expect(JSON.stringify(result)).not.to.contain(literal);
    });

    it("reads a secret placeholder back as a reference, so placeholders round-trip", () => {
      const text = blobYaml.replace(literal, "<secret:env:BLOB_KEY>");
      const result = loadAsset(text, "/w/blob.yml", NO_FILES);
      expect(result.diagnostics).to.deep.equal([]);
      const creds = (result.asset as { credentials?: unknown }).credentials;
      expect(creds).to.deep.equal({ type: "account_key", accountKey: { kind: "secret", source: "env", name: "BLOB_KEY" } });
      expect(emitAsset(result.asset!, { outDir: "/w", path: "blob.yml" }).document?.content).to.equal(text);
    });

    it("reports a secret reference that names no usable variable (PW1510)", () => {
      const asset = azureBlobDatastore({ name: "blob_example", accountName: "a", containerName: "c", credentials: { sasToken: secret.env("MY KEY") } });
      expect(only(checkAsset(asset), "PW1510").path).to.equal("datastore/blob_example/credentials/sas_token");
    });

    it("never lets any literal credential reach diagnostics, the model or emitted text", () => {
      fc.assert(
        fc.property(fc.stringMatching(/^[A-Za-z0-9+/=_-]{12,40}$/), (value) => {
          const text = blobYaml.replace(literal, JSON.stringify(value));
          const result = loadAsset(text, "/w/blob.yml", NO_FILES);
          expect(codes(result.diagnostics)).to.include("PW1503");
          expect(JSON.stringify(result)).not.to.contain(value);
        }),
        { numRuns: 50 },
      );
    });

    it("does not repeat a credential of the wrong shape in the schema message", () => {
      const text = blobYaml.replace(`account_key: ${literal}`, `account_key: [${literal}]`);
      const result = loadAsset(text, "/w/blob.yml", NO_FILES);
      expect(codes(result.diagnostics)).to.include("PW3502");
      expect(JSON.stringify(result)).not.to.contain(literal);
    });
  });

  describe("environments", () => {
    it("reports a malformed image reference (PW1504)", () => {
      expect(codes(checkAsset(environment({ name: "env", image: "PyTorch/PyTorch:latest" })))).to.deep.equal(["PW1504"]);
      expect(codes(checkAsset(environment({ name: "env", image: "python:3.12:slim" })))).to.deep.equal(["PW1504"]);
      expect(codes(checkAsset(environment({ name: "env", image: "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04:latest" })))).to.deep.equal([]);
    });

    it("reports an environment with both image and build, or with neither (PW1508)", () => {
      expect(codes(checkAsset(environment({ name: "env", image: "python:3.12", build: { path: "./ctx" } })))).to.deep.equal(["PW1508"]);
      expect(codes(checkAsset(environment({ name: "env" })))).to.deep.equal(["PW1508"]);
    });

    it("reports a conda file that is not YAML at conda_file (PW1505)", () => {
      const text = "$schema: https://azuremlschemas.azureedge.net/latest/environment.schema.json\nname: env\nimage: python:3.12\nconda_file: conda.yml\n";
      const host = memoryHost({ "/w/conda.yml": "name: env\ndependencies: [python=3.12\n" });
      const d = only(loadAsset(text, "/w/env.yml", host).diagnostics, "PW1505");
      expect(d.location).to.deep.equal({ file: "/w/env.yml", line: 4, column: 1 });
      const listHost = memoryHost({ "/w/conda.yml": "- python=3.12\n" });
      expect(codes(loadAsset(text, "/w/env.yml", listHost).diagnostics)).to.deep.equal(["PW1505"]);
    });

    it("reports a conda file or build folder that does not exist (PW1506)", () => {
      const text = "$schema: https://azuremlschemas.azureedge.net/latest/environment.schema.json\nname: env\nimage: python:3.12\nconda_file: missing.yml\n";
      expect(codes(loadAsset(text, "/w/env.yml", NO_FILES).diagnostics)).to.deep.equal(["PW1506"]);
      expect(codes(checkAsset(environment({ name: "env", build: { path: "./no-such-context" } }), { host: NO_FILES }))).to.deep.equal(["PW1506"]);
    });
  });

  describe("data and model files", () => {
    const mlflowYaml = "$schema: https://azuremlschemas.azureedge.net/latest/model.schema.json\nname: m\nversion: 1\ntype: mlflow_model\npath: ./model\n";

    it("reports an mlflow_model folder without an MLmodel file at type (PW1507)", () => {
      const host = memoryHost({ "/w/model/model.pkl": "x", "/w/model/conda.yaml": "name: x\n" });
      const d = only(loadAsset(mlflowYaml, "/w/m.yml", host).diagnostics, "PW1507");
      expect(d.location).to.deep.equal({ file: "/w/m.yml", line: 4, column: 1 });
      const good = memoryHost({ "/w/model/MLmodel": "flavors: {}\n" });
      expect(loadAsset(mlflowYaml, "/w/m.yml", good).diagnostics).to.deep.equal([]);
    });

    it("reports an mltable folder without an MLTable file, and a uri_file that is a folder (PW1507)", () => {
      const host = memoryHost({ "/t/table/part-0.parquet": "x" });
      expect(codes(checkAsset(data({ name: "t", type: "mltable", path: "/t/table" }), { host }))).to.deep.equal(["PW1507"]);
      expect(codes(checkAsset(data({ name: "t", type: "uri_file", path: "/t/table" }), { host }))).to.deep.equal(["PW1507"]);
      expect(codes(checkAsset(data({ name: "t", type: "uri_folder", path: "/t/table" }), { host }))).to.deep.equal([]);
    });

    it("reports a local data or model path that does not exist (PW1506)", () => {
      expect(codes(checkAsset(model({ name: "m", path: "/nowhere/model.pkl" }), { host: NO_FILES }))).to.deep.equal(["PW1506"]);
      expect(codes(checkAsset(data({ name: "d", type: "uri_file", path: "azureml://datastores/ws/paths/a.csv" }), { host: NO_FILES }))).to.deep.equal([]);
    });
  });

  describe("compute settings", () => {
    it("reports min_instances above max_instances at min_instances (PW1509)", () => {
      const text = "$schema: https://azuremlschemas.azureedge.net/latest/amlCompute.schema.json\nname: cpu-cluster\ntype: amlcompute\nmin_instances: 4\nmax_instances: 2\n";
      expect(only(loadAsset(text, "/w/c.yml", NO_FILES).diagnostics, "PW1509").location).to.deep.equal({ file: "/w/c.yml", line: 4, column: 1 });
    });

    it("reports a compute instance idle shutdown outside 15 minutes to 3 days (PW1509)", () => {
      expect(codes(checkAsset(computeInstance({ name: "ci-dev", idleTimeBeforeShutdownMinutes: 5 })))).to.deep.equal(["PW1509"]);
    });
  });

  describe("YAML that is not a definition", () => {
    it("reports a shape the format does not allow at the offending key (PW3502)", () => {
      const text = "$schema: https://azuremlschemas.azureedge.net/latest/amlCompute.schema.json\nname: cpu-cluster\ntype: amlcompute\nmax_instances: two\n";
      const result = loadAsset(text, "/w/c.yml", NO_FILES);
      expect(result.asset).to.equal(undefined);
      expect(only(result.diagnostics, "PW3502").location).to.deep.equal({ file: "/w/c.yml", line: 4, column: 16 });
    });

    it("reports a data asset without a path (PW3502)", () => {
      const text = "$schema: https://azuremlschemas.azureedge.net/latest/data.schema.json\nname: d\ntype: uri_folder\n";
      expect(codes(loadAsset(text, "/w/d.yml", NO_FILES).diagnostics)).to.deep.equal(["PW3502"]);
    });

    it("reports a conda file loaded as a definition (PW3501)", () => {
      expect(codes(loadAsset("name: env\ndependencies:\n  - python\n", "/w/conda.yml", NO_FILES).diagnostics)).to.deep.equal(["PW3501"]);
    });

    it("reports YAML syntax errors with a location (PW3101)", () => {
      const d = only(loadAsset("name: [unclosed\n", "/w/x.yml", NO_FILES).diagnostics, "PW3101");
      expect(d.location?.file).to.equal("/w/x.yml");
    });

    it("keeps keys Azure defines but pipewright does not model, without a warning", () => {
      const text =
        "$schema: https://azuremlschemas.azureedge.net/latest/model.schema.json\nname: m\npath: azureml://x\n" +
        "flavors:\n  python_function:\n    loader_module: mlflow.sklearn\n";
      const result = loadAsset(text, "/w/m.yml", NO_FILES);
      expect(result.diagnostics).to.deep.equal([]);
      expect(emitAsset(result.asset!, { outDir: "/w", path: "m.yml" }).document?.content).to.equal(text);
    });

    it("keeps unknown keys as written and warns about them (PW3108)", () => {
      const text = "$schema: https://azuremlschemas.azureedge.net/latest/data.schema.json\nname: d\ntype: uri_folder\npath: azureml://x\ncolour: blue\n";
      const result = loadAsset(text, "/w/d.yml", NO_FILES);
      const d = only(result.diagnostics, "PW3108");
      expect(d.severity).to.equal("warning");
      expect(d.location).to.deep.equal({ file: "/w/d.yml", line: 5, column: 1 });
      expect(emitAsset(result.asset!, { outDir: "/w", path: "d.yml" }).document?.content).to.equal(text);
    });
  });
});
