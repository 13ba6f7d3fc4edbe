/**
 * What the Azure verbs (submit, watch, jobs, download) share: the workspace flags and the
 * environment variables behind them, the credential, the client, watching a job to an exit code,
 * and printing backend errors. The environment is read here, never in the runner.
 */
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { AzureClientOptions, AzureMLClient, RegisteredOutput, Reporter, RunEvent } from "@pipewright/runner";
import { booleanOption, stringOption, type CommandContext, type OptionSpecs, type ParsedCommandLine } from "../command.js";
import { EXIT } from "../exit-codes.js";

export const WORKSPACE_OPTIONS = {
  subscription: { type: "string" },
  "resource-group": { type: "string" },
  workspace: { type: "string" },
  endpoint: { type: "string" },
} as const satisfies OptionSpecs;

export const WORKSPACE_HELP = `Workspace (flags win over the environment, which wins over config.json or .azureml/config.json
found in this folder or above):
  --subscription ID       AZURE_SUBSCRIPTION_ID
  --resource-group NAME   AZURE_RESOURCE_GROUP
  --workspace NAME        AZUREML_WORKSPACE_NAME
  --endpoint URL          PIPEWRIGHT_AZURE_ENDPOINT: another ARM host (a sovereign cloud, or
                          \`pipewright emulator\`); default https://management.azure.com
Credentials: DefaultAzureCredential (environment, managed identity, Azure CLI login, ...). Against a
loopback endpoint (the emulator): a client secret from AZURE_TENANT_ID, AZURE_CLIENT_ID and
AZURE_CLIENT_SECRET (any values the emulator accepts), trusting PIPEWRIGHT_AZURE_CA_FILE if set.`;

/** Exit code for 'interrupted' (the shell's code for Ctrl-C). */
export const EXIT_INTERRUPTED = 130;

export async function azureClient(args: ParsedCommandLine, context: CommandContext, cwd: string = context.cwd): Promise<AzureMLClient> {
  const runner = await import("@pipewright/runner");
  const env = context.env;
  const endpoint = stringOption(args.values, "endpoint") ?? env["PIPEWRIGHT_AZURE_ENDPOINT"];
  const caFile = env["PIPEWRIGHT_AZURE_CA_FILE"];
  const ca = caFile ? readFileSync(caFile, "utf8") : undefined;
  const ws = runner.resolveWorkspace({
    subscriptionId: stringOption(args.values, "subscription") ?? env["AZURE_SUBSCRIPTION_ID"],
    resourceGroup: stringOption(args.values, "resource-group") ?? env["AZURE_RESOURCE_GROUP"],
    workspaceName: stringOption(args.values, "workspace") ?? env["AZUREML_WORKSPACE_NAME"],
    cwd,
  });
  const credential = runner.chooseCredential({ endpoint, ca, tenantId: env["AZURE_TENANT_ID"], clientId: env["AZURE_CLIENT_ID"], clientSecret: env["AZURE_CLIENT_SECRET"] });
  const pollMs = Number(env["PIPEWRIGHT_AZURE_POLL_MS"] ?? "");
  const options: AzureClientOptions = {
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(ca !== undefined ? { ca } : {}),
    cwd,
    ...(Number.isFinite(pollMs) && pollMs > 0 ? { watch: { minPollMs: pollMs, maxPollMs: Math.max(pollMs, pollMs * 4) } } : {}),
  };
  return new runner.AzureMLClient(credential, ws.subscriptionId, ws.resourceGroup, ws.workspaceName, options);
}

/** Where `watch` keeps its progress so a new watcher resumes without repeating log lines. */
export function watchStateFolder(context: CommandContext, client: AzureMLClient): string {
  const env = context.env;
  const base = env["XDG_CACHE_HOME"] ?? join(env["HOME"] ?? homedir(), ".cache");
  const ws = client.workspace;
  return join(base, "pipewright", "azure-watch", ws.subscriptionId, ws.resourceGroup, ws.workspaceName);
}

