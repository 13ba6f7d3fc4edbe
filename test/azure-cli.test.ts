// The Azure verbs of the `pipewright` CLI against the emulator, in process (main() with its own
// environment, stdout and stderr): submit, watch, jobs, download, emulator; exit codes; secrets.
import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { main } from "../packages/cli/src/main.js";
import { filesUnder, Sink, useAzureCliEmulator } from "./support/azure-cli-emulator.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const entry = join(root, "test/fixtures/azure-cli/pipeline.ts");

describe("pipewright's Azure verbs against the emulator", function () {
  this.timeout(120_000);
  const cli = useAzureCliEmulator({ homePrefix: "pw-azure-cli-", cwd: () => root });
  const { run, produced } = cli;

  it("submit --watch prints the job, its steps and their logs, and exits 0 when it completes", async () => {
    const result = await run(["submit", entry, "--job", "ok", "--watch", "--no-type-check"]);
    expect(result.stderr).to.equal("");
    expect(result.code).to.equal(0);
    expect(result.stdout).to.match(/^Submitted job cli_ok_\w+_[0-9a-f]{6} \(NotStarted\), 2 new component version\(s\)\.\nStudio: https:\/\/ml\.azure\.com\/runs\//);
    expect(result.stdout).to.contain("prep | Starting prep");
    expect(result.stdout).to.contain("train | train: done");
    expect(result.stdout).to.match(/Job cli_ok_\S+ completed in /);
    expect(result.stdout.match(/prep \| prep: working \(1\/3\)/g)).to.have.length(1);
  });

  it("a failing step: exit 1 and that step's log tail", async () => {
    const result = await run(["submit", entry, "--job", "failing", "--watch", "--no-type-check"]);
    expect(result.code).to.equal(1);
    expect(result.stdout).to.match(/train FAILED after .*: Step 'train' failed/);
    expect(result.stdout).to.contain("    | RuntimeError: Step 'train' failed");
    expect(result.stdout).to.match(/Job cli_failing_\S+ failed/);
  });

  it("submit --json, then jobs show, list, logs, cancel --wait; watching the canceled job exits 1", async () => {
    const submitted = await run(["submit", entry, "--job", "ok", "--json", "--no-type-check", "--set", "rows=9"]);
    expect(submitted.code).to.equal(0);
    const { name, status } = JSON.parse(submitted.stdout) as { name: string; status: string };
    expect(status).to.equal("NotStarted");
    expect((cli.emulator.state.job(name)?.properties["inputs"] as Record<string, unknown>)["rows"]).to.deep.equal({ jobInputType: "literal", value: "9" });
    const shown = await run(["jobs", "show", name, "--json"]);
    expect(JSON.parse(shown.stdout)).to.include({ name, jobType: "Pipeline" });
    expect((await run(["jobs", "list"])).stdout).to.contain(name);
    const canceled = await run(["jobs", "cancel", name, "--wait"]);
    expect(canceled.code).to.equal(0);
    expect(canceled.stdout).to.equal(`Job ${name} Canceled.\n`);
    const watched = await run(["watch", name]);
    expect(watched.code).to.equal(1);
    expect(watched.stdout).to.match(/Job \S+ canceled/);
  });

  it("watching a finished job again resumes from the saved progress: no log line twice", async () => {
    const submitted = await run(["submit", entry, "--job", "ok", "--watch", "--no-type-check"]);
    const name = /Submitted job (\S+) /.exec(submitted.stdout)?.[1] ?? "";
    const again = await run(["watch", name]);
    expect(again.code).to.equal(0);
    expect(again.stdout).to.match(/resumed/);
    expect(again.stdout).to.not.contain(" | ");
    const logs = await run(["jobs", "logs", name, "prep"]);
    expect(logs.stdout).to.match(/^==> prep \(user_logs\/std_log\.txt\) <==\nStarting prep\n/);
    const steps = await run(["jobs", "list", "--parent", name]);
    expect(steps.stdout.split("\n").filter(Boolean).map((line) => line.split(/\s+/).slice(0, 2).join(" "))).to.deep.equal(["prep Completed", "train Completed"]);
  });

  it("Ctrl-C while watching stops the watch with exit 130, and with --cancel-on-interrupt cancels the job", async () => {
    const submitted = await run(["submit", entry, "--job", "ok", "--json", "--no-type-check"]);
    const { name } = JSON.parse(submitted.stdout) as { name: string };
    const stdout = new Sink();
    const stderr = new Sink();
    // The first line the watcher prints (job started) is when the user presses Ctrl-C.
    const interrupting = { write: (text: string) => (stdout.write(text), text.includes("started:") && process.emit("SIGINT"), true) };
    const code = await main(["watch", name, "--cancel-on-interrupt"], { cwd: root, env: cli.env, stdout: interrupting, stderr });
    produced.push(stdout.text, stderr.text);
    expect(code).to.equal(130);
    expect(stderr.text).to.match(new RegExp(`Stopped watching; asked Azure ML to cancel job ${name} \\(now CancelRequested\\)`));
    expect(["CancelRequested", "Canceled"]).to.include(cli.emulator.state.job(name)?.status);
  });

  it("download writes named-outputs/<output>/ and names a missing output", async () => {
    const submitted = await run(["submit", entry, "--job", "ok", "--json", "--no-type-check"]);
    const { name } = JSON.parse(submitted.stdout) as { name: string };
    const out = join(cli.home, "dl");
    const missing = await run(["download", name, "--output", "nope", "--path", out]);
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.equal(`error PW4607: job ${name} has no output 'nope' (its outputs: model)\n`);
    const none = await run(["download", name, "--path", out]);
    expect(none.code).to.equal(0);
    expect(none.stdout).to.match(/^model: 0 file\(s\) from azureml:\/\/datastores\/workspaceblobstore\/paths\/azureml\/\S+\/model\/ into /);
  });

  it("a missing workspace is named with the flags and variables that give it, exit 1", async () => {
    const empty = mkdtempSync(join(tmpdir(), "pw-noconfig-"));
    try {
      const result = await run(["jobs", "list"], { AZURE_SUBSCRIPTION_ID: "", AZURE_RESOURCE_GROUP: "", AZUREML_WORKSPACE_NAME: "" }, empty);
      expect(result.code).to.equal(1);
      expect(result.stderr).to.match(/^error PW4601: no Azure ML workspace: missing subscription \(--subscription or AZURE_SUBSCRIPTION_ID\)/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it("emulator starts, writes its certificate, tells how to point pipewright at it, and stops on Ctrl-C", async () => {
    const caFile = join(cli.home, "emu-ca.pem");
    const stdout = new Sink();
    const running = main(["emulator", "--ca-file", caFile], { cwd: cli.home, env: cli.env, stdout, stderr: new Sink() });
    for (let i = 0; i < 200 && !stdout.text.includes("Ctrl-C"); i++) await new Promise((r) => setTimeout(r, 20));
    expect(stdout.text).to.match(/^Azure ML emulator listening on https:\/\/127\.0\.0\.1:\d+\n/);
    expect(stdout.text).to.contain(`export NODE_EXTRA_CA_CERTS=${caFile}`);
    expect(readFileSync(caFile, "utf8")).to.match(/^-----BEGIN CERTIFICATE-----/);
    process.emit("SIGINT");
    expect(await running).to.equal(0);
  });

  it("no token, SAS signature or secret in anything the CLI printed or wrote", () => {
    const written = filesUnder(join(cli.home, ".cache")).map((file) => readFileSync(file, "utf8"));
    const text = [...produced, ...written].join("\n");
    expect(written.length).to.be.greaterThan(0);
    expect(text).to.not.contain("cli-test-client-secret");
    expect(text).to.not.match(/[?&]sig=(?!REDACTED)/i);
    expect(text).to.not.match(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/);
  });
});
