/**
 * `pipewright <verb> [options]`: finds the verb, parses its options with node:util parseArgs,
 * reads the environment, and turns the verb's outcome into an exit code. Verbs never call
 * process.exit and never read process.env themselves.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { isUsageError, type CommandContext, type CommandDefinition, type OptionSpecs, type TextSink } from "./command.js";
import { COMMANDS } from "./commands/index.js";
import { EXIT } from "./exit-codes.js";

export interface MainOptions {
  /** @default process.cwd() */
  readonly cwd?: string;
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** @default process.stdout */
  readonly stdout?: TextSink;
  /** @default process.stderr */
  readonly stderr?: TextSink;
}

const GLOBAL_OPTIONS = {
  help: { type: "boolean", short: "h" },
  verbose: { type: "boolean" },
} as const satisfies OptionSpecs;

/** Runs one command line (without `node` and the script) and returns the exit code. */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const verboseFromEnv = isTruthy(env["PIPEWRIGHT_VERBOSE"]);
  const verb = argv[0];

  if (verb === undefined || verb === "help" || verb === "--help" || verb === "-h") {
    const topic = verb === "help" ? argv[1] : undefined;
    if (topic !== undefined) return main([topic, "--help"], options);
    (verb === undefined ? stderr : stdout).write(generalHelp());
    return verb === undefined ? EXIT.usage : EXIT.ok;
  }
  if (verb === "--version" || verb === "-v") {
    stdout.write(`${version()}\n`);
    return EXIT.ok;
  }

  const entry = COMMANDS.find((candidate) => candidate.name === verb);
  if (!entry) {
    const hint = verb.startsWith("-") ? "put options after the command" : `'${verb}' is not a pipewright command`;
    stderr.write(`pipewright: ${hint}. Commands: ${COMMANDS.map((c) => c.name).join(", ")}.\nRun 'pipewright --help' for usage.\n`);
    return EXIT.usage;
  }
  const { command } = await entry.load();

  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(command, argv.slice(1));
  } catch (error) {
    return usageFailure(command, stderr, error);
  }
  if (parsed.values["help"] === true) {
    stdout.write(commandHelp(command));
    return EXIT.ok;
  }

  const context: CommandContext = {
    cwd: options.cwd ?? process.cwd(),
    env,
    stdout,
    stderr,
    verbose: parsed.values["verbose"] === true || verboseFromEnv,
  };
  try {
    return await command.run(parsed, context);
  } catch (error) {
    if (isUsageError(error)) return usageFailure(command, stderr, error);
    // A defect in pipewright itself, not in the user's input: say so plainly.
    const message = error instanceof Error ? error.message : String(error);
    stderr.write(`pipewright ${command.name}: internal error: ${message}\n`);
    if (context.verbose && error instanceof Error && error.stack) stderr.write(`${error.stack}\n`);
    else stderr.write("Run again with --verbose for the stack trace, and please report it.\n");
    return EXIT.failed;
  }
}

function parseCommandLine(command: CommandDefinition, args: readonly string[]) {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { ...command.options, ...GLOBAL_OPTIONS },
    allowPositionals: true,
    strict: true,
  });
  return { values: values as Record<string, string | boolean | (string | boolean)[] | undefined>, positionals };
}

function usageFailure(command: CommandDefinition, stderr: TextSink, error: unknown): number {
  const message = error instanceof Error ? error.message : String(error);
  stderr.write(`pipewright ${command.name}: ${message}\nRun 'pipewright ${command.name} --help' for usage.\n`);
  return EXIT.usage;
}

function generalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const verbs = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n");
  return `pipewright: typed TypeScript pipelines for Azure Machine Learning

Usage: pipewright <command> [options]

Commands:
${verbs}

Options for every command:
  -h, --help     Show the command's usage
  --verbose      Show stack traces for errors thrown by your entry file

Other:
  pipewright --version       Print the version
  pipewright help <command>  Same as pipewright <command> --help

Environment:
  PIPEWRIGHT_VERBOSE=1       Same as --verbose
  PIPEWRIGHT_WORKSPACE=DIR   The local workspace folder (default: .pipewright/ at the project root)

Exit codes: 0 success, 1 errors in the input (or the work failed), 2 wrong command line.
`;
}

function commandHelp(command: CommandDefinition): string {
  return `${command.help.trimEnd()}\n\nOptions for every command:\n  -h, --help     Show this usage\n  --verbose      Show stack traces for errors thrown by your entry file\n`;
}

function version(): string {
  const manifest: unknown = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  const value = typeof manifest === "object" && manifest !== null ? (manifest as { version?: unknown }).version : undefined;
  return typeof value === "string" ? value : "unknown";
}

function isTruthy(value: string | undefined): boolean {
  return value !== undefined && value !== "" && value !== "0" && value.toLowerCase() !== "false";
}
