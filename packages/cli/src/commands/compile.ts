/** `pipewright compile <entry.ts> [--out DIR] [--inline] [--json]`: TypeScript in, Azure ML YAML out. */
import { join, resolve } from "node:path";
import { booleanOption, stringOption, type CommandContext, type CommandDefinition, type ParsedCommandLine } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { defaultOutDir } from "../output/default-out-dir.js";
import { OutputFolderError, writeOutputFolder } from "../output/write-output.js";
import { entryArgument } from "../entry/entry-argument.js";

export const command: CommandDefinition = {
  name: "compile",
  help: `Usage: pipewright compile <entry.ts | pipeline.yml> [--out DIR] [--inline] [--json]

Type-checks and runs <entry.ts>, compiles every pipeline job it exports (each export whose
value is a pipeline job; the export name names the job) and writes Azure ML CLI v2 YAML:
  one job:      DIR/pipeline.yml and DIR/components/<component>.yml
  several jobs: DIR/<export name>/pipeline.yml and DIR/<export name>/components/...
Nothing is written when there is an error: the files go to a temporary folder that replaces DIR
only when complete. DIR is pipewright's: it is replaced as a whole on every compile.

Options:
  --out DIR        Output folder (default: out/<entry file name>, or out/<folder name> for
                   an entry called pipeline.ts or index.ts)
  --inline         Put components inline in the pipeline job file instead of separate files
  --json           Print one JSON object: { "diagnostics": [...], "files": [{ "path", "kind", "job" }] }
  --no-type-check  Run the entry without type-checking it first (faster; type errors are missed)

Exit codes: 0 written, 1 error diagnostics (nothing written), 2 wrong command line.`,
  options: {
    out: { type: "string", short: "o" },
    inline: { type: "boolean" },
    json: { type: "boolean" },
    "no-type-check": { type: "boolean" },
  },
  run: runCompile,
};

async function runCompile(args: ParsedCommandLine, context: CommandContext): Promise<number> {
  const entry = entryArgument(args, context, "compile");
  // Loaded here, not at the top: `--help` and usage errors should not pay for the compiler.
  const { compileEntry } = await import("../compile-entry.js");
  const { countSummary, displayPath, printDiagnostics, printJson, printStack, relativeDiagnostics } = await import("../report.js");
  const json = booleanOption(args.values, "json");
  const out = stringOption(args.values, "out");
  const outDir = out === undefined ? defaultOutDir(entry, context.cwd) : resolve(context.cwd, out);

  const entryOptions = {
    outDir,
    inline: booleanOption(args.values, "inline"),
    typeCheck: !booleanOption(args.values, "no-type-check"),
  };
  // An Azure ML YAML file (pipeline job or component) goes through the loader instead.
  const { compileYamlEntry, isYamlEntry } = await import("../entry/yaml-entry.js");
  const result = isYamlEntry(entry)
    ? compileYamlEntry(entry, { ...entryOptions, components: "reject" })
    : await compileEntry(entry, entryOptions);
  const files = result.jobs.flatMap((job) =>
    job.documents.map((document) => ({
      path: displayPath(join(outDir, ...document.path.split("/")), context.cwd),
      kind: document.kind,
      job: job.name,
    })),
  );
  const failed = result.diagnostics.some((d) => d.severity === "error");

  if (!failed) {
    try {
      const documents = result.jobs.flatMap((job) => job.documents);
      writeOutputFolder(outDir, documents, "pipewright compile");
    } catch (error) {
      if (!(error instanceof OutputFolderError)) throw error;
      if (json) printJson({ diagnostics: relativeDiagnostics(result.diagnostics, context.cwd), files: [], error: error.message }, context);
      else context.stderr.write(`pipewright compile: ${error.message}.\n`);
      return EXIT.failed;
    }
  }

  if (json) {
    printJson({ diagnostics: relativeDiagnostics(result.diagnostics, context.cwd), files: failed ? [] : files }, context);
    return failed ? EXIT.failed : EXIT.ok;
  }

  printDiagnostics(result.diagnostics, context);
  printStack(result.stack, context);
  const entryName = displayPath(entry, context.cwd);
  if (failed) {
    context.stderr.write(`\n${countSummary(result.diagnostics)} in ${entryName}; nothing was written.\n`);
    return EXIT.failed;
  }
  const names = result.jobs.map((job) => `'${job.name}'`).join(", ");
  const jobs = `${result.jobs.length} pipeline job${result.jobs.length === 1 ? "" : "s"} (${names})`;
  const warnings = result.diagnostics.length ? ` with ${countSummary(result.diagnostics)}` : "";
  context.stdout.write(`Compiled ${jobs} from ${entryName}${warnings} into ${displayPath(outDir, context.cwd)}:\n`);
  const width = Math.max(...files.map((file) => file.path.length));
  for (const file of files) context.stdout.write(`  ${file.path.padEnd(width)}  ${file.kind}\n`);
  return EXIT.ok;
}
