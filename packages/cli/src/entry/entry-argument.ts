import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { UsageError, type CommandContext, type ParsedCommandLine } from "../command.js";

/** The single `<entry>` positional, resolved and checked to be a file; a UsageError otherwise. */
export function entryArgument(args: ParsedCommandLine, context: CommandContext, verb: string): string {
  const [entry, ...rest] = args.positionals;
  if (entry === undefined) throw new UsageError(`missing the entry file, e.g. 'pipewright ${verb} pipeline.ts'`);
  if (rest.length) throw new UsageError(`expected one entry file, got ${args.positionals.length}: ${args.positionals.join(" ")}`);
  const file = resolve(context.cwd, entry);
  if (!existsSync(file)) throw new UsageError(`the entry file ${entry} does not exist`);
  if (!statSync(file).isFile()) throw new UsageError(`the entry ${entry} is not a file; give the .ts file that exports the pipeline job`);
  return file;
}
