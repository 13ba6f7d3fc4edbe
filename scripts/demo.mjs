// `npm run demo` (after scripts/setup.mjs): compiles the demo pipeline to Azure ML YAML with the
// real CLI, then runs it on this machine with live progress and says where the outputs are.
// Run it again and every step is reused (nothing changed); change a file in
// examples/demo/data/corpus and only the steps downstream of it run.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(root, "packages/cli/bin/pipewright.mjs");
const entry = "examples/demo/pipeline.ts";
const out = "out/demo";

function pipewright(args) {
  console.log(`\n== pipewright ${args.join(" ")}`);
  return spawnSync(process.execPath, [bin, ...args], { cwd: root, stdio: "inherit" });
}

const compiled = pipewright(["compile", entry, "--out", out, ...process.argv.slice(2)]);
if (compiled.status !== 0) {
  console.error(`\nThe demo did not compile (exit ${compiled.status ?? compiled.signal}); see the messages above.`);
  process.exit(compiled.status || 1);
}
console.log(`The Azure ML YAML is in ${out}/ (submit it with: az ml job create -f ${out}/pipeline.yml).`);

// The entry was type-checked by compile just now; no need to do it twice.
const ran = pipewright(["run", entry, "--no-type-check"]);
if (ran.status !== 0) {
  console.error(`\nThe demo run did not complete (exit ${ran.status ?? ran.signal}); see the messages above.`);
  process.exit(ran.status || 1);
}
console.log(`
History, logs and outputs are in .pipewright/ (try: npx pipewright runs list, npx pipewright runs show <job>).
Run 'npm run demo' again: every step is reused. Edit a file in examples/demo/data/corpus and run it
again: the steps that read it run, and 'npx pipewright runs show <job> --why clean_text' says why.`);
