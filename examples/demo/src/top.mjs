// top_words: the --top most frequent words of --counts/counts.json into --out/top.json.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readArgs } from "./args.mjs";

const args = readArgs(["counts", "top", "out"]);
const top = Number(args.top);
if (!Number.isInteger(top) || top < 1) {
  console.error(`top.mjs: --top must be a positive integer, got ${JSON.stringify(args.top)}`);
  process.exit(2);
}
const counts = JSON.parse(readFileSync(join(args.counts, "counts.json"), "utf8"));
// Most frequent first; ties in alphabetical order so the result is deterministic.
const ranked = Object.entries(counts)
  .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
  .slice(0, top)
  .map(([word, count]) => ({ word, count }));
mkdirSync(args.out, { recursive: true });
writeFileSync(join(args.out, "top.json"), JSON.stringify(ranked, null, 2) + "\n");
console.log(`top ${ranked.length}: ${ranked.map((entry) => entry.word).join(", ")}`);
