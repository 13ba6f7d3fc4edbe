import { expect } from "chai";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashPath } from "../src/local/content-hash.js";

const sha = (...parts: string[]) => `sha256:${createHash("sha256").update(parts.join("")).digest("hex")}`;

describe("content hashes of outputs and code", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "pw-hash-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("hashes a file's bytes, a folder's names and contents in name order, and says when a path is missing", () => {
    writeFileSync(join(dir, "f.txt"), "hello");
    expect(hashPath(join(dir, "f.txt"))).to.equal(sha("file\0", "hello"));
    const folder = join(dir, "out");
    mkdirSync(folder);
    expect(hashPath(folder), "an empty folder").to.equal(sha());
    mkdirSync(join(folder, "sub"));
    expect(hashPath(folder), "an empty folder but for an empty subfolder").to.equal(sha("dir\0sub\0"));
    writeFileSync(join(folder, "b.txt"), "B");
    writeFileSync(join(folder, "sub", "a.txt"), "A");
    symlinkSync("b.txt", join(folder, "link"));
    expect(hashPath(folder)).to.equal(sha("file\0b.txt\0", "1", "\0", "B", "link\0link\0b.txt\0", "dir\0sub\0", "file\0sub/a.txt\0", "1", "\0", "A"));
    expect(hashPath(folder, new Set(["sub"]))).to.equal(sha("file\0b.txt\0", "1", "\0", "B", "link\0link\0b.txt\0"));
    expect(hashPath(join(dir, "nothing"))).to.equal("missing");
  });
});
