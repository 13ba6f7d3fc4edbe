/** `pipewright validate <entry.ts> [--json]`: every check `compile` makes, writing nothing. */
import { booleanOption, type CommandContext, type CommandDefinition, type ParsedCommandLine } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { defaultOutDir } from "../output/default-out-dir.js";
import { entryArgument } from "../entry/entry-argument.js";

export const command: CommandDefinition = {
  name: "validate",
  help: `Usage: pipewright validate <entry.ts | pipeline.yml | component.yml> [--inline] [--json]

Type-checks and runs <entry.ts> and compiles every pipeline job it exports, exactly as
'pipewright compile' does, but writes nothing.

Options:
  --inline         Check the inline form (components inside the pipeline job file)
  --json           Print one JSON object: { "diagnostics": [...], "jobs": ["<export name>", ...] }
  --no-type-check  Run the entry without type-checking it first

Exit codes: 0 valid (warnings allowed), 1 error diagnostics, 2 wrong command line.`,
  options: {
    inline: { type: "boolean" },
    json: { type: "boolean" },
    "no-type-check": { type: "boolean" },
  },
  run: runValidate,
};

async function runValidate(args: ParsedCommandLine, context: CommandContext): Promise<number> {
  const entry = entryArgument(args, context, "validate");
  // Loaded here, not at the top: `--help` and usage errors should not pay for the compiler.
  const { compileEntry } = await import("../compile-entry.js");
  const { countSummary, displayPath, printDiagnostics, printJson, printStack, relativeDiagnostics } = await import("../report.js");
  // Relative paths in the YAML depend on where it would be written; check against the default.
  const entryOptions = {
    outDir: defaultOutDir(entry, context.cwd),
    inline: booleanOption(args.values, "inline"),
    typeCheck: !booleanOption(args.values, "no-type-check"),
  };
  // An Azure ML YAML file (pipeline job or component) goes through the loader instead.
  const { compileYamlEntry, isYamlEntry } = await import("../entry/yaml-entry.js");
  const result = isYamlEntry(entry)
    ? compileYamlEntry(entry, { ...entryOptions, components: "check" })
    : await compileEntry(entry, entryOptions);
  const failed = result.diagnostics.some((d) => d.severity === "error");

  if (booleanOption(args.values, "json")) {
    printJson({ diagnostics: relativeDiagnostics(result.diagnostics, context.cwd), jobs: result.jobs.map((job) => job.name) }, context);
    return failed ? EXIT.failed : EXIT.ok;
  }
  printDiagnostics(result.diagnostics, context);
  printStack(result.stack, context);
  const entryName = displayPath(entry, context.cwd);
  if (failed) {
    context.stderr.write(`\n${countSummary(result.diagnostics)} in ${entryName}.\n`);
    return EXIT.failed;
  }
  const names = result.jobs.map((job) => `'${job.name}'`).join(", ");
  const warnings = result.diagnostics.length ? ` (${countSummary(result.diagnostics)})` : "";
  context.stdout.write(`${entryName}: ${result.jobs.length} pipeline job${result.jobs.length === 1 ? "" : "s"} (${names}) valid${warnings}.\n`);
  return EXIT.ok;
}