/** Plain lines, with each step's new log lines after its name. */
class LogLines implements Reporter {
  constructor(
    private readonly inner: Reporter,
    private readonly out: { write(text: string): unknown },
  ) {}

  onEvent(event: RunEvent): void {
    if (event.type === "step_log") for (const line of event.lines) this.out.write(`${event.step} | ${line}\n`);
    else this.inner.onEvent(event);
  }

  end(): void {
    this.inner.end?.();
  }
}

/**
 * Streams a job with the local run's reporters until it ends; Ctrl-C stops watching (and cancels
 * the job with --cancel-on-interrupt). 0 Completed, 1 anything else, 130 interrupted.
 */
export async function watchToExit(client: AzureMLClient, name: string, args: ParsedCommandLine, context: CommandContext): Promise<number> {
  const runner = await import("@pipewright/runner");
  const stdout = context.stdout as { write(text: string): unknown; isTTY?: boolean };
  const reporter: Reporter = booleanOption(args.values, "json")
    ? new runner.JsonLinesReporter(stdout)
    : stdout.isTTY === true && !booleanOption(args.values, "plain")
      ? new runner.LiveReporter(stdout)
      : new LogLines(new runner.PlainReporter(stdout), stdout);
  const abort = new AbortController();
  let interrupted = false;
  const onSignal = (): void => {
    interrupted = true;
    abort.abort();
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  let last: RunEvent | undefined;
  try {
    const json = booleanOption(args.values, "json");
    // Outputs named as assets are registered when the job completes (the REST body cannot carry them).
    const registration = {
      onOutputRegistered: (r: RegisteredOutput): void => {
        if (json) context.stdout.write(`${JSON.stringify({ type: "output_registered", ...r })}\n`);
        else context.stderr.write(registeredLine(r));
      },
      onOutputRegistrationError: (error: Error): void => {
        context.stderr.write(`warning: the job's named outputs were not registered: ${runner.isAzureError(error) ? error.render() : runner.redactSecrets(error.message)}\nRetry with: pipewright jobs register-outputs ${name}\n`);
      },
    };
    last = await runner.report(client.jobs.stream(name, { signal: abort.signal, store: new runner.FileWatchStore(watchStateFolder(context, client)), ...registration }), reporter);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  if (interrupted || last?.type !== "job_finished") {
    if (booleanOption(args.values, "cancel-on-interrupt")) {
      const record = await client.jobs.cancel(name);
      context.stderr.write(`\nStopped watching; asked Azure ML to cancel job ${name} (now ${record.azureStatus}).\n`);
    } else {
      context.stderr.write(`\nStopped watching; job ${name} keeps running. Resume with: pipewright watch ${name}\n`);
    }
    return EXIT_INTERRUPTED;
  }
  return last.status === "completed" ? EXIT.ok : EXIT.failed;
}

/** One line about a job output registered as an asset. */
export function registeredLine(r: RegisteredOutput): string {
  return `${r.created ? "Registered" : "Already registered:"} output ${r.output} of job ${r.job} as ${r.kind} ${r.name}:${r.version} (${r.path})\n`;
}

/** Prints a backend error (already redacted) and returns exit code 1; rethrows anything else. */
export async function reportAzureError(error: unknown, context: CommandContext): Promise<number> {
  const runner = await import("@pipewright/runner");
  if (runner.isAzureError(error)) {
    context.stderr.write(`${error.render()}\n`);
    return EXIT.failed;
  }
  if (error instanceof Error && /CredentialUnavailable|AuthenticationRequired|authenticat/i.test(`${error.name} ${error.message}`)) {
    context.stderr.write(`error PW4602: no Azure credentials: ${runner.redactSecrets(error.message.split("\n")[0] ?? "")}. Sign in with 'az login' or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET.\n`);
    return EXIT.failed;
  }
  throw error;
}
