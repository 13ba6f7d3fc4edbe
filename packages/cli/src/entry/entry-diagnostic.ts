/** Problems with the entry file itself, reported as ordinary diagnostics from the one catalog. */
import type { Diagnostic } from "@pipewright/compiler";
import type { SourceLocation } from "@pipewright/dsl";

export type EntryDiagnostic = Diagnostic;

export function entryDiagnostic(
  code: "PW1012" | "PW1013" | "PW1014",
  message: string,
  location: SourceLocation | undefined,
  severity: "error" | "warning" = "error",
): Diagnostic {
  return location ? { code, severity, message, location } : { code, severity, message };
}
