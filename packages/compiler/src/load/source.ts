/**
 * One YAML file parsed with positions: the plain value, and `locate` to turn a key path into a
 * file:line:col. Never throws: syntax errors, alias bombs and oversized input become diagnostics.
 */
import type { SourceLocation } from "@pipewright/dsl";
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node, type Pair, type YAMLMap } from "yaml";
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { LoadLimits } from "./host.js";

export type KeyPath = readonly (string | number)[];

export interface YamlSource {
  readonly file: string;
  readonly text: string;
  /** The document as plain data; undefined when it could not be read. */
  readonly value: unknown;
  /** Where a key (or with `at: "value"`, its value) of the document is. */
  locate(path: KeyPath, at?: "key" | "value"): SourceLocation;
  /** The text a scalar was written as (e.g. `1.0`), when known. */
  sourceText(path: KeyPath): string | undefined;
}

export interface ParsedSource {
  readonly source?: YamlSource;
  readonly diagnostics: Diagnostic[];
}

export function parseYamlSource(file: string, text: string, limits: LoadLimits): ParsedSource {
  const start: SourceLocation = { file, line: 1, column: 1 };
  if (text.length > limits.maxFileChars) {
    return {
      diagnostics: [
        diagnostic(
          "PW3103",
          `${file} is ${text.length} characters long; the loader accepts at most ${limits.maxFileChars}. ` +
            "Split it, or check that it is the file you meant.",
          { location: start },
        ),
      ],
    };
  }
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    // Azure reads YAML with PyYAML, i.e. YAML 1.1: `yes`/`on` are booleans, `<<` merges.
    doc = parseDocument(text, { version: "1.1", lineCounter, prettyErrors: false, uniqueKeys: true, merge: true, strict: false, logLevel: "error" });
  } catch (error) {
    return { diagnostics: [diagnostic("PW3101", `${file} is not valid YAML: ${messageOf(error)}`, { location: start })] };
  }
  const position = (offset: number): SourceLocation => {
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, column: pos.col };
  };
  if (doc.errors.length > 0) {
    return {
      diagnostics: doc.errors.slice(0, 5).map((error) =>
        diagnostic("PW3101", `${file} is not valid YAML: ${firstLine(error.message)}`, {
          location: position(error.pos[0]),
        }),
      ),
    };
  }
  const complexKey = firstComplexKey(doc);
  if (complexKey !== undefined) {
    return {
      diagnostics: [
        diagnostic("PW3106", `${file} uses a list or mapping as a mapping key; Azure ML keys are plain text.`, {
          location: position(complexKey),
        }),
      ],
    };
  }
  let value: unknown;
  try {
    keepScalarsAsWritten(doc);
    value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
  } catch (error) {
    const message = messageOf(error);
    const bomb = /alias/i.test(message);
    return {
      diagnostics: [
        diagnostic(
          bomb ? "PW3104" : "PW3101",
          bomb
            ? `${file} uses YAML aliases that expand too far (more than ${limits.maxAliasCount} nodes per alias); ` +
                "write the repeated parts out, or use fewer nested aliases."
            : `${file} is not valid YAML: ${firstLine(message)}`,
          { location: start },
        ),
      ],
    };
  }

  // Key lookups by map, built on first use: locating every node of a 10,000-node pipeline stays linear.
  const indexes = new WeakMap<object, Map<string, Pair>>();
  const pairIndex = (map: YAMLMap): Map<string, Pair> => {
    let index = indexes.get(map);
    if (!index) {
      index = new Map();
      for (const item of map.items) {
        const key = isPair(item) ? keyText(item.key) : undefined;
        if (key !== undefined && !index.has(key)) index.set(key, item);
      }
      indexes.set(map, index);
    }
    return index;
  };

  const find = (path: KeyPath): { key?: Node; value?: Node } => {
    let node: unknown = doc.contents;
    let found: { key?: Node; value?: Node } = {};
    let guard = 0;
    for (const segment of path) {
      while (isAlias(node) && guard++ < 100) node = node.resolve(doc);
      if (isMap(node)) {
        const pair = pairIndex(node).get(String(segment));
        if (!pair) break;
        found = withNode(pair.key as Node | undefined, pair.value as Node | undefined);
        node = pair.value;
      } else if (isSeq(node) && typeof segment === "number") {
        const item = node.items[segment] as Node | undefined;
        if (!item) break;
        found = withNode(undefined, item);
        node = item;
      } else break;
    }
    return found;
  };

  const source: YamlSource = {
    file,
    text,
    value,
    locate(path, at = "key") {
      const found = find(path);
      const node = at === "value" ? (found.value ?? found.key) : (found.key ?? found.value);
      const offset = node?.range?.[0];
      return offset === undefined ? start : position(offset);
    },
    sourceText(path) {
      const node = find(path).value;
      if (!isScalar(node) || !node.range) return undefined;
      return text.slice(node.range[0], node.range[1]);
    },
  };
  return { source, diagnostics: [] };
}

function withNode(key: Node | undefined, value: Node | undefined): { key?: Node; value?: Node } {
  const out: { key?: Node; value?: Node } = {};
  if (key) out.key = key;
  if (value) out.value = value;
  return out;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === "string" ? key : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}

/**
 * Values the yaml library's 1.1 schema reads differently from PyYAML, or into objects the model
 * cannot hold: a bare `.` (PyYAML: the string "."; yaml: NaN) and timestamps (kept as written).
 */
function keepScalarsAsWritten(doc: Document.Parsed): void {
  visit(doc, {
    Scalar(_key, node) {
      const written = typeof node.source === "string" ? node.source : undefined;
      if (written === undefined) return;
      if (node.value instanceof Date) node.value = written;
      else if (typeof node.value === "number" && Number.isNaN(node.value) && !/^[-+]?\.nan$/i.test(written)) node.value = written;
      else if (typeof node.value === "bigint") node.value = written;
    },
  });
}

/** The offset of the first mapping key that is a list or mapping (`? [a]: b`), if any. */
function firstComplexKey(doc: Document.Parsed): number | undefined {
  let found: number | undefined;
  visit(doc, {
    Pair(_key, pair) {
      if (pair.key !== null && typeof pair.key === "object" && (isMap(pair.key) || isSeq(pair.key))) {
        found = (pair.key as Node).range?.[0] ?? 0;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}
