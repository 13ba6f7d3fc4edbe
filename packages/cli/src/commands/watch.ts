/** `pipewright watch <job>`: follows an Azure ML job with the local run's reporters until it ends. */
import { UsageError, type CommandContext, type CommandDefinition, type ParsedCommandLine } from "../command.js";
import { azureClient, reportAzureError, WORKSPACE_HELP, WORKSPACE_OPTIONS, watchToExit } from "../azure/azure-cli.js";

export const command: CommandDefinition = {
  name: "watch",
  help: `Usage: pipewright watch <job> [--json] [--plain] [--cancel-on-interrupt] [workspace options]

Follows an Azure ML pipeline job and its steps until the job ends: a live view on a terminal,
plain lines (with each step's log as it grows) otherwise, or --json lines. Polling backs off
from 2s to 60s. Progress is kept under ~/.cache/pipewright, so after a network failure, Ctrl-C
or a restart, watching again resumes where it stopped, without repeating log lines.

Options:
  --json                 Events as JSON lines
  --plain                Plain timestamped lines even on a terminal
  --cancel-on-interrupt  Ctrl-C also cancels the job (default: it keeps running)

${WORKSPACE_HELP}
  PIPEWRIGHT_AZURE_POLL_MS   Shortest wait between polls (default 2000)

Exit codes: 0 Completed, 1 Failed, Canceled or another final state, 2 wrong command line,
130 interrupted.`,
  options: { json: { type: "boolean" }, plain: { type: "boolean" }, "cancel-on-interrupt": { type: "boolean" }, ...WORKSPACE_OPTIONS },
  run: runWatch,
};

async function runWatch(args: ParsedCommandLine, context: CommandContext): Promise<number> {
  const [name, ...rest] = args.positionals;
  if (name === undefined || rest.length) throw new UsageError("watch takes one job name");
  try {
    return await watchToExit(await azureClient(args, context), name, args, context);
  } catch (error) {
    return reportAzureError(error, context);
  }
}
