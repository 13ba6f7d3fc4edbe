// `pipewright compute` without --azure (definitions recorded in the local registry) and
// `pipewright workspace create` locally and with --azure against the emulator, in process.
import { expect } from "chai";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock, startEmulator, type RunningEmulator } from "@pipewright/runner";
import { main } from "../packages/cli/src/main.js";

class Sink {
  text = "";
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

describe("pipewright compute and workspace verbs", function () {
  this.timeout(60_000);
  let home: string;
  let project: string;
  let env: Record<string, string>;

  async function run(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    const stdout = new Sink();
    const stderr = new Sink();
    const code = await main(args, { cwd: project, env: { ...env, ...extraEnv }, stdout, stderr });
    return { code, stdout: stdout.text, stderr: stderr.text };
  }

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), "pw-resources-cli-"));
    project = join(home, "project");
    mkdirSync(project, { recursive: true });
    writeFileSync(
      join(project, "cluster.yml"),
      "$schema: https://azuremlschemas.azureedge.net/latest/amlCompute.schema.json\nname: cpu-cluster\ntype: amlcompute\nsize: STANDARD_DS3_V2\nmax_instances: 4\n",
    );
    writeFileSync(
      join(project, "team.yml"),
      "$schema: https://azuremlschemas.azureedge.net/latest/workspace.schema.json\nname: team-ws\ndisplay_name: Team\ndescription: shared\nlocation: westeurope\ntags:\n  cost: '42'\n",
    );
    env = { HOME: home, PATH: process.env["PATH"] ?? "/usr/bin:/bin", PIPEWRIGHT_WORKSPACE: join(project, ".pw") };
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it("compute create without --azure records the definition; again it is unchanged, changed it is updated; list and show find it", async () => {
    const created = await run(["compute", "create", "cluster.yml"]);
    expect([created.code, created.stderr]).to.deep.equal([0, ""]);
    expect(created.stdout).to.equal(`Recorded compute cpu-cluster (amlcompute) in ${join(project, ".pw")}; local runs still run on this machine.\n`);
    expect((await run(["compute", "create", "cluster.yml"])).stdout).to.match(/^Unchanged compute cpu-cluster/);
    const flagged = await run(["compute", "create", "--name", "cpu-cluster", "--size", "STANDARD_DS3_V2", "--max-instances", "8", "--json"]);
    expect(JSON.parse(flagged.stdout)).to.include({ name: "cpu-cluster", maxInstances: 8, outcome: "updated" });
    const list = await run(["compute", "list"]);
    expect(list.stdout).to.match(/^cpu-cluster\s+amlcompute\s+STANDARD_DS3_V2\s+0-8$/m);
    const show = await run(["compute", "show", "cpu-cluster"]);
    expect(show.stdout).to.contain("instances:   0-8\n");
  });

  it("compute without --azure refuses a bad name and reports an unknown compute with exit code 1", async () => {
    const bad = await run(["compute", "create", "--name", "a_b"]);
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.contain("PW1501");
    expect((await run(["compute", "list"])).stdout).to.equal(`No compute recorded in ${join(project, ".pw")}.\n`);
    const unknown = await run(["compute", "show", "nowhere"]);
    expect([unknown.code, unknown.stderr.includes("no compute named 'nowhere'")]).to.deep.equal([1, true]);
  });

  it("workspace create makes a local workspace folder from YAML or flags, and the new workspace is usable", async () => {
    const created = await run(["workspace", "create", "team.yml", "--json"]);
    expect(created.stderr).to.equal("");
    const record = JSON.parse(created.stdout) as Record<string, unknown>;
    expect(record).to.include({ name: "team-ws", displayName: "Team", description: "shared", outcome: "created", path: join(project, ".pw", "workspaces", "team-ws") });
    expect(existsSync(join(project, ".pw", "workspaces", "team-ws", "registry.db"))).to.equal(true);
    const flagged = await run(["workspace", "create", "--name", "scratch", "--root", "spaces", "--tag", "a=b"]);
    expect(flagged.stdout).to.equal(`Created local workspace scratch at ${join(project, "spaces", "scratch")}; use it with --workspace ${join(project, "spaces", "scratch")}\n`);
    const onNew = await run(["compute", "create", "cluster.yml", "--workspace", join(project, "spaces", "scratch")]);
    expect(onNew.code).to.equal(0);
    expect((await run(["compute", "list"])).stdout, "the first workspace has no computes").to.match(/^No compute/);
    const usage = await run(["workspace", "create"]);
    expect(usage.code).to.equal(2);
  });

  describe("with --azure against the emulator", () => {
    let emulator: RunningEmulator;
    before(async () => {
      emulator = await startEmulator({ clock: new ManualClock(), advanceOnRequestMs: 1000 });
    });
    after(async () => emulator.close());
    afterEach(() => {
      expect(emulator.state.violations(), "spec violations").to.deep.equal([]);
    });

    function azureEnv(): Record<string, string> {
      const caFile = join(home, "ca.pem");
      writeFileSync(caFile, emulator.ca);
      return {
        PIPEWRIGHT_AZURE_ENDPOINT: emulator.url,
        PIPEWRIGHT_AZURE_CA_FILE: caFile,
        PIPEWRIGHT_AZURE_POLL_MS: "5",
        AZURE_SUBSCRIPTION_ID: emulator.workspace.subscriptionId,
        AZURE_RESOURCE_GROUP: emulator.workspace.resourceGroup,
        AZURE_TENANT_ID: "00000000-0000-0000-0000-00000000aaaa",
        AZURE_CLIENT_ID: "11111111-2222-3333-4444-555555555555",
        AZURE_CLIENT_SECRET: "cli-test-client-secret",
      };
    }

    it("workspace create --azure waits for the creation with progress, and a compute can then be created in it", async () => {
      const extra = azureEnv();
      const created = await run(["workspace", "create", "team.yml", "--azure", "--workspace", emulator.workspace.name], extra);
      expect([created.code, created.stderr]).to.deep.equal([0, ""]);
      const lines = created.stdout.trimEnd().split("\n");
      expect(lines[0]).to.equal(`Creating workspace team-ws in resource group ${emulator.workspace.resourceGroup}...`);
      expect(lines.at(-1)).to.equal("Workspace team-ws is Succeeded.");
      const compute = await run(["compute", "create", "cluster.yml", "--azure", "--workspace", "team-ws"], extra);
      expect(compute.code, compute.stderr).to.equal(0);
      const nowhere = await run(["workspace", "create", "--name", "no-region", "--azure"], extra);
      expect(nowhere.code).to.equal(1);
      expect(nowhere.stderr).to.contain("PW1509");
    });

    it("submit --watch registers a job output named as an asset when the job completes, and jobs register-outputs finds it registered", async () => {
      const extra = { ...azureEnv(), AZUREML_WORKSPACE_NAME: emulator.workspace.name };
      mkdirSync(join(project, "src"), { recursive: true });
      writeFileSync(join(project, "src", "main.py"), "print('hi')\n");
      writeFileSync(
        join(project, "pipeline.yml"),
        "$schema: https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json\ntype: pipeline\nsettings:\n  default_compute: azureml:cpu-cluster\n" +
          "outputs:\n  features:\n    type: uri_folder\n    name: features\n" +
          "jobs:\n  train:\n    type: command\n    code: ./src\n    environment: azureml:AzureML-sklearn-1.5@latest\n    command: python main.py --out ${{outputs.out}}\n" +
          "    outputs:\n      out: ${{parent.outputs.features}}\n",
      );
      const submitted = await run(["submit", "pipeline.yml", "--watch", "--json"], extra);
      expect(submitted.code, submitted.stderr).to.equal(0);
      expect(submitted.stderr).to.contain("pipewright registers it when it watches the job complete");
      const lines = submitted.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
      const registered = lines.find((l) => l["type"] === "output_registered");
      expect(registered).to.include({ output: "features", kind: "data", id: "azureml:features:1", created: true });
      const job = String(registered?.["job"]);
      const again = await run(["jobs", "register-outputs", job], extra);
      expect([again.code, again.stdout]).to.deep.equal([0, `Already registered: output features of job ${job} as data features:1 (${String(registered?.["path"])})\n`]);
    });
  });
});
