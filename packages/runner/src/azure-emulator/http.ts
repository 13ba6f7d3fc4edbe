// The emulator's request/response values. Handlers return a response instead of writing to the
// socket, so fault injection can drop a response after the request took effect, and the request
// log sees every answer.
import type { IncomingHttpHeaders } from "node:http";
import type { Json } from "./json.js";
import type { SpecIssue } from "./spec-validator.js";

export interface EmulatorRequest {
  readonly method: string;
  readonly url: URL;
  /** Raw (still percent-encoded) path. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface EmulatorResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer | string | undefined;
  /** Spec issues that caused a rejection, for the request log. */
  readonly issues?: readonly SpecIssue[];
  /** Error code of a rejection, for the request log. */
  readonly errorCode?: string;
  /** The ARM/data-plane operation that handled the request. */
  readonly operationId?: string;
}

export function header(request: EmulatorRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export function jsonResponse(status: number, value: Json, headers: Record<string, string> = {}): EmulatorResponse {
  return { status, headers: { "content-type": "application/json; charset=utf-8", ...headers }, body: JSON.stringify(value) };
}

export function emptyResponse(status: number, headers: Record<string, string> = {}): EmulatorResponse {
  return { status, headers, body: undefined };
}

export interface ErrorOptions {
  readonly details?: readonly SpecIssue[];
  readonly headers?: Record<string, string>;
  readonly target?: string;
}

/** ARM / Azure ML error body: `{"error": {code, message, target?, details[]}}`. */
export function errorResponse(status: number, code: string, message: string, options: ErrorOptions = {}): EmulatorResponse {
  const details = (options.details ?? []).map((d) => ({ code: d.code, target: d.path, message: d.message }));
  const error: Record<string, Json> = { code, message, details };
  if (options.target !== undefined) error["target"] = options.target;
  return {
    ...jsonResponse(status, { error }, { "x-ms-error-code": code, ...options.headers }),
    errorCode: code,
    ...(options.details ? { issues: options.details } : {}),
  };
}

/** Query values that are secrets (SAS signatures) are replaced before anything is logged. */
export function redactQuery(query: URLSearchParams): string {
  const copy = new URLSearchParams(query);
  for (const key of [...copy.keys()]) {
    if (/^(sig|signature|client_secret|code|access_token|token)$/i.test(key)) copy.set(key, "REDACTED");
  }
  const text = copy.toString();
  return text === "" ? "" : `?${text}`;
}

export function rfc1123(ms: number): string {
  return new Date(ms).toUTCString();
}
