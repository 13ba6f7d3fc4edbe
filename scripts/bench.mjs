// `npm run bench`: runs every bench/*.bench.ts (or those named on the command line) with tsx,
// one after another so they do not compete for the two cores. Each prints its own ratios.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const filter = process.argv.slice(2);
const benches = readdirSync(join(root, "bench"))
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => !filter.length || filter.some((name) => f.includes(name)))
  .sort();
let failed = 0;
for (const bench of benches) {
  console.log(`\n== bench/${bench}`);
  const result = spawnSync(join(root, "node_modules", ".bin", "tsx"), [join("bench", bench)], {
    cwd: root,
    stdio: "inherit",
  });
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
