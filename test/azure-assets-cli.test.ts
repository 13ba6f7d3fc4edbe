// The asset verbs with --azure, `datastore create --azure` and `compute`, in process against the
// emulator: create/list/show, idempotent re-create, progress of a long-running creation, a
// datastore secret that reaches no output, request log or file, and bad input refused before any request.
import { expect } from "chai";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { filesUnder, useAzureCliEmulator } from "./support/azure-cli-emulator.js";

const SECRET = "cli-datastore-key-9f86d081884c7d659a2feaa0c55ad015";

describe("pipewright's asset verbs with --azure against the emulator", function () {
  this.timeout(60_000);
  const cli = useAzureCliEmulator({ homePrefix: "pw-azure-assets-cli-", cwd: (home) => join(home, "project") });
  const { run, produced } = cli;

  before(() => {
    const project = join(cli.home, "project");
    mkdirSync(join(project, "rows"), { recursive: true });
    writeFileSync(join(project, "rows", "part-0.csv"), "a,b\n1,2\n");
    mkdirSync(join(project, "plain-model"), { recursive: true });
    writeFileSync(join(project, "plain-model", "model.pkl"), "weights");
    mkdirSync(join(project, "src"), { recursive: true });
    writeFileSync(join(project, "src", "main.py"), "print('hi')\n");
    writeFileSync(
      join(project, "component.yml"),
      "$schema: https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json\nname: say_hi\nversion: 1\ntype: command\n" +
        "code: ./src\nenvironment: azureml:AzureML-sklearn-1.5@latest\ncommand: python main.py\n",
    );
    writeFileSync(
      join(project, "lake.yml"),
      "$schema: https://azuremlschemas.azureedge.net/latest/azureBlob.schema.json\nname: lake\ntype: azure_blob\n" +
        "account_name: lakeacct\ncontainer_name: raw\ncredentials:\n  account_key: <secret:env:LAKE_ACCOUNT_KEY>\n",
    );
  });

  it("data create --azure uploads a folder and registers version 1; again it is unchanged; list and show find it", async () => {
    const first = await run(["data", "create", "--azure", "--name", "rows", "--path", "rows", "--type", "uri_folder"]);
    expect(first.stderr).to.equal("");
    expect(first.code).to.equal(0);
    expect(first.stdout).to.match(/^Created data rows:1 \(uri_folder\) at azureml:\/\/datastores\/workspaceblobstore\/paths\/LocalUpload\/[0-9a-f]{32}\/rows\/\n$/);
    const again = await run(["data", "create", "--azure", "--name", "rows", "--path", "rows", "--type", "uri_folder"]);
    expect(again.stdout).to.match(/^Unchanged data rows:1 /);
    const list = await run(["data", "list", "--azure"]);
    expect(list.stdout).to.match(/^NAME\s+VERSION\s+TYPE/);
    expect(list.stdout).to.match(/\nrows\s+1\s+uri_folder/);
    const show = await run(["data", "show", "rows:1", "--azure", "--json"]);
    expect(JSON.parse(show.stdout)).to.deep.include({ name: "rows", version: "1", type: "uri_folder", id: "azureml:rows:1" });
  });

  it("environment and component create --azure register under their names", async () => {
    const env1 = await run(["environment", "create", "--azure", "--name", "slim", "--image", "python:3.11-slim"]);
    expect(env1.stdout).to.equal("Created environment slim:1 (python:3.11-slim)\n");
    const component = await run(["component", "create", "component.yml", "--azure"]);
    expect(component.stderr).to.equal("");
    expect(component.stdout).to.equal("Created component say_hi:1 (command)\n");
    const show = await run(["component", "show", "say_hi@latest", "--azure"]);
    expect(show.stdout).to.match(/^name:\s+say_hi\nversion:\s+1\n/);
  });

  it("model create --azure with an mlflow_model folder lacking MLmodel exits 1 with PW1507 and sends nothing", async () => {
    const count = cli.emulator.state.requests.length;
    const result = await run(["model", "create", "--azure", "--name", "clf", "--path", "plain-model", "--type", "mlflow_model"]);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.contain("PW1507");
    expect(result.stderr).to.contain("MLmodel");
    expect(cli.emulator.state.requests.length).to.equal(count);
  });

  it("datastore create --azure reads the key from the environment; it reaches no output, request log or file", async () => {
    const missing = await run(["datastore", "create", "lake.yml", "--azure"]);
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.contain("PW4609");
    expect(missing.stderr).to.contain("LAKE_ACCOUNT_KEY");
    const created = await run(["datastore", "create", "lake.yml", "--azure"], { LAKE_ACCOUNT_KEY: SECRET });
    expect(created.stderr).to.equal("");
    expect(created.stdout).to.equal(`Datastore lake (azure_blob, AccountKey credentials) created in workspace ${cli.emulator.workspace.name}.\n`);
    const list = await run(["datastore", "list", "--azure"]);
    expect(list.stdout).to.match(/^lake\s+azure_blob\s+lakeacct\/raw\n/m);
    const show = await run(["datastore", "show", "lake", "--azure", "--json"]);
    expect(JSON.parse(show.stdout)).to.include({ name: "lake", credentialsType: "AccountKey" });
    const everything = [...produced, JSON.stringify(cli.emulator.state.requests), ...filesUnder(cli.home).map((f) => readFileSync(f, "utf8"))].join("\n");
    expect(everything.includes(SECRET), "secret leaked").to.equal(false);
  });

  it("compute create waits for the long-running creation, printing progress; list and show find the cluster", async () => {
    const created = await run(["compute", "create", "--azure", "--name", "cpu-two", "--size", "STANDARD_DS3_V2", "--max-instances", "2"]);
    expect(created.stderr).to.equal("");
    expect(created.code).to.equal(0);
    const lines = created.stdout.trimEnd().split("\n");
    expect(lines[0]).to.equal(`Creating compute cpu-two (amlcompute) in workspace ${cli.emulator.workspace.name}...`);
    expect(lines.slice(1, -1).map((l) => l.replace(/ \(\d+ s\)$/, ""))).to.deep.equal(["  compute cpu-two: InProgress", "  compute cpu-two: InProgress", "  compute cpu-two: Succeeded"]);
    expect(lines.at(-1)).to.equal("Compute cpu-two is Succeeded.");
    const list = await run(["compute", "list", "--azure"]);
    expect(list.stdout).to.match(/^cpu-two\s+amlcompute\s+STANDARD_DS3_V2\s+0-2\s+Succeeded$/m);
    const show = await run(["compute", "show", "cpu-two", "--azure", "--json"]);
    expect(JSON.parse(show.stdout)).to.include({ name: "cpu-two", provisioningState: "Succeeded", maxInstances: 2 });
  });

  it("compute create refuses a name outside Azure's rules before any request", async () => {
    const count = cli.emulator.state.requests.length;
    const result = await run(["compute", "create", "--azure", "--name", "a_b", "--max-instances", "1"]);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.contain("PW1501");
    expect(cli.emulator.state.requests.length).to.equal(count);
  });
});
