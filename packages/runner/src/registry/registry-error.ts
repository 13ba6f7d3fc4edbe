/** Registry failures: a RunnerError (PW45xx) that may carry the definition's diagnostics. */
import { renderDiagnostics, type Diagnostic } from "@pipewright/compiler";
import { RunnerError, type RunnerCode } from "../local/errors.js";

export class RegistryError extends RunnerError {
  /** The definition's own problems (PW15xx...), for PW4504. */
  readonly diagnostics: readonly Diagnostic[];

  constructor(code: RunnerCode, message: string, diagnostics: readonly Diagnostic[] = [], where: { path?: string } = {}) {
    super(code, message, where);
    this.name = "RegistryError";
    this.diagnostics = diagnostics;
  }

  /** The summary line, then each diagnostic as the compiler renders it. */
  override render(): string {
    const head = super.render();
    return this.diagnostics.length ? `${head}\n${renderDiagnostics(this.diagnostics)}` : head;
  }
}

export function isRegistryError(value: unknown): value is RegistryError {
  return value instanceof RegistryError;
}

/** PW4504 for a definition whose checks found errors. */
export function definitionError(what: string, diagnostics: readonly Diagnostic[]): RegistryError {
  const errors = diagnostics.filter((d) => d.severity === "error");
  return new RegistryError("PW4504", `${what} was not registered: ${errors.length} error${errors.length === 1 ? "" : "s"} in its definition (nothing was stored)`, errors);
}
