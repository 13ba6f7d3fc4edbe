// clean_text: every .txt file in --corpus becomes the same file name in --out, lower-cased,
// one word per line, keeping words of at least --min-length letters.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readArgs } from "./args.mjs";

const args = readArgs(["corpus", "min-length", "out"]);
const minLength = Number(args["min-length"]);
mkdirSync(args.out, { recursive: true });

const files = readdirSync(args.corpus).filter((name) => name.endsWith(".txt")).sort();
for (const name of files) {
  const text = readFileSync(join(args.corpus, name), "utf8").toLowerCase();
  const words = text.match(/[a-z]+(?:'[a-z]+)?/g) ?? [];
  const kept = words.filter((word) => word.length >= minLength);
  writeFileSync(join(args.out, name), kept.join("\n") + "\n");
  console.log(`${name}: kept ${kept.length} of ${words.length} words`);
}
console.log(`cleaned ${files.length} files into ${args.out}`);
