/**
 * `loadAsset`: an `az ml <kind> create -f` YAML file read back into the model the definition
 * functions build. Pure: the text comes from the caller, other files (conda files, model
 * folders, a component's own file) through `host`. Never throws: unreadable YAML, a document of
 * another kind, shapes the format does not allow and every check of `checkAsset` come back as
 * diagnostics pointing at file:line:col. A literal secret in the file is reported (PW1503) and
 * dropped; its value is in no diagnostic and not in the model.
 */
import type { AssetModel, SourceLocation } from "@pipewright/dsl";
import { posix } from "node:path";
import { diagnostic, hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import { DEFAULT_LOAD_LIMITS } from "../load/host.js";
import { loadComponent } from "../load/load.js";
import { parseYamlSource, type YamlSource } from "../load/source.js";
import { detectDocumentKind } from "../schema/detect-kind.js";
import { flattenIssues } from "../schema/schema-kit.js";
import { formatIssuePath } from "../schema/validate.js";
import { checkAsset } from "./check-asset.js";
import type { AssetHost } from "./host.js";
import { readAsset } from "./read-asset.js";
import { ASSET_SCHEMAS, knownKeys } from "./schemas.js";
import { assetSchemaKeyOfUrl, type AssetSchemaKey } from "./schema-urls.js";

export interface LoadAssetResult {
  /** Absent when the file could not be read as a resource or asset definition. */
  readonly asset?: AssetModel;
  readonly diagnostics: readonly Diagnostic[];
}

const CREDENTIAL_KEYS = new Set(["account_key", "sas_token", "client_secret", "certificate", "admin_password"]);

/** Loads one definition; `file` is its absolute (posix) path, used for locations and relative paths. */
export function loadAsset(text: string, file: string, host: AssetHost): LoadAssetResult {
  try {
    return load(text, file, host);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      diagnostics: [
        diagnostic("PW3115", `${file} could not be loaded: ${message}. This is a pipewright bug; please report it with the file.`, {
          location: { file, line: 1, column: 1 },
        }),
      ],
    };
  }
}

function load(text: string, file: string, host: AssetHost): LoadAssetResult {
  const parsed = parseYamlSource(file, text, DEFAULT_LOAD_LIMITS);
  // Syntax errors carry only the parser's first message line, never the text around it.
  if (!parsed.source) return { diagnostics: parsed.diagnostics };
  const source = parsed.source;
  const doc = source.value;
  const start: SourceLocation = { file, line: 1, column: 1 };
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    return { diagnostics: [diagnostic("PW3501", `${file} is not a YAML mapping, so it is no resource or asset definition.`, { location: start })] };
  }
  const record = doc as Record<string, unknown>;
  const documentKind = detectDocumentKind(record);
  if (documentKind === "command_component" || documentKind === "pipeline_component") return loadComponentAsset(text, file, host);
  const key = schemaKeyOf(record);
  if (key === undefined) {
    return {
      diagnostics: [
        diagnostic(
          "PW3501",
          `${file} is not a workspace, compute, datastore, data, model, environment or component definition ` +
            "(no recognised $schema or type); add the $schema line of its kind.",
          { location: source.locate(["$schema"]) },
        ),
      ],
    };
  }
  const diagnostics: Diagnostic[] = schemaDiagnostics(key, record, source);
  if (hasErrors(diagnostics)) return { diagnostics };
  const locate = (keys: readonly (string | number)[]): SourceLocation => source.locate(keys);
  const asset = readAsset(record, { key, baseDir: posix.dirname(file), location: start, locate });
  for (const extraKey of Object.keys(record).filter((k) => !knownKeys(key).has(k))) {
    diagnostics.push(
      diagnostic("PW3108", `${file}: unknown key "${extraKey}" for this kind; it is kept as written, but Azure ML may reject it.`, {
        location: source.locate([extraKey]),
      }),
    );
  }
  diagnostics.push(...checkAsset(asset, { host, locate }));
  return { asset, diagnostics };
}

function schemaKeyOf(doc: Record<string, unknown>): AssetSchemaKey | undefined {
  const schema = doc["$schema"];
  if (typeof schema === "string") {
    const key = assetSchemaKeyOfUrl(schema);
    if (key !== undefined) return key;
  }
  const type = typeof doc["type"] === "string" ? doc["type"].toLowerCase() : undefined;
  if (type === "amlcompute" || type === "computeinstance" || type === "kubernetes" || type === "virtualmachine") return `compute/${type}`;
  if (type === "azure_blob" || type === "azure_file" || type === "azure_data_lake_gen1" || type === "azure_data_lake_gen2") {
    return `datastore/${type}`;
  }
  const kind = detectDocumentKind(doc);
  return kind === "data" || kind === "model" || kind === "environment" ? kind : undefined;
}

function schemaDiagnostics(key: AssetSchemaKey, doc: Record<string, unknown>, source: YamlSource): Diagnostic[] {
  const result = ASSET_SCHEMAS[key].safeParse(doc);
  if (result.success) return [];
  return flattenIssues(result.error.issues).map((issue) => {
    const at = formatIssuePath(issue.segments) || "the document";
    // A credential's value is never repeated, even when its shape is wrong.
    const secret = issue.segments.some((segment) => typeof segment === "string" && CREDENTIAL_KEYS.has(segment));
    const message = secret ? issue.message.replace(/, got .*$/, "") : issue.message;
    return diagnostic("PW3502", `${source.file}: ${at}: ${message}`, { location: source.locate(issue.segments, "value") });
  });
}

function loadComponentAsset(text: string, file: string, host: AssetHost): LoadAssetResult {
  const result = loadComponent(file, { readFile: (path) => (path === file ? text : host.readFile(path)) });
  if (!result.model) return { diagnostics: result.diagnostics };
  const asset: AssetModel = Object.freeze({ kind: "component", component: result.model, location: { file, line: 1, column: 1 } });
  return { asset, diagnostics: [...result.diagnostics, ...checkAsset(asset, {})] };
}

