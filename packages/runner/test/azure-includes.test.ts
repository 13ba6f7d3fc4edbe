import { expect } from "chai";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { collectLocalAssets, loadPipelineJob, type LoadHost } from "@pipewright/compiler";
import type { PipelineJob, PipelineJobModel } from "@pipewright/dsl";
import { startEmulator, type AzureMLClient, type RunningEmulator } from "../src/index.js";
import { codeFolderWithIncludes, IncludeError, snapshotFiles } from "../src/code-snapshot.js";
import { isAzureError } from "../src/azure/azure-error.js";
import { azureClient } from "./helpers/azure-backend-fixtures.js";
import { CLIENT_ID, CLIENT_SECRET } from "./helpers/emulator-clients.js";
import { testWorkspace } from "./local-helpers.js";

function tree(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
}

const host: LoadHost = { readFile: (path) => (existsSync(path) ? readFileSync(path, "utf8") : undefined) };

const COMPONENT = `$schema: https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json
name: with_includes
type: command
code: ./component_src
environment: azureml:AzureML-sklearn-1.5@latest
additional_includes:
  - ../common_src
  - ./config.json
command: python component.py
`;

const PIPELINE = `$schema: https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json
type: pipeline
settings:
  default_compute: azureml:cpu-cluster
jobs:
  step:
    type: command
    component: ./component/component.yml
`;

/** `<root>/component/{component.yml, component_src/, config.json}`, `<root>/common_src/`, `<root>/pipeline.yml`. */
function project(): string {
  const root = mkdtempSync(join(tmpdir(), "pw-includes-"));
  tree(root, {
    "pipeline.yml": PIPELINE,
    "component/component.yml": COMPONENT,
    "component/component_src/component.py": "import common.helpers\n",
    "component/config.json": "{}\n",
    "common_src/helpers.py": "X = 1\n",
    "common_src/__pycache__/helpers.cpython-312.pyc": "bytecode",
  });
  return root;
}

function load(root: string): PipelineJobModel {
  const result = loadPipelineJob(join(root, "pipeline.yml"), host);
  expect(result.diagnostics.filter((d) => d.severity === "error")).to.deep.equal([]);
  if (!result.model) throw new Error("no model");
  return result.model;
}

