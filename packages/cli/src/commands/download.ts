/** `pipewright download <job>`: an Azure ML job's outputs into named-outputs/<output>/. */
import { displayPath } from "../report.js";
import { booleanOption, stringOption, UsageError, type CommandContext, type CommandDefinition, type ParsedCommandLine } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { azureClient, reportAzureError, WORKSPACE_HELP, WORKSPACE_OPTIONS } from "../azure/azure-cli.js";

export const command: CommandDefinition = {
  name: "download",
  help: `Usage: pipewright download <job> [--output NAME] [--path DIR] [--json] [workspace options]

Downloads the outputs of an Azure ML job from their datastore into DIR/named-outputs/<output>/,
the layout \`az ml job download\` uses.

Options:
  --output NAME   Only this output (default: every output)
  --path DIR      Where to write (default: the current folder)
  --json          One JSON object listing the files

${WORKSPACE_HELP}

Exit codes: 0 downloaded, 1 no such job or output (or the download failed), 2 wrong command line.`,
  options: { output: { type: "string" }, path: { type: "string" }, json: { type: "boolean" }, ...WORKSPACE_OPTIONS },
  run: runDownload,
};

async function runDownload(args: ParsedCommandLine, context: CommandContext): Promise<number> {
  const [name, ...rest] = args.positionals;
  if (name === undefined || rest.length) throw new UsageError("download takes one job name");
  const { resolve } = await import("node:path");
  try {
    const client = await azureClient(args, context);
    const output = stringOption(args.values, "output");
    const results = await client.jobs.download(name, { downloadPath: resolve(context.cwd, stringOption(args.values, "path") ?? "."), ...(output !== undefined ? { outputName: output } : {}) });
    if (booleanOption(args.values, "json")) {
      context.stdout.write(`${JSON.stringify({ job: name, outputs: results.map((r) => ({ output: r.output, uri: r.uri, folder: r.folder, files: r.files })) })}\n`);
    } else {
      for (const result of results) {
        context.stdout.write(`${result.output}: ${result.files.length} file(s) from ${result.uri} into ${displayPath(result.folder, context.cwd)}\n`);
      }
    }
    return EXIT.ok;
  } catch (error) {
    return reportAzureError(error, context);
  }
}
