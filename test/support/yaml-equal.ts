// Semantic comparison of Azure ML YAML for fidelity tests: key order, comments and the file
// names of component references do not matter; everything else does, unless a test opts into
// a named normalization and states why.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseDocument, visit } from "yaml";

export type PathSegment = string | number;

/** Where a value sits: its path inside the document, and the file it was read from (if any). */
export interface NormalizationSite {
  readonly path: ReadonlyArray<PathSegment>;
  readonly file?: string;
}

/** An opt-in rewrite applied to both sides before comparing. Must be idempotent. */
export interface Normalization {
  readonly name: string;
  /** Why the two forms mean the same thing to Azure ML; fidelity tests list these. */
  readonly reason: string;
  /** Returns the value to compare instead, or the value itself when it does not apply. */
  readonly apply: (value: unknown, site: NormalizationSite) => unknown;
}

export interface SemanticDiffOptions {
  /** Applied to every value of both documents, in order, before comparing. @default [] */
  readonly normalizations?: ReadonlyArray<Normalization>;
  /** Stop after this many differences. @default 200 */
  readonly maxDifferences?: number;
}

export function defineNormalization(
  name: string,
  reason: string,
  apply: (value: unknown, site: NormalizationSite) => unknown,
): Normalization {
  return { name, reason, apply };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** `version: 1` and `version: "1"` name the same version. */
export const VERSION_AS_STRING: Normalization = defineNormalization(
  "numbers vs numeric strings for version",
  "Azure turns a numeric `version` into a string on load (FIELDS.md §1), so version: 1 and version: \"1\" are the same",
  (value, site) => (site.path.at(-1) === "version" && typeof value === "number" ? String(value) : value),
);

/** A local path (code, input path, build path, conda file, additional include) means the file it resolves to. */
export const LOCAL_PATHS_RESOLVED: Normalization = defineNormalization(
  "local paths resolved",
  "a local path means the file it resolves to from its own YAML file's folder (FIELDS.md §1); emitted and compiled " +
    "component files live in components/, so the same folder is written with a different relative path",
  (value, site) => {
    if (typeof value !== "string" || site.file === undefined || /^(?:azureml:|https?:|wasbs?:|abfss?:|git\+|\$\{\{)/.test(value)) return value;
    const path = site.path;
    const key = path.at(-1);
    const isPathField =
      (key === "code" && (path.length === 1 || path.at(-3) === "jobs")) ||
      (key === "path" && path.at(-3) === "inputs") ||
      (key === "path" && path.at(-2) === "build") ||
      (key === "conda_file" && path.at(-2) === "environment") ||
      path.at(-2) === "additional_includes";
    return isPathField ? resolve(dirname(site.file), value.replace(/^file:/, "")) : value;
  },
);

/** `tags: {}` sets no tags: the loader keeps it as none and the emitter leaves an empty mapping out. */
export const EMPTY_TAGS_AS_NONE: Normalization = defineNormalization(
  "an empty `tags` mapping",
  "`tags: {}` sets no tags; the loader keeps it as no tags and the emitter leaves an empty mapping out",
  (value) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
    const tags = (value as Record<string, unknown>)["tags"];
    if (typeof tags !== "object" || tags === null || Object.keys(tags).length > 0) return value;
    const { tags: _tags, ...rest } = value as Record<string, unknown>;
    return rest;
  },
);

const BINDING = /^\$\{\{.*\}\}$/s;

/** `{type: uri_folder, path: ${{parent.jobs.a.outputs.b}}}` on a node input is the bare binding. */
export const BOUND_INPUT_AS_BINDING: Normalization = defineNormalization(
  "bound node input mapping vs bare binding",
  "Azure drops the type of a node input bound to another output (FIELDS.md §4); {path: <binding>} without a mode " +
    "loads as the binding itself",
  (value, site) => {
    const path = site.path;
    const isNodeInput = path.length >= 4 && path.at(-2) === "inputs" && path.at(-4) === "jobs";
    if (!isNodeInput || !isRecord(value)) return value;
    const keys = Object.keys(value);
    const path_ = value["path"];
    const onlyTypeAndPath = keys.every((key) => key === "path" || key === "type");
    return onlyTypeAndPath && typeof path_ === "string" && BINDING.test(path_) ? path_ : value;
  },
);

/** Applies the normalizations top-down: each value is rewritten first, then its children. */
export function normalizeDocument(
  value: unknown,
  normalizations: ReadonlyArray<Normalization>,
  file?: string,
  path: ReadonlyArray<PathSegment> = [],
): unknown {
  let current = value;
  for (const normalization of normalizations) {
    current = normalization.apply(current, file === undefined ? { path } : { path, file });
  }
  if (Array.isArray(current)) return current.map((item, i) => normalizeDocument(item, normalizations, file, [...path, i]));
  if (isRecord(current)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(current)) out[key] = normalizeDocument(item, normalizations, file, [...path, key]);
    return out;
  }
  return current;
}

const SIMPLE_KEY = /^[A-Za-z_$<][A-Za-z0-9_$<> -]*$/;

export function formatPath(path: ReadonlyArray<PathSegment>): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (SIMPLE_KEY.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out === "" ? "(document)" : out;
}

function show(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (isRecord(value)) return "a mapping";
  if (Array.isArray(value)) return `a list of ${value.length}`;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (value instanceof Date) return "date";
  if (Array.isArray(value)) return "list";
  return isRecord(value) ? "mapping" : typeof value;
}

function compare(actual: unknown, expected: unknown, path: PathSegment[], out: string[], max: number): void {
  if (out.length >= max) return;
  const where = formatPath(path);
  const actualKind = kindOf(actual);
  const expectedKind = kindOf(expected);
  if (actualKind !== expectedKind) {
    out.push(`${where}: expected ${show(expected)} (${expectedKind}), got ${show(actual)} (${actualKind})`);
    return;
  }
  if (isRecord(expected) && isRecord(actual)) {
    for (const key of Object.keys(expected)) {
      if (!(key in actual)) out.push(`${formatPath([...path, key])}: missing (expected ${show(expected[key])})`);
      else compare(actual[key], expected[key], [...path, key], out, max);
    }
    for (const key of Object.keys(actual)) {
      if (!(key in expected)) out.push(`${formatPath([...path, key])}: unexpected key (got ${show(actual[key])})`);
    }
    return;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) out.push(`${where}: expected ${expected.length} items, got ${actual.length}`);
    const n = Math.min(expected.length, actual.length);
    for (let i = 0; i < n; i++) compare(actual[i], expected[i], [...path, i], out, max);
    return;
  }
  if (expected instanceof Date && actual instanceof Date) {
    if (expected.getTime() !== actual.getTime()) out.push(`${where}: expected ${show(expected)}, got ${show(actual)}`);
    return;
  }
  const same = actual === expected || (Number.isNaN(actual) && Number.isNaN(expected));
  if (!same) out.push(`${where}: expected ${show(expected)}, got ${show(actual)}`);
}

