/**
 * `pipewright data|model|environment|component create|list|show|archive|restore`: the local
 * workspace registry from the command line. One definition of the verb, parameterised by kind.
 */
import type { AssetModel } from "@pipewright/dsl";
import { relative } from "node:path";
import { booleanOption, stringOption, UsageError, type CommandContext, type CommandDefinition, type OptionSpecs, type ParsedCommandLine } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { runnerFailure } from "../runner-failure.js";
import { loadDefinitions } from "./load-definitions.js";
import { AZURE_HELP, AZURE_OPTIONS } from "./azure-assets.js";

type Kind = "data" | "model" | "environment" | "component";
type Runner = typeof import("@pipewright/runner");
type Client = import("@pipewright/runner").LocalMLClient;
type AssetRecord = import("@pipewright/runner").AssetRecord;

const FLAGS: Readonly<Record<Kind, string>> = {
  data: "--name N --path P [--type uri_folder|uri_file|mltable] [--version V] [--description D]",
  model: "--name N --path P [--type custom_model|mlflow_model|triton_model] [--version V] [--description D]",
  environment: "--name N (--image I [--conda-file F] | --build DIR) [--version V] [--description D]",
  component: "",
};

export function assetCommand(kind: Kind): CommandDefinition {
  const create = kind === "component" ? "<file.yml | definitions.ts[#export]>" : `<file.yml | definitions.ts[#export] | ${FLAGS[kind]}>`;
  const options: OptionSpecs = {
    json: { type: "boolean" },
    workspace: { type: "string" },
    label: { type: "string", multiple: true },
    archived: { type: "boolean" },
    ...(kind !== "component"
      ? { name: { type: "string" }, version: { type: "string" }, description: { type: "string" } }
      : {}),
    ...(kind === "data" || kind === "model" ? { path: { type: "string" }, type: { type: "string" } } : {}),
    ...(kind === "environment" ? { image: { type: "string" }, "conda-file": { type: "string" }, build: { type: "string" } } : {}),
    ...AZURE_OPTIONS,
  };
  return {
    name: kind,
    help: `Usage: pipewright ${kind} create ${create} [--label L]...
       pipewright ${kind} list [name] [--archived]
       pipewright ${kind} show <name>[:version|@label]
       pipewright ${kind} archive <name>:<version>
       pipewright ${kind} restore <name>:<version>
  (each also takes --json and --workspace DIR; default PIPEWRIGHT_WORKSPACE, else .pipewright/
   at the project root)

create   Registers a version in the local workspace registry. Without a version it gets the next
         integer; a version never changes (the same content again is a no-op, other content is
         an error). Files are stored once per content under .pipewright/blobs/. A .ts file
         registers every ${kind} definition it exports (file.ts#name picks one).
list     The latest version of each ${kind}, or every version of one name (--archived: with
         archived versions).
show     One version: by version, by label, or the latest.
archive  Hides a version from list and @latest; jobs can still name it by version.

${AZURE_HELP}

Exit codes: 0 done, 1 bad definition or unknown asset, 2 wrong command line.`,
    options,
    run: (args, context) => runAssetVerb(kind, args, context),
  };
}

async function runAssetVerb(kind: Kind, args: ParsedCommandLine, context: CommandContext): Promise<number> {
  const [sub, ...rest] = args.positionals;
  if (sub !== "create" && sub !== "list" && sub !== "show" && sub !== "archive" && sub !== "restore") {
    throw new UsageError(`expected '${kind} create', '${kind} list', '${kind} show', '${kind} archive' or '${kind} restore'`);
  }
  if (booleanOption(args.values, "azure")) {
    const { runAzureAssetVerb } = await import("./azure-assets.js");
    return runAzureAssetVerb(kind, sub, rest, args, context, () => fromFlags(kind, args, context));
  }
  const runner = await import("@pipewright/runner");
  const client = openClient(runner, args, context);
  try {
    switch (sub) {
      case "create":
        return await createVersions(kind, rest, args, context, client);
      case "list":
        if (rest.length > 1) throw new UsageError(`'${kind} list' takes at most one name`);
        return printList(kind, client.registry.list(kind, rest[0], { includeArchived: booleanOption(args.values, "archived") }), args, context);
      case "show":
        return show(kind, runner, one(rest, `'${kind} show' takes one <name>[:version|@label]`), args, context, client);
      case "archive":
      case "restore": {
        const [name, version] = nameAndVersion(one(rest, `'${kind} ${sub}' takes one <name>:<version>`), `${kind} ${sub}`);
        const record = sub === "archive" ? client.registry.archive(kind, name, version) : client.registry.restore(kind, name, version);
        if (booleanOption(args.values, "json")) context.stdout.write(`${JSON.stringify(record)}\n`);
        else context.stdout.write(`${sub === "archive" ? "Archived" : "Restored"} ${kind} ${name}:${version}.\n`);
        return EXIT.ok;
      }
    }
  } catch (error) {
    return runnerFailure(runner, error, context);
  } finally {
    client.close();
  }
}

