/**
 * `pipewright emulator`: the Azure ML emulator the test suite uses, for users' own offline tests
 * (as Azurite serves Azure Storage): HTTPS on 127.0.0.1 with a self-signed certificate, real time.
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { stringOption, UsageError, type CommandContext, type CommandDefinition, type ParsedCommandLine } from "../command.js";
import { EXIT } from "../exit-codes.js";

export const command: CommandDefinition = {
  name: "emulator",
  help: `Usage: pipewright emulator [--port N] [--ca-file PATH]

Starts a local Azure ML emulator on https://127.0.0.1:<port>: ARM workspace, compute, datastore,
code, component and job routes (every request body checked against the Azure ML REST spec), the
Entra token endpoint, Blob storage, discovery and run history. Jobs run on a simulated lifecycle
(NotStarted, Queued, Running, Completed) in real time; a node tagged
pipewright.emulator.outcome=Failed fails. Stops on Ctrl-C.

Options:
  --port N         Port to listen on (default: a free one)
  --ca-file PATH   Where to write its certificate (default: ./pipewright-emulator-ca.pem)

Exit codes: 0 stopped, 1 could not start, 2 wrong command line.`,
  options: { port: { type: "string" }, "ca-file": { type: "string" } },
  run: runEmulator,
};

async function runEmulator(args: ParsedCommandLine, context: CommandContext): Promise<number> {
  if (args.positionals.length) throw new UsageError("emulator takes no arguments");
  const portText = stringOption(args.values, "port");
  if (portText !== undefined && (!/^\d+$/.test(portText) || Number(portText) > 65535)) throw new UsageError(`--port takes a port number, got '${portText}'`);
  const runner = await import("@pipewright/runner");
  let emulator;
  try {
    emulator = await runner.startEmulator({ clock: runner.systemClock, ...(portText !== undefined ? { port: Number(portText) } : {}) });
  } catch (error) {
    context.stderr.write(`pipewright emulator: could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failed;
  }
  const caFile = resolve(context.cwd, stringOption(args.values, "ca-file") ?? "pipewright-emulator-ca.pem");
  writeFileSync(caFile, emulator.ca);
  const ws = emulator.workspace;
  context.stdout.write(`Azure ML emulator listening on ${emulator.url}
Workspace: subscription ${ws.subscriptionId}, resource group ${ws.resourceGroup}, workspace ${ws.name}
Certificate written to ${caFile}. In the shell that runs pipewright:
  export NODE_EXTRA_CA_CERTS=${caFile}
  export PIPEWRIGHT_AZURE_ENDPOINT=${emulator.url}
  export AZURE_SUBSCRIPTION_ID=${ws.subscriptionId} AZURE_RESOURCE_GROUP=${ws.resourceGroup} AZUREML_WORKSPACE_NAME=${ws.name}
Then: pipewright submit pipeline.ts --watch
Any client id and secret get a token (authority host ${emulator.authorityHost}). Press Ctrl-C to stop.
`);
  await new Promise<void>((done) => {
    const stop = (): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      done();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  await emulator.close();
  context.stdout.write("Emulator stopped.\n");
  return EXIT.ok;
}
