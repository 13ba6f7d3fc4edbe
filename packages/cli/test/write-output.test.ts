import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { OUTPUT_MARKER, OutputFolderError, writeOutputFolder } from "../src/output/write-output.js";

describe("writeOutputFolder", () => {
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), "pipewright-write-"));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it("creates the folder with exactly the given files and the marker", () => {
    const out = join(scratch, "out", "demo");
    writeOutputFolder(out, [{ path: "pipeline.yml", content: "a: 1\n" }, { path: "components/x.yml", content: "b: 2\n" }], "test");
    expect(readFileSync(join(out, "components/x.yml"), "utf8")).to.equal("b: 2\n");
    expect(readdirSync(out).sort()).to.deep.equal([OUTPUT_MARKER, "components", "pipeline.yml"]);
    expect(readdirSync(join(scratch, "out"))).to.deep.equal(["demo"]);
  });

  it("keeps the earlier output and leaves no temporary folder when a write fails part-way", () => {
    const out = join(scratch, "demo");
    writeOutputFolder(out, [{ path: "pipeline.yml", content: "old\n" }], "test");
    // "x" as a file and then as a folder: the second write fails after the first succeeded.
    const clashing = [
      { path: "pipeline.yml", content: "new\n" },
      { path: "x", content: "file\n" },
      { path: "x/y.yml", content: "nested\n" },
    ];
    expect(() => writeOutputFolder(out, clashing, "test")).to.throw();
    expect(readFileSync(join(out, "pipeline.yml"), "utf8")).to.equal("old\n");
    expect(readdirSync(scratch)).to.deep.equal(["demo"]);
  });

  it("replaces an earlier output of its own as a whole", () => {
    const out = join(scratch, "demo");
    writeOutputFolder(out, [{ path: "a/pipeline.yml", content: "1\n" }, { path: "b/pipeline.yml", content: "2\n" }], "test");
    writeOutputFolder(out, [{ path: "pipeline.yml", content: "3\n" }], "test");
    expect(readdirSync(out).sort()).to.deep.equal([OUTPUT_MARKER, "pipeline.yml"]);
    expect(readdirSync(scratch)).to.deep.equal(["demo"]);
  });

  it("uses an existing empty folder", () => {
    const out = join(scratch, "empty");
    mkdirSync(out);
    writeOutputFolder(out, [{ path: "pipeline.yml", content: "x\n" }], "test");
    expect(existsSync(join(out, "pipeline.yml"))).to.equal(true);
  });

  it("refuses a folder holding files it did not write, and a path that is a file", () => {
    const out = join(scratch, "mine");
    mkdirSync(out);
    writeFileSync(join(out, "notes.md"), "keep me");
    expect(() => writeOutputFolder(out, [{ path: "pipeline.yml", content: "x\n" }], "test")).to.throw(OutputFolderError);
    expect(readdirSync(out)).to.deep.equal(["notes.md"]);
    expect(() => writeOutputFolder(join(out, "notes.md"), [], "test")).to.throw(OutputFolderError);
  });

  it("refuses document paths that would land outside the output folder", () => {
    const out = join(scratch, "demo");
    for (const path of ["../escape.yml", "/etc/escape.yml", "a/../../escape.yml"]) {
      expect(() => writeOutputFolder(out, [{ path, content: "x" }], "test"), path).to.throw(/outside the output folder/);
    }
    expect(readdirSync(scratch)).to.deep.equal([]);
  });
});
