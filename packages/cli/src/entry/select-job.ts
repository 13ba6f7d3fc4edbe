/**
 * The one pipeline job a verb acts on (`run`, `submit`): the entry's only exported job, or the
 * one named by --job. Diagnostics from loading are printed here; a usage mistake throws.
 */
import type { PipelineJobModel } from "@pipewright/dsl";
import { booleanOption, stringOption, UsageError, type CommandContext, type ParsedCommandLine } from "../command.js";
import { EXIT } from "../exit-codes.js";

/** The selected job's model, or an exit code when the entry has errors. */
export async function loadSelectedJob(entry: string, args: ParsedCommandLine, context: CommandContext): Promise<PipelineJobModel | number> {
  const { printDiagnostics, printStack } = await import("../report.js");
  const { compileEntry } = await import("../compile-entry.js");
  const { compileYamlEntry, isYamlEntry } = await import("./yaml-entry.js");
  const { defaultOutDir } = await import("../output/default-out-dir.js");
  const options = { outDir: defaultOutDir(entry, context.cwd), typeCheck: !booleanOption(args.values, "no-type-check") };
  const result = isYamlEntry(entry) ? compileYamlEntry(entry, { ...options, components: "reject" }) : await compileEntry(entry, options);
  printDiagnostics(result.diagnostics, context);
  printStack(result.stack, context);
  if (result.diagnostics.some((d) => d.severity === "error")) return EXIT.failed;
  const names = result.jobs.map((job) => job.name);
  const wanted = stringOption(args.values, "job");
  if (wanted !== undefined) {
    const found = result.jobs.find((job) => job.name === wanted);
    if (!found) throw new UsageError(`the entry exports no pipeline job '${wanted}' (it exports: ${names.join(", ")})`);
    return found.job.model;
  }
  if (result.jobs.length > 1) throw new UsageError(`the entry exports ${names.length} pipeline jobs (${names.join(", ")}); choose one with --job NAME`);
  return result.jobs[0]?.job.model ?? EXIT.failed;
}

/** `--set input=value` options (repeatable) as a map of input name to the text after `=`. */
export function parseSetOptions(value: unknown): Record<string, string> {
  const overrides: Record<string, string> = {};
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  for (const item of items) {
    const text = String(item);
    const eq = text.indexOf("=");
    if (eq <= 0) throw new UsageError(`--set takes input=value, got '${text}'`);
    overrides[text.slice(0, eq)] = text.slice(eq + 1);
  }
  return overrides;
}
