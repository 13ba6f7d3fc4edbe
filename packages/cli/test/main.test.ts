import { expect } from "chai";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { main } from "../src/main.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const bin = join(root, "packages", "cli", "bin", "pipewright.mjs");

function sink(): { write(text: string): void; text(): string } {
  let all = "";
  return { write: (text: string) => void (all += text), text: () => all };
}

describe("main", () => {
  it("turns a verb's usage mistake into exit 2 with the verb's usage hint, also in-process", async () => {
    const stderr = sink();
    const code = await main(["run", "examples/demo/pipeline.ts", "--concurrency", "zero"], {
      cwd: root,
      env: {},
      stdout: sink(),
      stderr,
    });
    expect(code).to.equal(2);
    expect(stderr.text()).to.match(/--concurrency takes a whole number/).and.match(/pipewright run --help/);
    expect(stderr.text()).not.to.match(/internal error/);
  });

  it("stops quietly when the reader of its output goes away (EPIPE)", async function () {
    this.timeout(60_000);
    const workspace = mkdtempSync(join(tmpdir(), "pw-epipe-"));
    try {
      const child = spawn(process.execPath, [bin, "--help"], { cwd: root, env: { ...process.env, PIPEWRIGHT_WORKSPACE: workspace } });
      child.stdout.destroy(); // the reader is gone before anything is written
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
      expect(stderr).not.to.match(/EPIPE|Error:|at /);
      expect(code).to.equal(0);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });
});
