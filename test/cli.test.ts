// End-to-end tests of the `pipewright` command through its real bin, as a user runs it.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { parse } from "yaml";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(root, "packages/cli/bin/pipewright.mjs");
const fixtures = "test/fixtures/cli";

interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function pipewright(args: readonly string[], cwd = root): CliResult {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, PIPEWRIGHT_VERBOSE: "", NO_COLOR: "1" },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** 1-based line of the fixture line carrying `marker`, so tests do not hard-code line numbers. */
function lineOf(file: string, marker: string): number {
  const index = readFileSync(join(root, file), "utf8").split("\n").findIndex((line) => line.includes(marker));
  expect(index, `marker ${marker} in ${file}`).to.be.greaterThan(-1);
  return index + 1;
}

/** Every file under `dir`, relative to it, with forward slashes, sorted. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split("\\").join("/"))
    .sort();
}

/** A stack frame such as `at readSettings (/x/throws.ts:6:9)` or `at node:internal/...`. */
const STACK_FRAME = /^\s+at .*(?:\.[cm]?[jt]s:\d+:\d+|node:internal)/m;

describe("the pipewright CLI", () => {
  let scratch: string;
  before(() => {
    scratch = mkdtempSync(join(tmpdir(), "pipewright-cli-"));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  describe("usage", () => {
    it("prints the commands with --help and exits 0", () => {
      const result = pipewright(["--help"]);
      expect(result.status).to.equal(0);
      expect(result.stdout).to.match(/Usage: pipewright <command>/);
      expect(result.stdout).to.match(/^\s+compile\s/m);
      expect(result.stdout).to.match(/^\s+validate\s/m);
    });

    it("prints a verb's options with <verb> --help", () => {
      const result = pipewright(["compile", "--help"]);
      expect(result.status).to.equal(0);
      for (const option of ["--out", "--inline", "--json"]) expect(result.stdout).to.include(option);
    });

    it("exits 2 without a command, with an unknown command, an unknown option or a missing entry", () => {
      const cases = [[], ["frobnicate"], ["compile", `${fixtures}/one-job.ts`, "--frob"], ["compile"], ["validate", "no/such/file.ts"]];
      for (const args of cases) {
        const result = pipewright(args);
        expect(result.status, args.join(" ")).to.equal(2);
        expect(result.stderr, args.join(" ")).to.match(/pipewright/);
        expect(result.stderr, args.join(" ")).not.to.match(STACK_FRAME);
      }
    });
  });

  describe("compile", () => {
    it("writes pipeline.yml and one file per component, each YAML starting with $schema, and lists them", () => {
      const out = join(scratch, "one");
      const result = pipewright(["compile", `${fixtures}/one-job.ts`, "--out", out]);
      expect(result.status, result.stderr).to.equal(0);
      expect(filesUnder(out).filter((file) => !file.startsWith("."))).to.deep.equal([
        "components/make_data.yml",
        "components/summarize.yml",
        "pipeline.yml",
      ]);
      for (const file of filesUnder(out).filter((name) => name.endsWith(".yml"))) {
        const text = readFileSync(join(out, file), "utf8");
        expect(text.split("\n")[0], file).to.match(/^\$schema: https:\/\/azuremlschemas\.azureedge\.net\/latest\/\w+\.schema\.json$/);
        expect(parse(text), file).to.be.an("object");
        expect(result.stdout).to.include(join(out, file));
      }
      const job = parse(readFileSync(join(out, "pipeline.yml"), "utf8")) as { jobs: Record<string, { component: string }> };
      for (const node of Object.values(job.jobs)) expect(existsSync(join(out, node.component)), node.component).to.equal(true);
    });

    it("prints exactly one JSON object with diagnostics and the files written under --json, even when the entry prints", () => {
      const out = join(scratch, "json");
      const result = pipewright(["compile", `${fixtures}/one-job.ts`, "--out", out, "--json", "--no-type-check"]);
      expect(result.status, result.stderr).to.equal(0);
      const report = JSON.parse(result.stdout) as { diagnostics: unknown[]; files: { path: string; kind: string }[] };
      expect(Object.keys(report)).to.include.members(["diagnostics", "files"]);
      expect(report.diagnostics).to.deep.equal([]);
      expect(result.stderr).to.include("hello from entry");
      expect(report.files.map((file) => file.kind).sort()).to.deep.equal(["command_component", "command_component", "pipeline_job"]);
      for (const file of report.files) expect(existsSync(file.path), file.path).to.equal(true);
    });

    it("writes one folder per exported job, named by the export, when the entry exports several", () => {
      const out = join(scratch, "several");
      const result = pipewright(["compile", `${fixtures}/two-jobs.ts`, "--out", out, "--no-type-check"]);
      expect(result.status, result.stderr).to.equal(0);
      const files = filesUnder(out);
      expect(files).to.include.members(["large/pipeline.yml", "small/pipeline.yml", "small/components/make_data.yml"]);
      expect(files.some((file) => file.startsWith("notAJob"))).to.equal(false);
      const large = parse(readFileSync(join(out, "large/pipeline.yml"), "utf8")) as { display_name?: string };
      expect(large.display_name).to.equal("large run");
    });

    it("puts everything in pipeline.yml with --inline", () => {
      const out = join(scratch, "inline");
      const result = pipewright(["compile", `${fixtures}/one-job.ts`, "--out", out, "--inline", "--no-type-check"]);
      expect(result.status, result.stderr).to.equal(0);
      expect(filesUnder(out).filter((file) => !file.startsWith("."))).to.deep.equal(["pipeline.yml"]);
    });

    it("writes to out/<entry name> under the working directory without --out", () => {
      const cwd = join(scratch, "default-out");
      mkdirSync(cwd);
      const result = pipewright(["compile", join(root, fixtures, "one-job.ts"), "--no-type-check"], cwd);
      expect(result.status, result.stderr).to.equal(0);
      expect(existsSync(join(cwd, "out/one-job/pipeline.yml"))).to.equal(true);
      expect(result.stdout).to.include("out/one-job/pipeline.yml");
    });

    it("reports compiler diagnostics as file:line:col - error PWnnnn with the node path, exits 1 and writes nothing", () => {
      const out = join(scratch, "compile-error");
      const entry = `${fixtures}/compile-error.ts`;
      const result = pipewright(["compile", entry, "--out", out]);
      expect(result.status).to.equal(1);
      const line = lineOf(entry, "const badlyNamed = command(");
      expect(result.stderr).to.match(new RegExp(`^${entry}:${line}:\\d+ - error PW1001: .+\\n  at compile_error/`, "m"));
      expect(existsSync(out)).to.equal(false);
      expect(readdirSync(scratch).filter((name) => name.includes("compile-error"))).to.deep.equal([]);
    });

    it("leaves an earlier output untouched when a later compile fails", () => {
      const out = join(scratch, "kept");
      expect(pipewright(["compile", `${fixtures}/one-job.ts`, "--out", out, "--no-type-check"]).status).to.equal(0);
      const before = filesUnder(out).map((file) => [file, readFileSync(join(out, file), "utf8")]);
      const failed = pipewright(["compile", `${fixtures}/compile-error.ts`, "--out", out, "--no-type-check", "--json"]);
      expect(failed.status).to.equal(1);
      const report = JSON.parse(failed.stdout) as { diagnostics: { code: string }[]; files: unknown[] };
      expect(report.diagnostics.map((d) => d.code)).to.include("PW1001");
      expect(report.files).to.deep.equal([]);
      expect(filesUnder(out).map((file) => [file, readFileSync(join(out, file), "utf8")])).to.deep.equal(before);
    });

    it("replaces its own earlier output as a whole, leaving no stale files", () => {
      const out = join(scratch, "replaced");
      expect(pipewright(["compile", `${fixtures}/two-jobs.ts`, "--out", out, "--no-type-check"]).status).to.equal(0);
      expect(pipewright(["compile", `${fixtures}/one-job.ts`, "--out", out, "--no-type-check"]).status).to.equal(0);
      expect(filesUnder(out).some((file) => file.startsWith("small/"))).to.equal(false);
      expect(existsSync(join(out, "pipeline.yml"))).to.equal(true);
    });

    it("refuses to replace a folder holding files it did not write", () => {
      const out = join(scratch, "foreign");
      mkdirSync(out);
      writeFileSync(join(out, "notes.txt"), "mine");
      const result = pipewright(["compile", `${fixtures}/one-job.ts`, "--out", out, "--no-type-check"]);
      expect(result.status).to.equal(1);
      expect(result.stderr).to.match(/did not write/);
      expect(filesUnder(out)).to.deep.equal(["notes.txt"]);
    });
  });

  describe("errors in the entry file", () => {
    it("reports a TypeScript type error with file:line:col and the TypeScript message, without a stack trace", () => {
      const entry = `${fixtures}/_error_/type-error.ts`;
      const out = join(scratch, "type-error");
      const result = pipewright(["compile", entry, "--out", out]);
      expect(result.status).to.equal(1);
      const line = lineOf(entry, "TYPE-ERROR-HERE");
      expect(result.stderr).to.match(new RegExp(`^${entry}:${line}:\\d+ - error PW1012: type error: .*OutputRef<"mltable">[\\s\\S]*?\\(TS2322\\)`, "m"));
      expect(result.stderr).not.to.match(STACK_FRAME);
      expect(existsSync(out)).to.equal(false);
    });

    it("type-checks the local files the entry imports and reports the error where it is", () => {
      const helper = `${fixtures}/_error_/imports-type-error/helper.ts`;
      const result = pipewright(["validate", `${fixtures}/_error_/imports-type-error/entry.ts`, "--json"]);
      expect(result.status).to.equal(1);
      const report = JSON.parse(result.stdout) as { diagnostics: { code: string; location: { file: string; line: number } }[] };
      expect(report.diagnostics.map((d) => [d.code, d.location.file, d.location.line])).to.deep.equal([
        ["PW1012", helper, lineOf(helper, "HELPER-ERROR-HERE")],
      ]);
    });

    it("reports a syntax error at its place with exit 1 and no stack trace", () => {
      const entry = `${fixtures}/_error_/syntax-error.ts`;
      const result = pipewright(["compile", entry, "--out", join(scratch, "syntax")]);
      expect(result.status).to.equal(1);
      expect(result.stderr).to.match(new RegExp(`^${entry}:${lineOf(entry, "SYNTAX-ERROR-HERE")}:\\d+ - error PW1012: syntax error: `, "m"));
      expect(result.stderr).not.to.match(STACK_FRAME);
    });

    it("reports an entry that throws in one paragraph at the throwing line, and shows the stack only with --verbose", () => {
      const entry = `${fixtures}/throws.ts`;
      const result = pipewright(["compile", entry, "--out", join(scratch, "throws")]);
      expect(result.status).to.equal(1);
      expect(result.stderr).to.match(
        new RegExp(`^${entry}:${lineOf(entry, "THROW-HERE")}:\\d+ - error PW1013: .*threw.*settings\\.json is missing`, "m"),
      );
      expect(result.stderr).not.to.match(STACK_FRAME);
      expect(existsSync(join(scratch, "throws"))).to.equal(false);

      const verbose = pipewright(["validate", entry, "--verbose", "--no-type-check"]);
      expect(verbose.status).to.equal(1);
      expect(verbose.stderr).to.match(STACK_FRAME);
    });

    it("says how to export a job when the entry exports a pipeline but no pipeline job", () => {
      const entry = `${fixtures}/no-job.ts`;
      const result = pipewright(["compile", entry, "--out", join(scratch, "no-job"), "--no-type-check"]);
      expect(result.status).to.equal(1);
      expect(result.stderr).to.match(new RegExp(`^${entry}:1:1 - error PW1014: .*lonely\\.job\\(`, "m"));
      expect(existsSync(join(scratch, "no-job"))).to.equal(false);
    });
  });

  describe("the demo", () => {
    it("compiles without diagnostics into a pipeline job, a nested pipeline component and its command components", () => {
      const out = join(scratch, "demo");
      const result = pipewright(["compile", "examples/demo/pipeline.ts", "--out", out, "--json", "--no-type-check"]);
      expect(result.status, result.stderr).to.equal(0);
      const report = JSON.parse(result.stdout) as { diagnostics: unknown[]; files: { kind: string }[] };
      expect(report.diagnostics).to.deep.equal([]);
      const kinds = report.files.map((file) => file.kind);
      expect(kinds.filter((kind) => kind === "pipeline_job")).to.have.length(1);
      expect(kinds).to.include("pipeline_component");
      expect(kinds.filter((kind) => kind === "command_component")).to.have.length(4);
    });
  });

  describe("validate", () => {
    it("checks the entry and writes nothing", () => {
      const cwd = join(scratch, "validate");
      mkdirSync(cwd);
      const result = pipewright(["validate", join(root, fixtures, "one-job.ts")], cwd);
      expect(result.status, result.stderr).to.equal(0);
      expect(result.stdout).to.match(/valid/);
      expect(readdirSync(cwd)).to.deep.equal([]);
    });

    it("exits 1 with the same diagnostics compile reports", () => {
      const result = pipewright(["validate", `${fixtures}/compile-error.ts`, "--json", "--no-type-check"]);
      expect(result.status).to.equal(1);
      const report = JSON.parse(result.stdout) as { diagnostics: { code: string; path?: string }[] };
      expect(report.diagnostics.map((d) => d.code)).to.include("PW1001");
    });
  });
});
