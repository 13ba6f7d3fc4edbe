// The local registry through the real `pipewright` bin: data, environment, component and datastore
// verbs in a throwaway workspace, a run naming registered assets, and bad input leaving nothing behind.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { LocalRegistry } from "@pipewright/runner";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(root, "packages/cli/bin/pipewright.mjs");
// Inside the repository so a .ts definition file can import @pipewright/dsl; excluded from tsc.
const scratch = join(root, "test/fixtures/registry/_tmp", `run-${process.pid}`);
const workspace = join(scratch, ".pw");

function pipewright(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: scratch,
    encoding: "utf8",
    env: { ...process.env, PIPEWRIGHT_WORKSPACE: workspace, PIPEWRIGHT_VERBOSE: "", NO_COLOR: "1" },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function jsonLines(text: string): Array<Record<string, unknown>> {
  return text.trim().split("\n").filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
}

function put(path: string, text: string): void {
  mkdirSync(dirname(join(scratch, path)), { recursive: true });
  writeFileSync(join(scratch, path), text);
}

function versionsStored(): number {
  const registry = new LocalRegistry(workspace);
  try {
    return registry.db.countVersions();
  } finally {
    registry.close();
  }
}

const blobs = () => (existsSync(join(workspace, "blobs/sha256")) ? readdirSync(join(workspace, "blobs/sha256")).sort() : []);

describe("the registry verbs of the pipewright CLI", () => {
  before(() => {
    rmSync(scratch, { recursive: true, force: true });
    put("raw/f.csv", "a,b\n");
    put("src/up.sh", 'tr a-z A-Z < "$1/f.csv" > "$2/f.csv"\n');
    put(
      "assets.ts",
      [
        'import { command, data, environment, Input, Output, registerComponent } from "@pipewright/dsl";',
        'export const words = data({ name: "words", type: "uri_folder", path: "./raw", version: "1" });',
        'export const env = environment({ name: "local-env", image: "python:3.11-slim" });',
        "const up = command({",
        '  name: "up", version: "1", code: "./src", inputs: { src: Input.uriFolder() }, outputs: { out: Output.uriFolder() },',
        '  command: "sh up.sh ${{inputs.src}} ${{outputs.out}}", environment: "azureml:local-env@latest",',
        "});",
        "export const upComponent = registerComponent(up);",
        "",
      ].join("\n"),
    );
    put("bad-env.yml", "$schema: https://azuremlschemas.azureedge.net/latest/environment.schema.json\nname: broken\nimage: python:3.11\nconda_file: conda.yml\n");
    put("conda.yml", "name: [unclosed\n");
    put(
      "job.yml",
      [
        "$schema: https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json",
        "type: pipeline",
        "inputs:",
        "  raw: { type: uri_folder, path: azureml:words:1 }",
        "outputs:",
        "  result: { type: uri_folder, name: shouted, version: '5' }",
        "jobs:",
        "  loud:",
        "    type: command",
        "    component: azureml:up@latest",
        "    inputs: { src: '${{parent.inputs.raw}}' }",
        "    outputs: { out: '${{parent.outputs.result}}' }",
        "",
      ].join("\n"),
    );
  });
  after(() => {
    rmSync(scratch, { recursive: true, force: true });
    // The shared parents go too once no other run is using them.
    for (const folder of [dirname(scratch), dirname(dirname(scratch))]) {
      if (existsSync(folder) && !readdirSync(folder).length) rmSync(folder, { recursive: true });
    }
  });

  it("creates data from flags and from a .ts definition, lists, shows by label and archives, with --json", () => {
    const created = pipewright("data", "create", "--name", "raw", "--path", "raw", "--label", "prod", "--json");
    expect(created.status, created.stderr).to.equal(0);
    expect(jsonLines(created.stdout)[0]).to.include({ name: "raw", version: "1", kind: "data", type: "uri_folder" });
    const fromTs = pipewright("data", "create", "assets.ts");
    expect(fromTs.status, fromTs.stderr).to.equal(0);
    expect(fromTs.stdout).to.match(/^Registered data words:1 \(uri_folder\) at \.pw\/blobs\/sha256\/[0-9a-f]{64}\n$/);
    expect(blobs()).to.have.length(1, "the same bytes under two names are stored once");
    const shown = jsonLines(pipewright("data", "show", "raw@prod", "--json").stdout)[0];
    expect(shown).to.include({ id: "azureml:raw:1", archived: false });
    expect(readFileSync(join(String(shown?.["path"]), "f.csv"), "utf8")).to.equal("a,b\n");
    expect(pipewright("data", "archive", "raw:1").stdout).to.equal("Archived data raw:1.\n");
    const listed = pipewright("data", "list");
    expect(listed.stdout.split("\n")[0]).to.match(/^NAME\s+VERSION\s+TYPE\s+LABELS\s+CREATED$/);
    expect(listed.stdout).to.match(/^words\s+1\s+uri_folder/m);
    expect(listed.stdout).not.to.match(/^raw\s/m);
  });

  it("refuses an environment whose conda file is not YAML, naming the file, and stores nothing", () => {
    const before = { versions: versionsStored(), blobs: blobs() };
    const result = pipewright("environment", "create", "bad-env.yml");
    expect(result.status).to.equal(1);
    expect(result.stderr).to.contain("error PW1505").and.to.contain("conda.yml");
    expect(result.stderr).to.match(/bad-env\.yml:\d+:\d+/);
    expect({ versions: versionsStored(), blobs: blobs() }).to.deep.equal(before);
  });

  it("registers a component, then runs a YAML job naming it and the data registered above, registering the output", () => {
    const component = pipewright("component", "create", "assets.ts");
    expect(component.status, component.stderr).to.equal(0);
    expect(component.stdout).to.equal("Registered component up:1 (command)\n");
    const run = pipewright("run", "job.yml");
    expect(run.status, run.stderr + run.stdout).to.equal(0);
    const output = jsonLines(pipewright("data", "show", "shouted:5", "--json").stdout)[0];
    expect(readFileSync(join(String(output?.["path"]), "f.csv"), "utf8")).to.equal("A,B\n");
  });

  it("creates, lists and shows local datastores", () => {
    put("lake/x", "x");
    const created = pipewright("datastore", "create", "--name", "lake", "--path", "lake", "--json");
    expect(created.status, created.stderr).to.equal(0);
    expect(jsonLines(created.stdout)[0]).to.deep.equal({ name: "lake", path: join(scratch, "lake"), builtin: false });
    const listed = pipewright("datastore", "list");
    expect(listed.stdout).to.match(/^lake\s+\S+lake$/m).and.to.match(/^workspaceblobstore\s+.*\(built in\)$/m);
  });
});
