import type { Diagnostic } from "./diagnostic.js";

/**
 * Orders diagnostics by file, line, column, then code, then path (message last, so equal keys
 * still sort the same way every time). Diagnostics without a location come after located ones.
 * Plain code-unit comparison, never locale-dependent.
 */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  const la = a.location;
  const lb = b.location;
  if (la && !lb) return -1;
  if (!la && lb) return 1;
  if (la && lb) {
    const byPlace = compareText(la.file, lb.file) || la.line - lb.line || la.column - lb.column;
    if (byPlace !== 0) return byPlace;
  }
  return compareText(a.code, b.code) || compareText(a.path ?? "", b.path ?? "") || compareText(a.message, b.message);
}

/** A sorted copy. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(compareDiagnostics);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