/**
 * Human-readable differences between two parsed YAML values, each with its path; empty when
 * they are semantically equal. Mapping key order never matters; list order does.
 */
export function semanticDiff(actual: unknown, expected: unknown, options: SemanticDiffOptions = {}): string[] {
  const normalizations = options.normalizations ?? [];
  const out: string[] = [];
  compare(normalizeDocument(actual, normalizations), normalizeDocument(expected, normalizations), [], out, options.maxDifferences ?? 200);
  return out;
}

/** Azure reads YAML with PyYAML (YAML 1.1): unquoted `off`/`yes` are booleans there, so parse the same way. */
export function parseAzureYaml(text: string): unknown {
  const doc = parseDocument(text, { version: "1.1" });
  // PyYAML reads a bare `.` (as in `code: .`) as the string "."; the yaml library's 1.1 float
  // pattern reads it as NaN. Read it as Azure does, as the loader does.
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === "number" && Number.isNaN(node.value) && typeof node.source === "string" && !/^[-+]?\.nan$/i.test(node.source)) {
        node.value = node.source;
      }
    },
  });
  return doc.toJS();
}

export interface FileDiffOptions extends SemanticDiffOptions {
  /** Reads a file's text. @default readFileSync(path, "utf8") */
  readonly readFile?: (path: string) => string;
}

/** Marks where a referenced file's content replaced its path, so diffs read `component.<file>.inputs`. */
export const FILE_CONTENT_KEY = "<file>";
const MISSING_FILE_KEY = "<missing file>";
const CYCLE_KEY = "<reference cycle>";

function isLocalPath(ref: string): boolean {
  return !/^(?:azureml:|https?:|wasbs?:|git\+|abfss?:)/.test(ref);
}

/** References whose target's content is compared instead of their path. */
function isFollowedReference(path: ReadonlyArray<PathSegment>): boolean {
  const key = path.at(-1);
  if (key === "component" && path.length === 1) return true;
  if ((key === "component" || key === "trial") && path.length >= 3 && path.at(-3) === "jobs") return true;
  return key === "conda_file" && path.at(-2) === "environment";
}

interface LoadContext {
  readonly readFile: (path: string) => string;
  readonly normalizations: ReadonlyArray<Normalization>;
  readonly stack: ReadonlyArray<string>;
}

function embedReferences(value: unknown, file: string, context: LoadContext, path: PathSegment[]): unknown {
  if (typeof value === "string" && isFollowedReference(path) && isLocalPath(value)) {
    const target = resolve(dirname(file), value.startsWith("file:") ? value.slice("file:".length) : value);
    if (context.stack.includes(target)) return { [CYCLE_KEY]: value };
    let text: string;
    try {
      text = context.readFile(target);
    } catch {
      return { [MISSING_FILE_KEY]: value };
    }
    return { [FILE_CONTENT_KEY]: loadWithReferences(target, text, { ...context, stack: [...context.stack, target] }) };
  }
  if (Array.isArray(value)) return value.map((item, i) => embedReferences(item, file, context, [...path, i]));
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = embedReferences(item, file, context, [...path, key]);
    return out;
  }
  return value;
}

function loadWithReferences(file: string, text: string, context: LoadContext): unknown {
  const doc = normalizeDocument(parseAzureYaml(text), context.normalizations, file);
  return embedReferences(doc, file, context, []);
}

/** The document at `file` with each followed reference replaced by the referenced file's content. */
export function loadYamlWithReferences(file: string, options: FileDiffOptions = {}): unknown {
  const readFile = options.readFile ?? ((path: string) => readFileSync(path, "utf8"));
  const context: LoadContext = { readFile, normalizations: options.normalizations ?? [], stack: [resolve(file)] };
  return loadWithReferences(resolve(file), readFile(resolve(file)), context);
}

/**
 * Compares two YAML files together with the files they reference by relative path: a node's
 * `component` (or a sweep's `trial`), a pipeline job's `component`, and an environment's
 * `conda_file`, followed recursively. The referenced files' contents are compared, not their
 * names. A reference that cannot be read shows up as a difference, never as an exception.
 */
export function yamlFilesDiff(actualFile: string, expectedFile: string, options: FileDiffOptions = {}): string[] {
  const actual = loadYamlWithReferences(actualFile, options);
  const expected = loadYamlWithReferences(expectedFile, options);
  return semanticDiff(actual, expected, options.maxDifferences === undefined ? {} : { maxDifferences: options.maxDifferences });
}
