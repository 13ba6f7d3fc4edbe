// What every route handler can reach: the clock, ids, blob storage, the validator and options.
import type { TokenAuthority } from "./auth.js";
import type { BlobStore } from "./blob-store.js";
import type { EmulatorClock } from "./clock.js";
import type { EmulatorRequest } from "./http.js";
import type { IdSource } from "./ids.js";
import type { Json, JsonObject } from "./json.js";
import type { EmulatorLifecycleOptions } from "./job-simulation.js";
import type { SpecValidator } from "./spec-validator.js";
import type { WorkspaceStore } from "./workspace-store.js";

export interface EmulatorContext {
  readonly baseUrl: string;
  readonly clock: EmulatorClock;
  readonly ids: IdSource;
  readonly blobs: BlobStore;
  readonly validator: SpecValidator;
  readonly auth: TokenAuthority;
  readonly location: string;
  readonly lifecycle: () => EmulatorLifecycleOptions | undefined;
  /** Lifetime of SAS tokens handed out, in emulator time. */
  readonly sasTtlMs: number;
  /** Retry-After (seconds) on the 202s of the cancel long-running operation. */
  readonly lroRetryAfterSeconds: number;
}

export interface ArmCall {
  readonly request: EmulatorRequest;
  readonly operationId: string;
  readonly pathParams: Readonly<Record<string, string>>;
  readonly body: Json | undefined;
  readonly ws: WorkspaceStore;
  readonly apiVersion: string;
}

/** One page of an ARM list; `$skip` carries the offset, and nextLink is built by the service. */
export function armPage(ctx: EmulatorContext, call: ArmCall, items: readonly JsonObject[], pageSize: number): JsonObject {
  const skip = Number(call.request.query.get("$skip") ?? "0");
  const offset = Number.isInteger(skip) && skip > 0 ? skip : 0;
  const value = items.slice(offset, offset + pageSize);
  const page: JsonObject = { value };
  if (offset + pageSize < items.length) {
    const query = new URLSearchParams(call.request.query);
    query.set("$skip", String(offset + pageSize));
    page["nextLink"] = `${ctx.baseUrl}${call.request.path}?${query.toString()}`;
  }
  return page;
}
