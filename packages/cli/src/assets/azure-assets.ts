/**
 * `--azure` for the asset verbs: `pipewright data|model|environment|component create|list|show|
 * archive|restore --azure`, `datastore create|list|show --azure` and `compute create|list|show`,
 * against the workspace the Azure verbs use (flags, environment, config.json). Definitions are
 * checked before any request; secrets are read from this process's environment at creation.
 */
import type { AssetModel, ComputeModel, DatastoreModel } from "@pipewright/dsl";
import type { AzureAssetRecord, AzureComputeRecord, AzureDatastoreRecord, AzureMLClient, OperationProgress } from "@pipewright/runner";
import { booleanOption, UsageError, type CommandContext, type ParsedCommandLine } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { azureClient, reportAzureError, WORKSPACE_OPTIONS } from "../azure/azure-cli.js";
import { loadDefinitions, type DefinitionKind } from "./load-definitions.js";

type Kind = "data" | "model" | "environment" | "component";

/** The options `--azure` adds to a verb that already has --workspace: the flag and the other workspace flags of `submit`. */
export const AZURE_OPTIONS = {
  azure: { type: "boolean" },
  subscription: WORKSPACE_OPTIONS.subscription,
  "resource-group": WORKSPACE_OPTIONS["resource-group"],
  endpoint: WORKSPACE_OPTIONS.endpoint,
} as const;

export const AZURE_HELP = `With --azure the verb works on an Azure ML workspace instead (--workspace is then its name;
--subscription, --resource-group and --endpoint as for \`pipewright submit\`): local files are
uploaded once per content, a version already there with the same content is left as it is.`;

function operations(client: AzureMLClient, kind: Kind) {
  return kind === "data" ? client.data : kind === "model" ? client.models : kind === "environment" ? client.environments : client.components;
}

/** Loads definitions of a kind from a file argument; prints its diagnostics. Undefined: it failed (printed). */
export async function definitionsFrom(argument: string, kind: DefinitionKind, verb: string, context: CommandContext): Promise<readonly AssetModel[] | undefined> {
  const loaded = await loadDefinitions(argument, kind, context.cwd);
  await printDiagnostics(loaded.diagnostics, context);
  if (loaded.ok) return loaded.definitions.filter((d) => d.kind === kind);
  if (loaded.message) context.stderr.write(`pipewright ${verb}: ${loaded.message}\n`);
  return undefined;
}

async function printDiagnostics(diagnostics: readonly import("@pipewright/compiler").Diagnostic[], context: CommandContext): Promise<void> {
  if (!diagnostics.length) return;
  const { renderDiagnostics } = await import("@pipewright/compiler");
  context.stderr.write(`${renderDiagnostics(diagnostics, { cwd: context.cwd })}\n`);
}

/** Runner errors (a definition's diagnostics) and Azure errors as exit code 1; anything else is rethrown. */
export async function azureFailure(error: unknown, context: CommandContext): Promise<number> {
  const runner = await import("@pipewright/runner");
  if (runner.isRunnerError(error)) {
    context.stderr.write(`${runner.redactSecrets(error.render())}\n`);
    return EXIT.failed;
  }
  return reportAzureError(error, context);
}

function write(context: CommandContext, args: ParsedCommandLine, value: unknown, text: string): void {
  context.stdout.write(booleanOption(args.values, "json") ? `${JSON.stringify(value)}\n` : text);
}

function table(context: CommandContext, header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  for (const row of [header, ...rows]) context.stdout.write(`${row.map((cell, i) => (cell ?? "").padEnd(widths[i] ?? 0)).join("  ").trimEnd()}\n`);
}

function summary(record: AzureAssetRecord): string {
  if (record.kind === "data" || record.kind === "model") return ` (${record.type}) at ${record.path}`;
  if (record.kind === "component") return ` (${record.type})`;
  return record.image !== undefined ? ` (${record.image})` : record.build !== undefined ? ` (built from ${record.build.path})` : "";
}

function splitReference(text: string, verb: string): { name: string; version?: string; label?: string } {
  const bare = text.startsWith("azureml:") ? text.slice("azureml:".length) : text;
  const at = bare.indexOf("@");
  if (at > 0) return { name: bare.slice(0, at), label: bare.slice(at + 1) };
  const colon = bare.indexOf(":");
  if (colon > 0 && colon < bare.length - 1) return { name: bare.slice(0, colon), version: bare.slice(colon + 1) };
  if (bare === "" || colon >= 0 || at === 0) throw new UsageError(`'${verb}' takes <name>, <name>:<version> or <name>@latest, got '${text}'`);
  return { name: bare };
}

