import { expect } from "chai";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Package arrows point one way: dsl <- compiler <- runner <- cli (STYLE.md). This test reads
 * every import in every package's src/ and fails on an import against the arrows.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), "..");

interface Rule {
  readonly allowed: readonly RegExp[];
  /** Globals the package must not touch (I/O and environment belong to the runner and CLI). */
  readonly forbiddenGlobals: readonly RegExp[];
}

const PURE_GLOBALS = [/\bprocess\.(env|cwd|exit|argv|stdout|stderr|on)\b/, /\bDate\.now\(/, /\bnew Date\(\)/, /\bMath\.random\(/];

const RULES: Record<string, Rule> = {
  dsl: { allowed: [/^zod$/], forbiddenGlobals: PURE_GLOBALS },
  compiler: {
    allowed: [/^@pipewright\/dsl$/, /^yaml$/, /^ts-morph$/, /^zod$/, /^node:(path|crypto)$/, /^node:path\/posix$/],
    forbiddenGlobals: PURE_GLOBALS,
  },
  runner: { allowed: [/^@pipewright\/(dsl|compiler)$/, /^(?!@pipewright\/).+/], forbiddenGlobals: [] },
  cli: { allowed: [/.*/], forbiddenGlobals: [] },
};

function sourceFiles(folder: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(folder)) {
    const path = join(folder, entry);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|mts|js|mjs)$/.test(entry)) out.push(path);
  }
  return out;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\s+from\s+)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function violations(pkg: string, rule: Rule): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(join(root, "packages", pkg, "src"))) {
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(IMPORT)) {
      const spec = match[1] ?? match[2] ?? "";
      if (spec.startsWith(".")) continue;
      if (!rule.allowed.some((pattern) => pattern.test(spec))) {
        found.push(`${relative(root, file)} imports '${spec}'`);
      }
    }
    const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
    for (const pattern of rule.forbiddenGlobals) {
      if (pattern.test(code)) found.push(`${relative(root, file)} uses ${pattern.source}`);
    }
  }
  return found;
}

describe("package boundaries", () => {
  for (const [pkg, rule] of Object.entries(RULES)) {
    it(`keeps @pipewright/${pkg} within its allowed imports`, () => {
      expect(violations(pkg, rule)).to.deep.equal([]);
    });
  }

  it("detects an import against the arrows (the checker itself works)", () => {
    const rule = RULES["dsl"];
    if (!rule) throw new Error("no dsl rule");
    const bad = "import { compile } from \"@pipewright/compiler\";\nimport { readFileSync } from \"node:fs\";";
    const specs = [...bad.matchAll(IMPORT)].map((m) => m[1]);
    expect(specs).to.deep.equal(["@pipewright/compiler", "node:fs"]);
    expect(specs.filter((s) => !rule.allowed.some((p) => p.test(s ?? "")))).to.have.length(2);
  });
});
