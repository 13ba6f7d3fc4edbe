import type { SourceLocation } from "@pipewright/dsl";
import { CODES, type DiagnosticCode } from "./codes.js";

export type Severity = "error" | "warning" | "info";

/** A problem found in a pipeline, as data. Tests assert code, path and location. */
export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  /** Node path such as `nyc_taxi/train/inputs/data`. */
  readonly path?: string;
  /** Where the user's code (or YAML) declared the thing; 1-based. */
  readonly location?: SourceLocation;
}

/** Builds a diagnostic with the catalog's severity (overridable, e.g. strict mode). */
export function diagnostic(
  code: DiagnosticCode,
  message: string,
  where: { readonly path?: string | undefined; readonly location?: SourceLocation | undefined; readonly severity?: Severity } = {},
): Diagnostic {
  const out: { -readonly [K in keyof Diagnostic]: Diagnostic[K] } = {
    code,
    severity: where.severity ?? CODES[code].severity,
    message,
  };
  if (where.path !== undefined) out.path = where.path;
  if (where.location !== undefined) out.location = where.location;
  return out;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}
