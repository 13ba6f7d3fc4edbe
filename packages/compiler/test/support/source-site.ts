/**
 * Where a line of a test file is, found by a marker comment (`// @at:name`) in the file's own
 * source text, so assertions on diagnostic locations survive edits that move lines around.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { SourceLocation } from "@pipewright/dsl";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";

const sources = new Map<string, readonly string[]>();

function linesOf(file: string): readonly string[] {
  let lines = sources.get(file);
  if (!lines) {
    lines = readFileSync(file, "utf8").split("\n");
    sources.set(file, lines);
  }
  return lines;
}

/**
 * The location of `token` on the line marked `// @at:<marker>` in the test file `moduleUrl`
 * (pass `import.meta.url`). The column is where the token starts: V8 reports a call's column at
 * the called name (`prep` in `prep({...})`, `uriFolder` in `Input.uriFolder()`).
 */
export function siteOf(moduleUrl: string, marker: string, token: string): SourceLocation {
  const file = fileURLToPath(moduleUrl);
  const lines = linesOf(file);
  const tag = `// @at:${marker}`;
  const matches = lines.flatMap((line, i) => (line.includes(tag) && !line.includes(`${tag}-`) && endsTag(line, tag) ? [i] : []));
  if (matches.length !== 1) throw new Error(`expected one line marked ${tag} in ${file}, found ${matches.length}`);
  const index = matches[0] as number;
  const text = lines[index] as string;
  const column = text.indexOf(token);
  if (column < 0) throw new Error(`token ${token} not on the line marked ${tag}`);
  if (text.indexOf(token, column + 1) >= 0 && text.indexOf(token, column + 1) < text.indexOf(tag)) {
    throw new Error(`token ${token} appears twice on the line marked ${tag}`);
  }
  return { file, line: index + 1, column: column + 1 };
}

function endsTag(line: string, tag: string): boolean {
  const rest = line.slice(line.indexOf(tag) + tag.length);
  return rest === "" || /^\s/.test(rest);
}

/** What tests assert: code, path and location, never the message wording. */
export interface DiagnosticKey {
  readonly code: string;
  readonly path: string | undefined;
  readonly location: SourceLocation | undefined;
}

export function keyOf(d: Diagnostic): DiagnosticKey {
  return { code: d.code, path: d.path, location: d.location };
}

export function withCode(diagnostics: readonly Diagnostic[], code: string): DiagnosticKey[] {
  return diagnostics.filter((d) => d.code === code).map(keyOf);
}
