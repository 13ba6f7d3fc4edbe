// `npm run demo` (after scripts/setup.mjs): compiles the demo pipeline with the real CLI and
// says where the Azure ML YAML went. The local-runner work turns this into a real local run.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const entry = "examples/demo/pipeline.ts";
const out = "out/demo";

console.log(`== pipewright compile ${entry} --out ${out}`);
const result = spawnSync(
  process.execPath,
  [join(root, "packages/cli/bin/pipewright.mjs"), "compile", entry, "--out", out, ...process.argv.slice(2)],
  { cwd: root, stdio: "inherit" },
);
if (result.status !== 0) {
  console.error(`\nThe demo did not compile (exit ${result.status ?? result.signal}); see the messages above.`);
  process.exit(result.status || 1);
}
console.log(`\nThe Azure ML YAML is in ${out}/ (submit it with: az ml job create -f ${out}/pipeline.yml).`);
console.log(`Try a mistake: wire a wrong output in ${entry} and run 'npx pipewright validate ${entry}'.`);