describe("additional_includes", () => {
  const roots: string[] = [];
  const fresh = (): string => {
    const root = project();
    roots.push(root);
    return root;
  };
  after(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  it("resolves includes against the component's file and keys the snapshot by folder and includes", () => {
    const root = fresh();
    const assets = collectLocalAssets(load(root));
    expect(assets.problems).to.deep.equal([]);
    expect(assets.codeFolders).to.have.length(1);
    const folder = assets.codeFolders[0];
    expect(folder?.path).to.equal(join(root, "component", "component_src"));
    expect(folder?.includes.map((i) => i.path)).to.deep.equal([join(root, "common_src"), join(root, "component", "config.json")]);
    expect(folder?.key).to.not.equal(folder?.path);
    expect(folder?.declaredIn).to.deep.equal([join(root, "component", "component.yml")]);
  });

  it("copies each include into the snapshot root under its own name, without __pycache__, under the code folder's ignore file", () => {
    const root = fresh();
    writeFileSync(join(root, "component", "component_src", ".amlignore"), "common_src/secret.txt\n");
    writeFileSync(join(root, "common_src", "secret.txt"), "x");
    const files = snapshotFiles(join(root, "component", "component_src"), [{ path: join(root, "common_src") }, { path: join(root, "component", "config.json") }]);
    expect(files.map((f) => f.rel)).to.deep.equal([".amlignore", "common_src/helpers.py", "component.py", "config.json"]);
  });

  it("rejects a missing include and an include whose name the code folder already has", () => {
    const root = fresh();
    const code = join(root, "component", "component_src");
    expect(() => snapshotFiles(code, [{ path: join(root, "nope"), written: "../nope" }])).to.throw(IncludeError, /'\.\.\/nope' does not exist/);
    tree(root, { "other/component.py": "" });
    expect(() => snapshotFiles(code, [{ path: join(root, "other", "component.py") }])).to.throw(IncludeError, /copied to 'component\.py'.*already has/);
  });

  it("gives the local runner one folder per snapshot content, rebuilt when an include changes", () => {
    const root = fresh();
    const staging = join(root, ".staging");
    const code = join(root, "component", "component_src");
    const includes = [{ path: join(root, "common_src") }];
    const first = codeFolderWithIncludes(code, includes, staging);
    expect(readFileSync(join(first, "common_src", "helpers.py"), "utf8")).to.equal("X = 1\n");
    expect(readFileSync(join(first, "component.py"), "utf8")).to.equal("import common.helpers\n");
    expect(codeFolderWithIncludes(code, includes, staging)).to.equal(first);
    writeFileSync(join(root, "common_src", "helpers.py"), "X = 2\n");
    const second = codeFolderWithIncludes(code, includes, staging);
    expect(second).to.not.equal(first);
    expect(readFileSync(join(second, "common_src", "helpers.py"), "utf8")).to.equal("X = 2\n");
    expect(codeFolderWithIncludes(code, [], staging)).to.equal(code);
  });

  it("lets a local run's step read its includes beside its code", async () => {
    const root = fresh();
    writeFileSync(join(root, "component", "component.yml"), COMPONENT.replace("python component.py", "cat common_src/helpers.py config.json component.py"));
    const ws = testWorkspace();
    try {
      const { record, events } = await ws.run({ model: load(root) } as unknown as PipelineJob);
      expect(record.status).to.equal("completed");
      const logPath = join(ws.workspace.root, "jobs", record.name, "steps", "step", "attempt-1.log");
      expect(events.some((e) => e.type === "step_completed" && e.step === "step")).to.equal(true);
      expect(existsSync(logPath) ? readFileSync(logPath, "utf8") : "").to.contain("X = 1");
    } finally {
      ws.dispose();
    }
  });

  describe("against the emulator", () => {
    let emulator: RunningEmulator;
    let ml: AzureMLClient;

    before(async () => {
      emulator = await startEmulator({ auth: { clients: { [CLIENT_ID]: CLIENT_SECRET } } });
      ml = azureClient(emulator, tmpdir());
    });
    after(async () => {
      await emulator.close();
    });
    afterEach(() => {
      expect(emulator.state.violations(), "spec violations").to.deep.equal([]);
      expect(emulator.state.internalErrors, "emulator errors").to.deep.equal([]);
    });

    it("uploads the includes inside the code snapshot, and uploads again only when an include changes", async () => {
      const root = fresh();
      const codes = emulator.state.codeVersions().length;
      await ml.jobs.submit(load(root));
      expect(emulator.state.codeVersions().length - codes).to.equal(1);
      const uploaded = emulator.state.blobs().map((b) => b.name).filter((name) => name.startsWith("component_src/")).sort();
      expect(uploaded).to.deep.equal(["component_src/common_src/helpers.py", "component_src/component.py", "component_src/config.json"]);

      const mark = emulator.state.requests.length;
      await ml.jobs.submit(load(root));
      expect(emulator.state.codeVersions().length - codes).to.equal(1, "unchanged: nothing new");
      expect(emulator.state.requests.slice(mark).filter((r) => r.operationId === "Blob_Put")).to.deep.equal([]);

      writeFileSync(join(root, "common_src", "helpers.py"), "X = 2\n");
      await ml.jobs.submit(load(root));
      expect(emulator.state.codeVersions().length - codes).to.equal(2, "a changed include is new content");
    });

    it("stops with PW4613 naming the include and the component's file before anything is uploaded", async () => {
      const root = fresh();
      rmSync(join(root, "common_src"), { recursive: true });
      const mark = emulator.state.requests.length;
      const error: unknown = await ml.jobs.submit(load(root)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isAzureError(error) && error.code).to.equal("PW4613");
      const message = error instanceof Error ? error.message : "";
      expect(message).to.contain("'../common_src' does not exist");
      expect(message).to.contain(join(root, "component", "component.yml"));
      expect(emulator.state.requests.slice(mark).filter((r) => r.method !== "GET")).to.deep.equal([]);
    });
  });
});
