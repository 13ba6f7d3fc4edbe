import { expect } from "chai";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { CODES } from "@pipewright/compiler";

/** One catalog (STYLE.md): every PWnnnn code any package uses must be declared in it. */
const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((entry) => {
    const path = join(folder, entry);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

describe("the diagnostic catalog", () => {
  it("declares every PW code that the packages use", () => {
    const undeclared: string[] = [];
    for (const pkg of readdirSync(join(root, "packages"))) {
      for (const file of sourceFiles(join(root, "packages", pkg, "src"))) {
        for (const [code] of readFileSync(file, "utf8").matchAll(/\bPW\d{4}\b/g)) {
          if (!(code in CODES)) undeclared.push(`${relative(root, file)}: ${code}`);
        }
      }
    }
    expect(undeclared).to.deep.equal([]);
  });

  it("groups codes by phase: PW1 model, PW2 graph, PW3 YAML, PW4 runner", () => {
    for (const code of Object.keys(CODES)) expect(code).to.match(/^PW[1-4]\d{3}$/);
  });
});
