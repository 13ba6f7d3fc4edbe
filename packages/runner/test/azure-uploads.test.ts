import { expect } from "chai";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { folderHash, listFiles } from "../src/azure/uploads.js";
import { useAzureBackend, wide } from "./helpers/azure-backend-fixtures.js";

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "pw-ignore-"));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

const rels = (dir: string): string[] => listFiles(dir).map((f) => f.rel);

describe("code folder uploads honour .amlignore and .gitignore", () => {
  const made: string[] = [];
  const make = (files: Record<string, string>): string => {
    const dir = folder(files);
    made.push(dir);
    return dir;
  };
  after(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });

  it("applies .gitignore patterns: globs, folders, anchoring, negation", () => {
    const dir = make({
      ".gitignore": "*.log\n!keep.log\nbuild/\n/top.txt\n",
      "main.py": "",
      "run.log": "",
      "keep.log": "",
      "sub/deep.log": "",
      "build/out.bin": "",
      "sub/build/x.txt": "",
      "top.txt": "",
      "sub/top.txt": "",
    });
    expect(rels(dir)).to.deep.equal([".gitignore", "keep.log", "main.py", "sub/top.txt"]);
  });

  it("lets .amlignore win over .gitignore outright (the two are not merged)", () => {
    const dir = make({ ".amlignore": "data/\n", ".gitignore": "*.py\n", "main.py": "", "data/rows.csv": "" });
    expect(rels(dir)).to.deep.equal([".amlignore", ".gitignore", "main.py"]);
  });

  it("reads only the root's ignore file, matches case-sensitively, and never uploads .git", () => {
    const dir = make({ ".gitignore": "Secret.txt\n", "sub/.gitignore": "*.py\n", "sub/a.py": "", "Secret.txt": "", "secret.txt": "", ".git/HEAD": "ref" });
    expect(rels(dir)).to.deep.equal([".gitignore", "secret.txt", "sub/.gitignore", "sub/a.py"]);
  });

  it("skips __pycache__, node_modules, .git and .pipewright when the folder has no ignore file", () => {
    const dir = make({ "main.py": "", "__pycache__/m.pyc": "", "node_modules/x/index.js": "", ".git/HEAD": "", ".pipewright/state": "", "lib/__pycache__/n.pyc": "" });
    expect(rels(dir)).to.deep.equal(["main.py"]);
  });

  it("uploads __pycache__ when an ignore file exists and does not list it (the ignore file alone decides)", () => {
    const dir = make({ ".amlignore": "*.tmp\n", "main.py": "", "__pycache__/m.pyc": "", "x.tmp": "" });
    expect(rels(dir)).to.deep.equal([".amlignore", "__pycache__/m.pyc", "main.py"]);
  });

  it("changes the content hash when an ignored file becomes included, not when an ignored file changes", () => {
    const dir = make({ ".amlignore": "notes.txt\n", "main.py": "print(1)\n", "notes.txt": "a" });
    const first = folderHash(listFiles(dir));
    writeFileSync(join(dir, "notes.txt"), "b");
    expect(folderHash(listFiles(dir))).to.equal(first);
    writeFileSync(join(dir, ".amlignore"), "other.txt\n");
    expect(folderHash(listFiles(dir))).to.not.equal(first);
  });

  describe("against the emulator", () => {
    const backend = useAzureBackend();

    it("uploads only the files the code folder's .amlignore lets through", async () => {
      writeFileSync(join(backend.dir, "src", ".amlignore"), "secrets.env\nscratch/\n");
      writeFileSync(join(backend.dir, "src", "secrets.env"), "TOKEN=x\n");
      mkdirSync(join(backend.dir, "src", "scratch"));
      writeFileSync(join(backend.dir, "src", "scratch", "big.bin"), "0000");
      await backend.ml.jobs.submit(wide(backend.dir, 1));
      const code = backend.emulator.state.blobs().filter((b) => /(^|\/)src\//.test(b.name)).map((b) => b.name.replace(/^.*?src\//, "src/"));
      expect(code.sort()).to.deep.equal(["src/.amlignore", "src/main.py", "src/pkg/util.py"]);
    });
  });
});