/** `data|model|environment|component <sub> --azure`; `fromFlags` builds a definition from --name/--path/... */
export async function runAzureAssetVerb(kind: Kind, sub: string, rest: readonly string[], args: ParsedCommandLine, context: CommandContext, fromFlags: () => AssetModel): Promise<number> {
  try {
    const client = await azureClient(args, context);
    const ops = operations(client, kind);
    switch (sub) {
      case "create": {
        if (rest.length > 1) throw new UsageError(`'${kind} create' takes one definition file`);
        const definitions = rest[0] !== undefined ? await definitionsFrom(rest[0], kind, `${kind} create`, context) : [fromFlags()];
        if (definitions === undefined) return EXIT.failed;
        for (const definition of definitions) {
          const record = await (ops.createOrUpdate as (d: AssetModel) => Promise<AzureAssetRecord>)(definition);
          write(context, args, record, `${record.created === false ? "Unchanged" : "Created"} ${kind} ${record.name}:${record.version}${summary(record)}\n`);
        }
        return EXIT.ok;
      }
      case "list": {
        if (rest.length > 1) throw new UsageError(`'${kind} list' takes at most one name`);
        const records: readonly AzureAssetRecord[] = await ops.list(rest[0], { includeArchived: booleanOption(args.values, "archived") });
        if (booleanOption(args.values, "json")) for (const record of records) context.stdout.write(`${JSON.stringify(record)}\n`);
        else if (!records.length) context.stdout.write(`No ${kind} in workspace ${client.workspace.workspaceName}.\n`);
        else {
          const rows = records.map((r) => [r.name, r.version, r.kind === "environment" ? (r.image ?? "build") : r.type, r.archived ? "(archived)" : "", r.createdAt ? new Date(r.createdAt).toISOString() : ""]);
          table(context, ["NAME", "VERSION", kind === "environment" ? "IMAGE" : "TYPE", "", "CREATED"], rows);
        }
        return EXIT.ok;
      }
      case "show": {
        if (rest.length !== 1 || rest[0] === undefined) throw new UsageError(`'${kind} show' takes one <name>[:version|@latest]`);
        const { name, version, label } = splitReference(rest[0], `${kind} show`);
        const record: AzureAssetRecord = await ops.get(name, { ...(version !== undefined ? { version } : {}), ...(label !== undefined ? { label } : {}) });
        const rows: Array<[string, string | undefined]> = [
          ["name", record.name],
          ["version", record.version],
          ["id", record.id],
          ["arm id", record.armId],
          ["type", record.kind === "environment" ? undefined : record.type],
          ["path", record.kind === "data" || record.kind === "model" ? record.path : undefined],
          ["image", record.kind === "environment" ? record.image : undefined],
          ["build", record.kind === "environment" ? record.build?.path : undefined],
          ["description", record.description],
          ["tags", Object.keys(record.tags).length ? Object.entries(record.tags).map(([k, v]) => `${k}=${v}`).join(", ") : undefined],
          ["archived", record.archived ? "yes" : undefined],
          ["created", record.createdAt ? new Date(record.createdAt).toISOString() : undefined],
        ];
        write(context, args, record, rows.filter(([, v]) => v !== undefined).map(([k, v]) => `${`${k}:`.padEnd(13)}${v}\n`).join(""));
        return EXIT.ok;
      }
      default: {
        const target = rest.length === 1 && rest[0] !== undefined ? splitReference(rest[0], `${kind} ${sub}`) : undefined;
        if (target?.version === undefined) throw new UsageError(`'${kind} ${sub}' needs <name>:<version>, e.g. raw:2`);
        const record: AzureAssetRecord = sub === "archive" ? await ops.archive(target.name, target.version) : await ops.restore(target.name, target.version);
        write(context, args, record, `${sub === "archive" ? "Archived" : "Restored"} ${kind} ${record.name}:${record.version}.\n`);
        return EXIT.ok;
      }
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    return azureFailure(error, context);
  }
}

function datastoreLine(store: AzureDatastoreRecord): string {
  return `${store.name.padEnd(28)}${store.type.padEnd(22)}${[store.accountName, store.container].filter(Boolean).join("/")}${store.isDefault ? "  (default)" : ""}\n`;
}

/** `datastore create|list|show --azure`. */
export async function runAzureDatastoreVerb(sub: string, rest: readonly string[], args: ParsedCommandLine, context: CommandContext): Promise<number> {
  try {
    const client = await azureClient(args, context);
    if (sub === "list") {
      if (rest.length) throw new UsageError("'datastore list' takes no arguments");
      for (const store of await client.datastores.list()) write(context, args, store, datastoreLine(store));
      return EXIT.ok;
    }
    if (sub === "show") {
      if (rest.length !== 1 || rest[0] === undefined) throw new UsageError("'datastore show' takes one name");
      const store = await client.datastores.get(rest[0]);
      const rows = [["name", store.name], ["type", store.type], ["account", store.accountName], ["container", store.container], ["credentials", store.credentialsType], ["default", store.isDefault ? "yes" : undefined], ["arm id", store.armId]];
      write(context, args, store, rows.filter(([, v]) => v !== undefined).map(([k, v]) => `${`${k}:`.padEnd(13)}${v}\n`).join(""));
      return EXIT.ok;
    }
    if (rest.length !== 1 || rest[0] === undefined) throw new UsageError("'datastore create --azure' takes one definition file (YAML, or a .ts file exporting azureBlobDatastore(...) and the like)");
    const definitions = await definitionsFrom(rest[0], "datastore", "datastore create", context);
    if (definitions === undefined) return EXIT.failed;
    for (const definition of definitions) {
      const store = await client.datastores.createOrUpdate(definition as DatastoreModel, { env: context.env });
      write(context, args, store, `Datastore ${store.name} (${store.type}, ${store.credentialsType} credentials) created in workspace ${client.workspace.workspaceName}.\n`);
    }
    return EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    return azureFailure(error, context);
  }
}

function computeLine(compute: AzureComputeRecord): string {
  const scale = compute.maxInstances !== undefined ? `${compute.minInstances ?? 0}-${compute.maxInstances}` : "";
  return `${compute.name.padEnd(26)}${compute.type.padEnd(17)}${(compute.size ?? "").padEnd(18)}${scale.padEnd(7)}${compute.provisioningState}\n`;
}

/** `compute create|list|show`: always Azure (a local workspace has no computes). */
export async function runAzureComputeVerb(sub: string, rest: readonly string[], args: ParsedCommandLine, context: CommandContext, fromFlags: () => ComputeModel | undefined): Promise<number> {
  try {
    const client = await azureClient(args, context);
    if (sub === "list") {
      if (rest.length) throw new UsageError("'compute list' takes no arguments");
      for (const compute of await client.computes.list()) write(context, args, compute, computeLine(compute));
      return EXIT.ok;
    }
    if (sub === "show") {
      if (rest.length !== 1 || rest[0] === undefined) throw new UsageError("'compute show' takes one name");
      const compute = await client.computes.get(rest[0]);
      write(context, args, compute, computeLine(compute));
      return EXIT.ok;
    }
    if (rest.length > 1) throw new UsageError("'compute create' takes one definition file");
    const flagged = rest[0] === undefined ? fromFlags() : undefined;
    if (rest[0] === undefined && flagged === undefined) throw new UsageError("'compute create' needs a definition file, or --name (with --size, --min-instances, --max-instances...)");
    const definitions = rest[0] !== undefined ? await definitionsFrom(rest[0], "compute", "compute create", context) : [flagged as ComputeModel];
    if (definitions === undefined) return EXIT.failed;
    const json = booleanOption(args.values, "json");
    const progress = json ? context.stderr : context.stdout;
    for (const definition of definitions) {
      const compute = definition as ComputeModel;
      const started = Date.now();
      const poller = await client.computes.beginCreateOrUpdate(compute, { env: context.env });
      progress.write(`Creating compute ${compute.name} (${compute.type}) in workspace ${client.workspace.workspaceName}...\n`);
      const onProgress = (p: OperationProgress): void => {
        progress.write(`  ${p.what}: ${p.status} (${Math.round((Date.now() - started) / 1000)} s)\n`);
      };
      const record = await poller.pollUntilDone({ onProgress });
      write(context, args, record, `Compute ${record.name} is ${record.provisioningState}.\n`);
    }
    return EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    return azureFailure(error, context);
  }
}
