/**
 * Runner errors as data: a PW4xxx code, the node path and a sentence naming the fix. The CLI
 * prints them without a stack trace.
 */
import type { SourceLocation } from "@pipewright/dsl";

/** Runner diagnostic codes (the PW4xxx group of the catalog). */
export const RUNNER_CODES = {
  PW4001: "component kind cannot run locally",
  PW4002: "asset reference cannot be resolved locally yet",
  PW4003: "input data not found",
  PW4004: "unknown datastore",
  PW4005: "binding cannot be resolved",
  PW4006: "unsafe node or port name",
  PW4007: "required input has no value",
  PW4008: "value does not fit the input type",
  PW4009: "download failed",
  PW4010: "job not found",
  PW4011: "job cannot be resumed",
  PW4012: "pipeline job has errors",
  // PW45xx: the local asset registry (packages/runner/src/registry)
  PW4501: "asset version already registered with different content",
  PW4502: "unknown asset reference",
  PW4503: "asset reference cannot be resolved from the local registry",
  PW4504: "asset definition has errors",
  PW4505: "invalid asset label",
  PW4506: "definition kind cannot be registered locally",
} as const;
export type RunnerCode = keyof typeof RUNNER_CODES;

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
