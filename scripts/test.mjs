// `npm test`: the type check (which also checks every *.test-d.ts type test) and then mocha.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);
const extra = process.argv.slice(2);

function step(title, cmd, args) {
  console.log(`\n== ${title}`);
  const result = spawnSync(cmd, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`\n${title} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status || 1);
  }
}

if (!extra.length) step("type check (tsc, including type tests)", bin("tsc"), ["-p", "tsconfig.json"]);
const specs = ["packages/*/test/**/*.test.ts", "test/**/*.test.ts"];
step("tests (mocha)", bin("mocha"), extra.length ? extra : specs);
