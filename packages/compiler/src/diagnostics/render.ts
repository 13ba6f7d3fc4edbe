/** The one textual form of diagnostics, shared by the CLI and anything else that prints them. */
import type { SourceLocation } from "@pipewright/dsl";
import type { Diagnostic } from "./diagnostic.js";

export interface RenderOptions {
  /**
   * Absolute folder that file names are shown relative to (forward or back slashes).
   * @default file names are shown as recorded
   */
  readonly cwd?: string;
}

/**
 * One entry per diagnostic, in the order given (sort first), lines joined by `\n`:
 *
 *     src/pipeline.ts:12:5 - error PW2003: input 'data' of node 'train' takes uri_folder, ...
 *       at taxi/train/inputs/data
 *
 * Without a location the `file:line:col - ` prefix is left out; without a path, the `at` line.
 */
export function renderDiagnostics(diagnostics: readonly Diagnostic[], options: RenderOptions = {}): string {
  const lines: string[] = [];
  for (const d of diagnostics) {
    const where = d.location ? `${formatLocation(d.location, options.cwd)} - ` : "";
    lines.push(`${where}${d.severity} ${d.code}: ${d.message}`);
    if (d.path !== undefined) lines.push(`  at ${d.path}`);
  }
  return lines.join("\n");
}

/** `2 errors, 1 warning`; infos are counted only when there are some. */
export function summarizeDiagnostics(diagnostics: readonly Diagnostic[]): string {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const d of diagnostics) {
    if (d.severity === "error") errors++;
    else if (d.severity === "warning") warnings++;
    else infos++;
  }
  const parts = [plural(errors, "error"), plural(warnings, "warning")];
  if (infos > 0) parts.push(plural(infos, "info"));
  return parts.join(", ");
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function formatLocation(location: SourceLocation, cwd: string | undefined): string {
  const file = cwd === undefined ? location.file : relativePath(cwd, location.file);
  return `${file}:${location.line}:${location.column}`;
}

/**
 * `file` relative to the folder `from`, with forward slashes. Pure string work (the compiler
 * does no I/O); a file on another Windows drive, or a relative file, is returned as given.
 */
export function relativePath(from: string, file: string): string {
  const target = file.replace(/\\/g, "/");
  const base = from.replace(/\\/g, "/").replace(/\/+$/, "");
  if (!target.startsWith("/") && !/^[A-Za-z]:\//.test(target)) return file;
  const targetParts = target.split("/");
  const baseParts = base === "" ? [""] : base.split("/");
  if ((targetParts[0] ?? "").toLowerCase() !== (baseParts[0] ?? "").toLowerCase()) return file;
  let shared = 0;
  while (
    shared < baseParts.length &&
    shared < targetParts.length - 1 &&
    baseParts[shared] === targetParts[shared]
  ) {
    shared++;
  }
  const up = baseParts.slice(shared).filter((part) => part !== "").map(() => "..");
  return [...up, ...targetParts.slice(shared)].join("/");
}
