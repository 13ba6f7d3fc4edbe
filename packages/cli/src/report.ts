/** Printing shared by the verbs: diagnostics, paths relative to the working directory, JSON. */
import { isAbsolute, relative, sep } from "node:path";
import { renderDiagnostics, type Diagnostic } from "@pipewright/compiler";
import type { CommandContext } from "./command.js";

/** A path as the user should see it: relative to the working directory when inside it. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  if (rel === "") return ".";
  return rel.startsWith("..") || isAbsolute(rel) ? path : rel.split(sep).join("/");
}

/** The same diagnostics with file paths relative to the working directory. */
export function relativeDiagnostics(diagnostics: readonly Diagnostic[], cwd: string): Diagnostic[] {
  return diagnostics.map((d) => (d.location ? { ...d, location: { ...d.location, file: displayPath(d.location.file, cwd) } } : d));
}

/** `file:line:col - error PW2003: message` and `  at node/path`, to stderr. */
export function printDiagnostics(diagnostics: readonly Diagnostic[], context: CommandContext): void {
  if (!diagnostics.length) return;
  const text = renderDiagnostics(diagnostics, { cwd: context.cwd });
  context.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
}

/** The stack of an error the entry threw: printed with --verbose, otherwise only pointed at. */
export function printStack(stack: string | undefined, context: CommandContext): void {
  if (stack === undefined) return;
  if (context.verbose) context.stderr.write(`\n${stack}\n`);
  else context.stderr.write("(Run again with --verbose to see the full stack trace.)\n");
}

export function printJson(value: unknown, context: CommandContext): void {
  context.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function countSummary(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.filter((d) => d.severity === "warning").length;
  const parts = [];
  if (errors) parts.push(`${errors} error${errors === 1 ? "" : "s"}`);
  if (warnings) parts.push(`${warnings} warning${warnings === 1 ? "" : "s"}`);
  return parts.join(", ");
}