export function openClient(runner: Runner, args: ParsedCommandLine, context: CommandContext): Client {
  const workspace = stringOption(args.values, "workspace") ?? context.env["PIPEWRIGHT_WORKSPACE"];
  return runner.MLClient.local({ ...(workspace !== undefined ? { workspace } : {}), cwd: context.cwd });
}

export function one(rest: readonly string[], usage: string): string {
  if (rest.length !== 1 || rest[0] === undefined) throw new UsageError(usage);
  return rest[0];
}

function nameAndVersion(text: string, verb: string): [string, string] {
  const colon = text.indexOf(":");
  if (colon <= 0 || colon === text.length - 1) throw new UsageError(`'${verb}' needs <name>:<version>, e.g. raw:2`);
  return [text.slice(0, colon), text.slice(colon + 1)];
}

async function createVersions(kind: Kind, rest: readonly string[], args: ParsedCommandLine, context: CommandContext, client: Client): Promise<number> {
  let definitions: readonly AssetModel[];
  if (rest.length) {
    const loaded = await loadDefinitions(one(rest, `'${kind} create' takes one definition file`), kind, context.cwd);
    if (!loaded.ok) {
      await printDiagnostics(loaded.diagnostics, context);
      if (loaded.message) context.stderr.write(`pipewright ${kind} create: ${loaded.message}\n`);
      return EXIT.failed;
    }
    await printDiagnostics(loaded.diagnostics, context);
    definitions = loaded.definitions;
  } else {
    definitions = [fromFlags(kind, args, context)];
  }
  const labels = (args.values["label"] as readonly string[] | undefined) ?? [];
  const json = booleanOption(args.values, "json");
  for (const definition of definitions) {
    if (definition.kind !== kind) continue;
    const explicit = definition.kind === "component" ? definition.component.version : definition.version;
    const name = definition.kind === "component" ? definition.component.name : definition.name;
    const existed = explicit !== undefined && client.registry.tryGet(kind, name, { version: explicit }) !== undefined;
    const record = client.registry.register(definition, { labels, baseDir: context.cwd });
    if (json) context.stdout.write(`${JSON.stringify(record)}\n`);
    else context.stdout.write(`${existed ? "Unchanged" : "Registered"} ${kind} ${record.name}:${record.version}${detail(record, context)}\n`);
  }
  return EXIT.ok;
}

function fromFlags(kind: Kind, args: ParsedCommandLine, context: CommandContext): AssetModel {
  const name = stringOption(args.values, "name");
  if (kind === "component" || name === undefined) {
    throw new UsageError(kind === "component" ? "'component create' takes a component YAML file or a .ts file exporting registerComponent(...)" : `'${kind} create' needs a definition file, or --name with ${FLAGS[kind]}`);
  }
  const version = stringOption(args.values, "version");
  const description = stringOption(args.values, "description");
  const common = { name, baseDir: context.cwd, ...(version !== undefined ? { version } : {}), ...(description !== undefined ? { description } : {}) };
  if (kind === "environment") {
    const image = stringOption(args.values, "image");
    const conda = stringOption(args.values, "conda-file");
    const build = stringOption(args.values, "build");
    return { kind, ...common, ...(image !== undefined ? { image } : {}), ...(conda !== undefined ? { condaFile: conda } : {}), ...(build !== undefined ? { build: { path: build } } : {}) };
  }
  const path = stringOption(args.values, "path");
  if (path === undefined) throw new UsageError(`'${kind} create --name ${name}' needs --path`);
  const type = stringOption(args.values, "type");
  return { kind, ...common, path, ...(type !== undefined ? { type } : {}) };
}

