/**
 * Runner errors as data: a PW4xxx code, the node path and a sentence naming the fix. The CLI
 * prints them without a stack trace.
 */
import type { DiagnosticCode } from "@pipewright/compiler";
import type { SourceLocation } from "@pipewright/dsl";

/** Runner codes: the PW40xx (local runner) and PW45xx (local registry) part of the one catalog. */
export type RunnerCode = Extract<DiagnosticCode, `PW40${string}` | `PW45${string}`>;

export class RunnerError extends Error {
  readonly code: RunnerCode;
  readonly path: string | undefined;
  readonly location: SourceLocation | undefined;

  constructor(code: RunnerCode, message: string, where: { path?: string | undefined; location?: SourceLocation | undefined } = {}) {
    super(message);
    this.name = "RunnerError";
    this.code = code;
    this.path = where.path;
    this.location = where.location;
  }

  /** `file:line:col - error PW4003: message` then `  at path`, like compiler diagnostics. */
  render(): string {
    const at = this.location ? `${this.location.file}:${this.location.line}:${this.location.column} - ` : "";
    const path = this.path ? `\n  at ${this.path}` : "";
    return `${at}error ${this.code}: ${this.message}${path}`;
  }
}

export function isRunnerError(value: unknown): value is RunnerError {
  return value instanceof RunnerError;
}
