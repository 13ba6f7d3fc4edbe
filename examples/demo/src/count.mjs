// count_words: counts the words of every file in --words, minus --stopwords, into --out/counts.json.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readArgs } from "./args.mjs";

const args = readArgs(["words", "out"], { optional: ["stopwords"] });
const stop = new Set(
  args.stopwords ? readFileSync(args.stopwords, "utf8").split(/\s+/).filter(Boolean).map((w) => w.toLowerCase()) : [],
);

const counts = new Map();
for (const name of readdirSync(args.words).sort()) {
  for (const word of readFileSync(join(args.words, name), "utf8").split("\n")) {
    if (word && !stop.has(word)) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
}
const sorted = Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
mkdirSync(args.out, { recursive: true });
writeFileSync(join(args.out, "counts.json"), JSON.stringify(sorted, null, 2) + "\n");
console.log(`counted ${counts.size} distinct words (${stop.size} stop words left out)`);