function show(kind: Kind, runner: Runner, text: string, args: ParsedCommandLine, context: CommandContext, client: Client): number {
  const parsed = runner.parseShortReference(text.startsWith("azureml:") ? text.slice("azureml:".length) : text);
  if (!parsed || parsed.kind !== "asset") throw new UsageError(`'${kind} show' takes <name>, <name>:<version> or <name>@<label>, got '${text}'`);
  const record = client.registry.get(kind, parsed.name, parsed.selector);
  if (booleanOption(args.values, "json")) {
    context.stdout.write(`${JSON.stringify(record)}\n`);
    return EXIT.ok;
  }
  const rows: Array<[string, string | undefined]> = [
    ["name", record.name],
    ["version", record.version],
    ["id", record.id],
    ["type", "type" in record ? record.type : undefined],
    ["path", "path" in record ? shown(record.path, context) : undefined],
    ["image", record.kind === "environment" ? record.image : undefined],
    ["conda file", record.kind === "environment" && record.condaFile !== undefined ? shown(record.condaFile, context) : undefined],
    ["build", record.kind === "environment" && record.build !== undefined ? shown(record.build.path, context) : undefined],
    ["file", record.kind === "component" ? shown(record.file, context) : undefined],
    ["description", record.description],
    ["labels", record.labels.length ? record.labels.join(", ") : undefined],
    ["tags", Object.keys(record.tags).length ? Object.entries(record.tags).map(([k, v]) => `${k}=${v}`).join(", ") : undefined],
    ["archived", record.archived ? "yes" : undefined],
    ["created", new Date(record.createdAt).toISOString()],
    ["content", record.contentHash],
  ];
  for (const [key, value] of rows) if (value !== undefined) context.stdout.write(`${`${key}:`.padEnd(13)}${value}\n`);
  return EXIT.ok;
}

function printList(kind: Kind, records: readonly AssetRecord[], args: ParsedCommandLine, context: CommandContext): number {
  if (booleanOption(args.values, "json")) {
    for (const record of records) context.stdout.write(`${JSON.stringify(record)}\n`);
    return EXIT.ok;
  }
  if (!records.length) {
    context.stdout.write(`No ${kind} registered.\n`);
    return EXIT.ok;
  }
  const rows = records.map((r) => [r.name, r.version, "type" in r ? r.type : r.kind === "environment" ? (r.image ?? "build") : "", [...r.labels, ...(r.archived ? ["(archived)"] : [])].join(" "), new Date(r.createdAt).toISOString()]);
  const header = ["NAME", "VERSION", kind === "environment" ? "IMAGE" : "TYPE", "LABELS", "CREATED"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  for (const row of [header, ...rows]) context.stdout.write(`${row.map((cell, i) => (cell ?? "").padEnd(widths[i] ?? 0)).join("  ").trimEnd()}\n`);
  return EXIT.ok;
}

function detail(record: AssetRecord, context: CommandContext): string {
  if (record.kind === "data" || record.kind === "model") return ` (${record.type}) at ${shown(record.path, context)}`;
  if (record.kind === "component") return ` (${record.type})`;
  return record.image !== undefined ? ` (${record.image})` : "";
}

function shown(path: string, context: CommandContext): string {
  if (!path.startsWith("/") && !/^[A-Za-z]:[\\/]/.test(path)) return path;
  const rel = relative(context.cwd, path);
  return rel.startsWith("..") ? path : rel || ".";
}

async function printDiagnostics(diagnostics: readonly import("@pipewright/compiler").Diagnostic[], context: CommandContext): Promise<void> {
  if (!diagnostics.length) return;
  const { renderDiagnostics } = await import("@pipewright/compiler");
  context.stderr.write(`${renderDiagnostics(diagnostics, { cwd: context.cwd })}\n`);
}
