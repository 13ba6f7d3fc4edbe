/**
 * The demo: a word-frequency report over a folder of text files.
 *
 *   corpus ──> clean_text ──> word_stats (nested pipeline: count_words -> top_words) ──> write_report
 *                     └───────────────────────────────────────────────────────────────────┘
 *
 * Every step is a small Node script in ./src (`node <script>.mjs ...`), so it runs on any machine
 * with Node 20 and no network. `npm run demo` compiles this file; `pipewright compile
 * examples/demo/pipeline.ts` writes the Azure ML YAML to out/demo/.
 */
import { command, Input, Output, pipeline, uriFile, uriFolder } from "@pipewright/dsl";

/** The image the steps would use on Azure ML; locally they run with this machine's Node. */
const node20 = { image: "mcr.microsoft.com/devcontainers/javascript-node:20" } as const;

const cleanText = command({
  name: "clean_text",
  displayName: "Clean text",
  description: "Lower-cases every .txt file and keeps the words of at least min_length letters, one per line.",
  inputs: {
    corpus: Input.uriFolder({ description: "Folder of .txt files" }),
    min_length: Input.integer({ default: 3, min: 1, max: 20 }),
  },
  outputs: { words: Output.uriFolder() },
  code: "./src",
  environment: node20,
  command: ({ inputs, outputs }) =>
    `node clean.mjs --corpus ${inputs.corpus} --min-length ${inputs.min_length} --out ${outputs.words}`,
});

const countWords = command({
  name: "count_words",
  displayName: "Count words",
  inputs: {
    words: Input.uriFolder(),
    stopwords: Input.uriFile({ optional: true, description: "One word per line, left out of the counts" }),
  },
  outputs: { counts: Output.uriFolder() },
  code: "./src",
  environment: node20,
  command: ({ inputs, outputs, optional }) =>
    `node count.mjs --words ${inputs.words} ${optional(`--stopwords ${inputs.stopwords}`)} --out ${outputs.counts}`,
});

const topWords = command({
  name: "top_words",
  displayName: "Top words",
  inputs: { counts: Input.uriFolder(), top_n: Input.integer({ default: 10, min: 1 }) },
  outputs: { top: Output.uriFolder() },
  code: "./src",
  environment: node20,
  command: ({ inputs, outputs }) => `node top.mjs --counts ${inputs.counts} --top ${inputs.top_n} --out ${outputs.top}`,
});

const writeReport = command({
  name: "write_report",
  displayName: "Write report",
  inputs: {
    words: Input.uriFolder(),
    top: Input.uriFolder(),
    title: Input.string({ default: "Word report" }),
    per_file: Input.boolean({ default: true, description: "Add a table of word counts per file" }),
  },
  outputs: { report: Output.uriFolder() },
  code: "./src",
  environment: node20,
  command: ({ inputs, outputs }) =>
    `node report.mjs --words ${inputs.words} --top ${inputs.top} --title '${inputs.title}' --per-file ${inputs.per_file} --out ${outputs.report}`,
});

/** A pipeline used as a step of another: it becomes a nested pipeline component. */
const wordStats = pipeline(
  {
    name: "word_stats",
    description: "Counts words and keeps the most frequent ones.",
    inputs: { words: Input.uriFolder(), stopwords: Input.uriFile({ optional: true }), top_n: Input.integer({ default: 10 }) },
    outputs: { top: Output.uriFolder() },
  },
  ({ words, stopwords, top_n }) => {
    const counted = countWords({ words, stopwords });
    const ranked = topWords({ counts: counted.outputs.counts, top_n });
    return { top: ranked.outputs.top };
  },
);

const wordReport = pipeline(
  {
    name: "word_report",
    displayName: "Word report",
    description: "Cleans a folder of text files, finds the most frequent words and writes a Markdown report.",
    experimentName: "pipewright-demo",
    inputs: {
      corpus: Input.uriFolder(),
      stopwords: Input.uriFile({ optional: true }),
      min_length: Input.integer({ default: 3 }),
      top_n: Input.integer({ default: 10 }),
      title: Input.string({ default: "Word report" }),
    },
    outputs: { report: Output.uriFolder() },
    settings: { defaultCompute: "serverless" },
  },
  ({ corpus, stopwords, min_length, top_n, title }) => {
    const cleaned = cleanText({ corpus, min_length });
    const stats = wordStats({ words: cleaned.outputs.words, stopwords, top_n }, { name: "stats" });
    const report = writeReport({ words: cleaned.outputs.words, top: stats.outputs.top, title });
    return { report: report.outputs.report };
  },
);

/** The pipeline job: compiled to out/demo/pipeline.yml, and what `npm run demo` runs. */
export const demo = wordReport.job({
  corpus: uriFolder("./data/corpus"),
  stopwords: uriFile("./data/stopwords.txt"),
  top_n: 8,
  title: "Most frequent words in the demo corpus",
});
