// `npm test`: the type check (which also checks every *.test-d.ts type test) and then mocha,
// ending with one plain summary line (`tests: N passed, N failed, N skipped`) that tools read.
import { spawn, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);
const extra = process.argv.slice(2);

if (!extra.length) {
  console.log("\n== type check (tsc, including type tests)");
  const tsc = spawnSync(bin("tsc"), ["-p", "tsconfig.json"], { cwd: root, stdio: "inherit" });
  if (tsc.status !== 0) {
    console.error(`\ntype check failed (exit ${tsc.status ?? tsc.signal}).`);
    process.exit(tsc.status || 1);
  }
}

console.log("\n== tests (mocha)");
const specs = ["packages/*/test/**/*.test.ts", "test/**/*.test.ts"];
const mocha = spawn(bin("mocha"), extra.length ? extra : specs, { cwd: root, stdio: ["inherit", "pipe", "inherit"] });
// Mocha's own closing lines ("N passing", "N failing", "N pending") are counted as they pass by.
const counts = { passing: 0, failing: 0, pending: 0 };
let tail = "";
mocha.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  const text = tail + chunk.toString();
  const lines = text.split("\n");
  tail = lines.pop() ?? "";
  for (const line of lines) {
    const match = /^\s*(\d+) (passing|failing|pending)\b/.exec(line.replace(/\u001b\[[0-9;]*m/g, ""));
    if (match) counts[match[2]] = Number(match[1]);
  }
});
mocha.on("close", (code, signal) => {
  console.log(`\ntests: ${counts.passing} passed, ${counts.failing} failed, ${counts.pending} skipped`);
  if (code !== 0) console.error(`tests failed (exit ${code ?? signal}).`);
  process.exit(code ?? 1);
});
