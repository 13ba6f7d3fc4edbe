/**
 * `pipewright workspace create`: a new local workspace folder (its definition recorded in its
 * registry), or (--azure) a new Azure ML workspace, waiting for Azure with progress.
 */
import type { WorkspaceModel } from "@pipewright/dsl";
import type { OperationProgress } from "@pipewright/runner";
import { booleanOption, stringOption, UsageError, type CommandContext, type CommandDefinition, type ParsedCommandLine } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { runnerFailure } from "../runner-failure.js";
import { openClient } from "../assets/asset-command.js";
import { AZURE_OPTIONS, azureFailure, definitionsFrom } from "../assets/azure-assets.js";
import { WORKSPACE_HELP } from "../azure/azure-cli.js";

export const command: CommandDefinition = {
  name: "workspace",
  help: `Usage: pipewright workspace create <workspace.yml | definitions.ts[#export]> [--azure [workspace options]]
       pipewright workspace create --name N [--display-name D] [--description D] [--location REGION]
                                   [--tag k=v]... [--azure [workspace options]]
  (also takes --json)

create  Locally: makes (or opens) the workspace folder <root>/<name>/ and records the definition
        (name, display name, description, tags) in its registry; <root> is --root, else the
        workspaces/ folder of the current workspace (--workspace DIR, PIPEWRIGHT_WORKSPACE, else
        .pipewright/). Use the new one with --workspace <root>/<name> or PIPEWRIGHT_WORKSPACE.
        With --azure: creates an Azure ML workspace (YAML as for \`az ml workspace create -f\`, or a
        .ts file exporting workspace(...)) in the resource group, waiting for Azure and printing its
        progress; it needs a location. --workspace then names the workspace the client connects
        through (default: the new one).

${WORKSPACE_HELP}

Exit codes: 0 done, 1 bad definition or failed creation, 2 wrong command line.`,
  options: {
    json: { type: "boolean" },
    name: { type: "string" },
    "display-name": { type: "string" },
    description: { type: "string" },
    location: { type: "string" },
    tag: { type: "string", multiple: true },
    root: { type: "string" },
    workspace: { type: "string" },
    ...AZURE_OPTIONS,
  },
  run: runWorkspace,
};

function fromFlags(args: ParsedCommandLine, context: CommandContext): WorkspaceModel {
  const name = stringOption(args.values, "name");
  if (name === undefined) throw new UsageError("'workspace create' needs a definition file or --name");
  const tags: Record<string, string> = {};
  const tagValues = args.values["tag"];
  for (const pair of Array.isArray(tagValues) ? tagValues : []) {
    const eq = String(pair).indexOf("=");
    if (eq <= 0) throw new UsageError(`--tag takes key=value, got '${String(pair)}'`);
    tags[String(pair).slice(0, eq)] = String(pair).slice(eq + 1);
  }
  const optional = { displayName: stringOption(args.values, "display-name"), description: stringOption(args.values, "description"), region: stringOption(args.values, "location") };
  return {
    kind: "workspace",
    name,
    baseDir: context.cwd,
    ...(Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)) as Partial<WorkspaceModel>),
    ...(Object.keys(tags).length ? { tags } : {}),
  };
}

async function definitions(rest: readonly string[], args: ParsedCommandLine, context: CommandContext): Promise<readonly WorkspaceModel[] | undefined> {
  if (rest.length > 1) throw new UsageError("'workspace create' takes one definition file");
  if (rest[0] === undefined) return [fromFlags(args, context)];
  if (stringOption(args.values, "name") !== undefined) throw new UsageError("give a definition file or --name, not both");
  return (await definitionsFrom(rest[0], "workspace", "workspace create", context)) as readonly WorkspaceModel[] | undefined;
}

async function runWorkspace(args: ParsedCommandLine, context: CommandContext): Promise<number> {
  const [sub, ...rest] = args.positionals;
  if (sub !== "create") throw new UsageError("expected 'workspace create'");
  const json = booleanOption(args.values, "json");
  if (booleanOption(args.values, "azure")) return createOnAzure(rest, args, context, json);
  const runner = await import("@pipewright/runner");
  const root = stringOption(args.values, "root");
  const client = root !== undefined ? runner.MLClient.local({ ...workspaceOption(args, context), cwd: context.cwd, workspacesRoot: root }) : openClient(runner, args, context);
  try {
    const wanted = await definitions(rest, args, context);
    if (wanted === undefined) return EXIT.failed;
    for (const definition of wanted) {
      const record = await (await client.workspaces.beginCreate(definition)).pollUntilDone();
      const verb = record.outcome === "unchanged" ? "Unchanged" : record.outcome === "updated" ? "Updated" : "Created";
      context.stdout.write(json ? `${JSON.stringify(record)}\n` : `${verb} local workspace ${record.name} at ${record.path}; use it with --workspace ${record.path}\n`);
    }
    return EXIT.ok;
  } catch (error) {
    return runnerFailure(runner, error, context);
  } finally {
    client.close();
  }
}

function workspaceOption(args: ParsedCommandLine, context: CommandContext): { workspace?: string } {
  const workspace = stringOption(args.values, "workspace") ?? context.env["PIPEWRIGHT_WORKSPACE"];
  return workspace !== undefined ? { workspace } : {};
}

async function createOnAzure(rest: readonly string[], args: ParsedCommandLine, context: CommandContext, json: boolean): Promise<number> {
  try {
    const wanted = await definitions(rest, args, context);
    if (wanted === undefined) return EXIT.failed;
    const { azureClient } = await import("../azure/azure-cli.js");
    const progress = json ? context.stderr : context.stdout;
    for (const definition of wanted) {
      // The client needs a workspace to stand on; the new one is the default.
      const connect = stringOption(args.values, "workspace") ?? context.env["AZUREML_WORKSPACE_NAME"] ?? definition.name;
      const client = await azureClient({ ...args, values: { ...args.values, workspace: connect } }, context);
      const started = Date.now();
      const poller = await client.workspaces.beginCreate(definition);
      progress.write(`Creating workspace ${definition.name} in resource group ${definition.resourceGroup ?? client.workspace.resourceGroup}...\n`);
      const onProgress = (p: OperationProgress): void => {
        progress.write(`  ${p.what}: ${p.status} (${Math.round((Date.now() - started) / 1000)} s)\n`);
      };
      const record = await poller.pollUntilDone({ onProgress });
      context.stdout.write(json ? `${JSON.stringify(record)}\n` : `Workspace ${record.name} is ${record.provisioningState}.\n`);
    }
    return EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    return azureFailure(error, context);
  }
}
