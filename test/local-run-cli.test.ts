// The runner's CLI verbs through `main`, as a user types them: run, runs list/show --why, logs.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { main } from "@pipewright/cli";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const entry = join(root, "test/fixtures/local-run/report.ts");

async function pipewright(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    cwd: root,
    env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", NO_COLOR: "1" },
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

describe("pipewright run, runs, logs", function () {
  this.timeout(60_000);
  let ws: string;
  before(() => {
    ws = join(mkdtempSync(join(tmpdir(), "pw-cli-run-")), "ws");
  });
  after(() => rmSync(dirname(ws), { recursive: true, force: true }));

  it("run exits 0, prints where the outputs are, and a second run reuses every step", async () => {
    const first = await pipewright(["run", entry, "--no-type-check", "--workspace", ws]);
    expect(first.code, first.stderr).to.equal(0);
    const output = /result\s+(\S+)/.exec(first.stdout)?.[1] as string;
    expect(readFileSync(join(output, "size"), "utf8")).to.equal("3\n");
    expect(first.stdout).to.contain("settings.default_compute = serverless");

    const second = await pipewright(["run", entry, "--no-type-check", "--workspace", ws, "--json"]);
    expect(second.code).to.equal(0);
    const events = second.stdout.trim().split("\n").map((line) => JSON.parse(line) as { type: string });
    expect(events.filter((e) => e.type === "step_reused")).to.have.length(2);
    expect(events.some((e) => e.type === "step_started")).to.equal(false);
  });

  it("run exits 1 when a step fails, showing the tail of its log", async () => {
    const failed = await pipewright(["run", entry, "--no-type-check", "--workspace", ws, "--set", "fail=true"]);
    expect(failed.code).to.equal(1);
    expect(failed.stdout).to.contain("check FAILED");
    expect(failed.stdout).to.contain("    | check failed on purpose");
  });

  it("rejects a --set naming no input, and a bad --concurrency, as usage errors", async () => {
    const unknown = await pipewright(["run", entry, "--no-type-check", "--workspace", ws, "--set", "nope=1"]);
    expect(unknown.code).to.equal(1);
    expect(unknown.stderr).to.contain("PW4005");
    // Through the real bin: in-process, main() does not recognise the verb's UsageError (see report).
    const usage = spawnSync(process.execPath, [join(root, "packages/cli/bin/pipewright.mjs"), "run", entry, "--no-type-check", "--workspace", ws, "--concurrency", "0"], { encoding: "utf8" });
    expect(usage.status).to.equal(2);
    expect(usage.stderr).to.contain("--concurrency takes a whole number of at least 1");
  });

  it("runs list filters by status; runs show prints steps and metrics; --why names the changed input; logs prints each step's output", async () => {
    const changed = await pipewright(["run", entry, "--no-type-check", "--workspace", ws, "--set", "size=5"]);
    expect(changed.code).to.equal(0);
    const listed = await pipewright(["runs", "list", "--status", "failed", "--json", "--workspace", ws]);
    const failedJobs = listed.stdout.trim().split("\n").map((line) => JSON.parse(line) as { status: string });
    expect(failedJobs.map((j) => j.status)).to.deep.equal(["failed"]);

    const latest = (JSON.parse((await pipewright(["runs", "list", "--json", "--limit", "1", "--workspace", ws])).stdout.trim()) as { name: string }).name;
    const shown = await pipewright(["runs", "show", latest, "--workspace", ws]);
    expect(shown.code).to.equal(0);
    expect(shown.stdout).to.match(/measure\s+completed/);
    expect(shown.stdout).to.match(/measure\s+size\s+5/);

    const why = await pipewright(["runs", "show", latest, "--why", "measure", "--workspace", ws]);
    expect(why.stdout).to.contain("input 'size' changed (value integer 3 -> value integer 5)");

    const logs = await pipewright(["logs", latest, "measure", "--workspace", ws]);
    expect(logs.stdout).to.equal("== measure (attempt 1) ==\nsize 5\n");
    const missing = await pipewright(["runs", "show", "no_such_job", "--workspace", ws]);
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.contain("PW4010");
  });
});
