// write_report: a Markdown report of --top/top.json (and, with --per-file true, per-file counts).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isTrue, readArgs } from "./args.mjs";

const args = readArgs(["words", "top", "title", "per-file", "out"]);
const top = JSON.parse(readFileSync(join(args.top, "top.json"), "utf8"));

const lines = [`# ${args.title}`, "", "| rank | word | count |", "| ---: | --- | ---: |"];
top.forEach((entry, index) => lines.push(`| ${index + 1} | ${entry.word} | ${entry.count} |`));
if (isTrue(args["per-file"])) {
  lines.push("", "## Words per file", "", "| file | words |", "| --- | ---: |");
  for (const name of readdirSync(args.words).sort()) {
    const count = readFileSync(join(args.words, name), "utf8").split("\n").filter(Boolean).length;
    lines.push(`| ${name} | ${count} |`);
  }
}
mkdirSync(args.out, { recursive: true });
writeFileSync(join(args.out, "report.md"), lines.join("\n") + "\n");
console.log(`wrote ${join(args.out, "report.md")}`);
