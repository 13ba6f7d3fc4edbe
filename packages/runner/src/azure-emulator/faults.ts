// Fault injection: throttling (429 + Retry-After), 503s, 500s, connection resets (before the request
// takes effect, or after: the nastiest case for idempotency) and slow responses. Faults come from a
// script (consumed in order) or at a seeded rate, so a failing test replays exactly.
import { errorResponse, type EmulatorResponse } from "./http.js";
import { seededRandom } from "./ids.js";

export type RequestScope = "arm" | "dataplane" | "blob" | "authority" | "discovery";

export type Fault =
  | { readonly kind: "throttle"; readonly retryAfterSeconds?: number; readonly retryAfterMs?: number }
  | { readonly kind: "unavailable"; readonly retryAfterSeconds?: number; readonly retryAfterMs?: number }
  | { readonly kind: "server-error" }
  /** `after: true`: the request takes effect, then the connection is reset instead of answering. */
  | { readonly kind: "reset"; readonly after?: boolean }
  /** Answer normally, but only after `ms` of wall-clock time. */
  | { readonly kind: "delay"; readonly ms: number };

export interface FaultMatch {
  readonly method?: string;
  readonly scope?: RequestScope;
  /** Spec operationId (ARM) or emulator route name (e.g. "RunHistory_GetDetails", "Blob_Put"). */
  readonly operationId?: string;
  /** Substring of, or pattern for, the request path. */
  readonly path?: string | RegExp;
}

export interface ScriptedFault {
  readonly match?: FaultMatch;
  readonly fault: Fault;
  /** How many matching requests get this fault. @default 1 */
  readonly times?: number;
}

export interface FaultPlan {
  /** Fraction (0..1) of eligible requests that get a fault chosen from `kinds`. @default 0 */
  readonly rate?: number;
  /** Seed of the PRNG deciding which requests are faulted. @default 1 */
  readonly seed?: number;
  /** @default throttle (retry-after-ms 10), unavailable (retry-after-ms 10), reset, reset after */
  readonly kinds?: readonly Fault[];
  /** Scopes the rate applies to. @default ["arm", "dataplane", "blob"] */
  readonly scopes?: readonly RequestScope[];
  /** Faults for specific requests, tried before the rate. */
  readonly script?: readonly ScriptedFault[];
}

export interface FaultCandidate {
  readonly method: string;
  readonly scope: RequestScope;
  readonly operationId: string | undefined;
  readonly path: string;
}

const DEFAULT_KINDS: readonly Fault[] = [
  { kind: "throttle", retryAfterMs: 10 },
  { kind: "unavailable", retryAfterMs: 10 },
  { kind: "reset" },
  { kind: "reset", after: true },
];

function matches(match: FaultMatch | undefined, request: FaultCandidate): boolean {
  if (match === undefined) return true;
  if (match.method !== undefined && match.method.toUpperCase() !== request.method.toUpperCase()) return false;
  if (match.scope !== undefined && match.scope !== request.scope) return false;
  if (match.operationId !== undefined && match.operationId !== request.operationId) return false;
  if (match.path !== undefined) {
    if (typeof match.path === "string" ? !request.path.includes(match.path) : !match.path.test(request.path)) return false;
  }
  return true;
}

export class FaultInjector {
  #plan: FaultPlan;
  #random: () => number;
  #remaining: number[];

  constructor(plan: FaultPlan = {}) {
    this.#plan = plan;
    this.#random = seededRandom(plan.seed ?? 1);
    this.#remaining = (plan.script ?? []).map((s) => s.times ?? 1);
    const rate = plan.rate ?? 0;
    if (!(rate >= 0 && rate <= 1)) throw new RangeError(`FaultPlan.rate must be between 0 and 1, got ${rate}`);
  }

  /** The fault for this request, if any; consumes script entries and PRNG draws. */
  pick(request: FaultCandidate): Fault | undefined {
    const script = this.#plan.script ?? [];
    for (let i = 0; i < script.length; i++) {
      const entry = script[i];
      if (entry === undefined || (this.#remaining[i] ?? 0) <= 0 || !matches(entry.match, request)) continue;
      this.#remaining[i] = (this.#remaining[i] ?? 0) - 1;
      return entry.fault;
    }
    const rate = this.#plan.rate ?? 0;
    const scopes = this.#plan.scopes ?? ["arm", "dataplane", "blob"];
    if (rate <= 0 || !scopes.includes(request.scope)) return undefined;
    const draw = this.#random();
    if (draw >= rate) return undefined;
    const kinds = this.#plan.kinds ?? DEFAULT_KINDS;
    return kinds[Math.floor(this.#random() * kinds.length)];
  }
}

function retryHeaders(fault: { readonly retryAfterSeconds?: number; readonly retryAfterMs?: number }): Record<string, string> {
  const seconds = fault.retryAfterSeconds ?? (fault.retryAfterMs !== undefined ? Math.max(1, Math.ceil(fault.retryAfterMs / 1000)) : 1);
  const headers: Record<string, string> = { "retry-after": String(seconds) };
  if (fault.retryAfterMs !== undefined) headers["retry-after-ms"] = String(fault.retryAfterMs);
  return headers;
}

/** The answer for faults that answer (throttle, unavailable, server-error). */
export function faultResponse(fault: Fault): EmulatorResponse | undefined {
  switch (fault.kind) {
    case "throttle":
      return errorResponse(429, "TooManyRequests", "The request was throttled by the emulator (injected fault). Retry after the time in the Retry-After header.", { headers: retryHeaders(fault) });
    case "unavailable":
      return errorResponse(503, "ServiceUnavailable", "The service is temporarily unavailable (injected fault).", { headers: retryHeaders(fault) });
    case "server-error":
      return errorResponse(500, "InternalServerError", "An internal error occurred (injected fault).");
    default:
      return undefined;
  }
}
