/**
 * Errors of the Azure ML backend as data: a PW46xx code, a sentence naming the fix, and the
 * service's error code and request id when the service answered. Messages are redacted.
 */
import type { DiagnosticCode } from "@pipewright/compiler";
import { redactSecrets } from "./redact.js";

/** Azure backend codes: the PW46xx part of the one catalog. */
export type AzureCode = Extract<DiagnosticCode, `PW46${string}`>;

export class AzureError extends Error {
  readonly code: AzureCode;
  /** HTTP status, when the service answered. */
  readonly status: number | undefined;
  /** The service's error code (`error.code`). */
  readonly serviceCode: string | undefined;
  readonly requestId: string | undefined;

  constructor(code: AzureCode, message: string, details: { status?: number | undefined; serviceCode?: string | undefined; requestId?: string | undefined } = {}) {
    super(redactSecrets(message));
    this.name = "AzureError";
    this.code = code;
    this.status = details.status;
    this.serviceCode = details.serviceCode;
    this.requestId = details.requestId;
  }

  render(): string {
    const extra = [this.serviceCode && `service code ${this.serviceCode}`, this.requestId && `request id ${this.requestId}`].filter(Boolean).join(", ");
    return `error ${this.code}: ${this.message}${extra ? ` (${extra})` : ""}`;
  }
}

export function isAzureError(value: unknown): value is AzureError {
  return value instanceof AzureError;
}
