/**
 * The definitions an asset verb registers: an `az ml <kind> create -f` YAML file (read by the
 * compiler's `loadAsset`), or a TypeScript/JavaScript module whose exports are definitions
 * (`export const raw = data({...})`; `file.ts#raw` picks one export).
 */
import type { Diagnostic } from "@pipewright/compiler";
import type { AssetModel, ComponentModel } from "@pipewright/dsl";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { extname, resolve } from "node:path";
import { pathToFileURL } from "node:url";

export type DefinitionKind = "data" | "model" | "environment" | "component" | "datastore" | "compute" | "workspace";

export type LoadedDefinitions =
  | { readonly ok: true; readonly definitions: readonly AssetModel[]; readonly diagnostics: readonly Diagnostic[] }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[]; readonly message?: string };

const YAML = new Set([".yml", ".yaml"]);
const NOUN: Readonly<Record<DefinitionKind, string>> = { data: "data", model: "model", environment: "environment", component: "component", datastore: "datastore", compute: "compute", workspace: "workspace" };
const EXAMPLE: Readonly<Record<DefinitionKind, string>> = {
  data: 'export const raw = data({ name: "raw", type: "uri_folder", path: "./data" })',
  model: 'export const clf = model({ name: "clf", type: "mlflow_model", path: "./model" })',
  environment: 'export const env = environment({ name: "env", image: "python:3.11-slim", condaFile: "./conda.yml" })',
  component: "export const train = registerComponent(trainComponent)",
  datastore: 'export const lake = azureBlobDatastore({ name: "lake", accountName: "...", containerName: "..." })',
  compute: 'export const cluster = amlCompute({ name: "cpu-cluster", size: "STANDARD_DS3_V2", maxInstances: 4 })',
  workspace: 'export const team = workspace({ name: "team-ws", location: "eastus", displayName: "Team" })',
};

/** `argument` is `file.yml`, `file.ts` or `file.ts#exportName`, relative to `cwd`. */
export async function loadDefinitions(argument: string, kind: DefinitionKind, cwd: string): Promise<LoadedDefinitions> {
  const hash = argument.lastIndexOf("#");
  const [path, exportName] = hash > 0 ? [argument.slice(0, hash), argument.slice(hash + 1)] : [argument, undefined];
  const file = resolve(cwd, path);
  if (!existsSync(file) || !statSync(file).isFile()) return { ok: false, diagnostics: [], message: `${path} is not a file; give a YAML definition or a .ts file exporting ${NOUN[kind]} definitions` };
  if (YAML.has(extname(file).toLowerCase())) return loadYaml(file, kind);
  return loadModule(file, kind, exportName);
}

async function loadYaml(file: string, kind: DefinitionKind): Promise<LoadedDefinitions> {
  const { loadAsset, hasErrors } = await import("@pipewright/compiler");
  const posix = file.replace(/\\/g, "/");
  const result = loadAsset(readFileSync(file, "utf8"), posix, {
    readFile: (p) => {
      try {
        return statSync(p).isFile() ? readFileSync(p, "utf8") : undefined;
      } catch {
        return undefined;
      }
    },
    listFolder: (p) => {
      try {
        return readdirSync(p);
      } catch {
        return undefined;
      }
    },
  });
  if (!result.asset || hasErrors(result.diagnostics)) return { ok: false, diagnostics: result.diagnostics };
  if (result.asset.kind !== kind) {
    return { ok: false, diagnostics: [], message: `${file} defines a ${result.asset.kind}, not a ${NOUN[kind]}; use \`pipewright ${result.asset.kind} create\`` };
  }
  return { ok: true, definitions: [result.asset], diagnostics: result.diagnostics };
}

async function loadModule(file: string, kind: DefinitionKind, exportName: string | undefined): Promise<LoadedDefinitions> {
  let namespace: Record<string, unknown>;
  const { log, info } = console;
  console.log = console.info = (...values: unknown[]) => console.error(...values);
  try {
    namespace = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message.split("\n")[0]}` : String(error);
    return { ok: false, diagnostics: [{ code: "PW1013", severity: "error", message: `the file could not be loaded: ${message}`, location: { file, line: 1, column: 1 } }] };
  } finally {
    console.log = log;
    console.info = info;
  }
  const entries = exportName !== undefined ? [[exportName, namespace[exportName]] as const] : Object.entries(namespace);
  if (exportName !== undefined && !(exportName in namespace)) {
    return { ok: false, diagnostics: [], message: `${file} has no export named '${exportName}' (exports: ${Object.keys(namespace).join(", ") || "none"})` };
  }
  const definitions: AssetModel[] = [];
  for (const [, value] of entries) {
    const definition = asDefinition(value, kind);
    if (definition) definitions.push(definition);
  }
  // Plain components count only when no registerComponent(...) export says which to register.
  if (kind === "component" && exportName === undefined && definitions.some((d) => d.kind === "component" && !isPlain(d))) {
    return { ok: true, definitions: definitions.filter((d) => !isPlain(d)), diagnostics: [] };
  }
  if (!definitions.length) {
    const which = exportName !== undefined ? `its export '${exportName}' is not a ${NOUN[kind]} definition` : `it exports no ${NOUN[kind]} definition`;
    return { ok: false, diagnostics: [], message: `nothing to create from ${file}: ${which}; export one, e.g. \`${EXAMPLE[kind]}\`` };
  }
  return { ok: true, definitions, diagnostics: [] };
}

const plain = new WeakSet<object>();

function isPlain(definition: AssetModel): boolean {
  return plain.has(definition);
}

function asDefinition(value: unknown, kind: DefinitionKind): AssetModel | undefined {
  if ((typeof value !== "object" && typeof value !== "function") || value === null) return undefined;
  const record = value as { readonly kind?: unknown; readonly model?: unknown };
  if (typeof value === "object" && record.kind === kind) return value as AssetModel;
  if (kind === "component" && (record.kind === "command_component" || record.kind === "pipeline_component")) {
    const component = record.model as ComponentModel;
    const definition: AssetModel = { kind: "component", component, ...(component.location !== undefined ? { location: component.location } : {}) };
    plain.add(definition);
    return definition;
  }
  return undefined;
}
