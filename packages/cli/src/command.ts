/** What a verb is: its options, its help text and the function that runs it. */
import type { ParseArgsConfig } from "node:util";

/** Where a verb writes. `process.stdout` and `process.stderr` fit; tests pass collectors. */
export interface TextSink {
  write(text: string): unknown;
}

/** Everything a verb may know about the outside world; it reads nothing else. */
export interface CommandContext {
  /** Relative paths on the command line resolve against this, and printed paths are relative to it. */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  /** `--verbose` or `PIPEWRIGHT_VERBOSE=1`: stack traces for errors in the user's code. */
  readonly verbose: boolean;
}

export type OptionSpecs = NonNullable<ParseArgsConfig["options"]>;

/** Parsed option values, keyed by long option name. */
export type OptionValues = Readonly<Record<string, string | boolean | readonly (string | boolean)[] | undefined>>;

export interface ParsedCommandLine {
  readonly values: OptionValues;
  readonly positionals: readonly string[];
}

export interface CommandDefinition {
  readonly name: string;
  /** The synopsis line(s) and a description, printed by `pipewright <verb> --help`. */
  readonly help: string;
  /** Options besides the global `--help` and `--verbose`. */
  readonly options: OptionSpecs;
  /** Runs the verb and returns its exit code; throws UsageError for a wrong command line. */
  run(args: ParsedCommandLine, context: CommandContext): Promise<number>;
}

/** A command line the verb cannot act on: exit code 2, the message and a pointer to `--help`. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/**
 * Recognised by name as well as by class: under a test runner that loads TypeScript through two
 * loader hooks, a verb's module can see a second copy of this module, and `instanceof` fails.
 */
export function isUsageError(error: unknown): error is UsageError {
  return error instanceof UsageError || (error instanceof Error && error.name === "UsageError");
}

/** One registered verb; the definition is loaded only when the verb is used. */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  readonly load: () => Promise<{ readonly command: CommandDefinition }>;
}

export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === "string" ? value : undefined;
}

export function booleanOption(values: OptionValues, name: string): boolean {
  return values[name] === true;
}
