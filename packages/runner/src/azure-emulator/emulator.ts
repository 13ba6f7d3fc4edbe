// The Azure ML emulator: one HTTPS server on 127.0.0.1 that plays ARM (workspace, computes,
// datastores, code, components, jobs), the Entra token endpoint, discovery, run history and Blob
// storage, validating every ARM request against the REST spec and simulating job lifecycles on a
// controllable clock. Tests start it on port 0; `pipewright emulator` starts it for users.
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { TokenAuthority, ARM_AUDIENCES, ML_AUDIENCE, type EmulatorAuthOptions } from "./auth.js";
import { assetRoutes, computeRoutes, datastoreRoutes, workspaceResource } from "./arm-assets.js";
import { assetVersionRoutes } from "./arm-asset-versions.js";
import { computeCreateRoute, creationOperationStatus, CREATION_OPERATION_PATH, workspaceCreateRoute } from "./arm-computes.js";
import { jobRoutes, OPERATION_RESULT_PATH, operationResult } from "./arm-jobs.js";
import { blobOperationName, BlobRoutes } from "./blob-routes.js";
import { BlobStore } from "./blob-store.js";
import { ManualClock, type EmulatorClock } from "./clock.js";
import type { ArmCall, EmulatorContext } from "./context.js";
import { createStateView, type EmulatorStateView, type EmulatorRequestLogEntry } from "./emulator-state.js";
import { FaultInjector, faultResponse, type Fault, type FaultPlan, type RequestScope } from "./faults.js";
import { errorResponse, jsonResponse, redactQuery, type EmulatorRequest, type EmulatorResponse } from "./http.js";
import { IdSource } from "./ids.js";
import type { EmulatorLifecycleOptions } from "./job-simulation.js";
import { bodyCheckSummary, checkApiVersion, checkOperationRequest, KNOWN_STABLE_API_VERSIONS } from "./request-validation.js";
import { discoveryDocument, logBlobSource, runHistoryRoute, ARTIFACT_CONTAINER } from "./run-history.js";
import { findDefaultSpecRoot, SpecDocuments } from "./spec-documents.js";
import { SpecValidator } from "./spec-validator.js";
import { createSelfSignedCertificate, type TlsMaterial } from "./tls-certificate.js";
import { WorkspaceStore, type WorkspaceIdentity } from "./workspace-store.js";

export type EmulatorWorkspace = WorkspaceIdentity;

export const DEFAULT_EMULATOR_WORKSPACE: EmulatorWorkspace = {
  subscriptionId: "00000000-0000-0000-0000-000000000000",
  resourceGroup: "pipewright-rg",
  name: "pipewright-ws",
};

export interface EmulatorOptions {
  /** @default 0 (any free port) */
  readonly port?: number;
  /** Only loopback is served. @default "127.0.0.1" */
  readonly host?: "127.0.0.1";
  /** @default a ManualClock at 2025-01-01T00:00:00Z (use `systemClock` for wall-clock time) */
  readonly clock?: EmulatorClock;
  /** @default no faults */
  readonly faults?: FaultPlan;
  /** Folder containing `specification/` (Azure/azure-rest-api-specs layout). @default shared/azureml/rest found upwards */
  readonly specRoot?: string;
  /** @default [DEFAULT_EMULATOR_WORKSPACE] */
  readonly workspaces?: readonly EmulatorWorkspace[];
  /** Compute names that exist in every workspace. @default ["cpu-cluster"] */
  readonly computes?: readonly string[];
  /** @default "eastus" */
  readonly location?: string;
  /** Storage account name in blob URLs. @default "pipewrightemu" */
  readonly storageAccount?: string;
  /** Accepted `api-version` values on ARM routes. @default KNOWN_STABLE_API_VERSIONS */
  readonly apiVersions?: readonly string[];
  readonly auth?: EmulatorAuthOptions;
  readonly lifecycle?: EmulatorLifecycleOptions;
  /** Advance a manual clock by this much after every ARM/data-plane/blob request. @default 0 */
  readonly advanceOnRequestMs?: number;
  /** Certificate and key to serve; @default a fresh self-signed one */
  readonly tls?: TlsMaterial;
  /** Seed for generated ids (workspace id, upload containers...). @default "pipewright-emulator" */
  readonly seed?: string;
  /** @default 8 hours (emulator time) */
  readonly sasTtlMs?: number;
  /** Retry-After on the cancel operation's 202s; the spec's minimum is 10. @default 10 */
  readonly lroRetryAfterSeconds?: number;
}

export interface RunningEmulator {
  /** `https://127.0.0.1:<port>`: the ARM endpoint (and data plane, and blob host). */
  readonly url: string;
  readonly port: number;
  /** `authorityHost` for @azure/identity credentials (pass `disableInstanceDiscovery: true`). */
  readonly authorityHost: string;
  /** The token endpoint for `tenantId`, e.g. `${url}/<tenant>/oauth2/v2.0/token`. */
  tokenUrl(tenantId: string): string;
  /** PEM of the server certificate; clients must trust it (https.Agent `ca`). */
  readonly ca: string;
  readonly workspace: EmulatorWorkspace;
  readonly workspaces: readonly EmulatorWorkspace[];
  readonly clock: EmulatorClock;
  readonly state: EmulatorStateView;
  /** Moves a manual clock forward (throws for other clocks). */
  advance(ms: number): void;
  /** Replaces the fault plan (undefined: no faults). */
  setFaults(plan: FaultPlan | undefined): void;
  /** Replaces lifecycle options for jobs created from now on. */
  setLifecycle(options: EmulatorLifecycleOptions | undefined): void;
  close(): Promise<void>;
}

interface AdvanceableClock extends EmulatorClock {
  advance(ms: number): void;
}

function canAdvance(clock: EmulatorClock): clock is AdvanceableClock {
  return typeof (clock as Partial<AdvanceableClock>).advance === "function";
}

const WORKSPACE_PATH = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.MachineLearningServices\/workspaces\/([^/]+)(\/.*)?$/i;
const MAX_BODY_BYTES = 256 * 1024 * 1024;

function workspaceKey(sub: string, rg: string, ws: string): string {
  return `${sub}/${rg}/${ws}`.toLowerCase();
}

function scopeOf(path: string, account: string): RequestScope | "unknown" {
  if (path.startsWith("/subscriptions/")) return "arm";
  if (path.startsWith("/history/")) return "dataplane";
  if (path === "/discovery" || path === "/discovery/") return "discovery";
  if (TokenAuthority.isAuthorityPath(path)) return "authority";
  if (path.split("/")[1] === account) return "blob";
  return "unknown";
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new Error(`request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const specRoot = options.specRoot ?? findDefaultSpecRoot();
  if (specRoot === undefined) {
    throw new Error("startEmulator: could not find the Azure ML REST specs (shared/azureml/rest) above this package; pass `specRoot`.");
  }
  const docs = SpecDocuments.load(specRoot);
  const validator = new SpecValidator(docs);
  const clock = options.clock ?? new ManualClock();
  const tls = options.tls ?? createSelfSignedCertificate();
  const account = options.storageAccount ?? "pipewrightemu";
  const apiVersions = options.apiVersions ?? KNOWN_STABLE_API_VERSIONS;
  const requests: EmulatorRequestLogEntry[] = [];
  const internalErrors: string[] = [];
  const workspaces = new Map<string, WorkspaceStore>();
  let faults = new FaultInjector(options.faults);
  let lifecycle = options.lifecycle;
  let seq = 0;

  const server: Server = createServer({ cert: tls.cert, key: tls.key });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  const baseUrl = `https://127.0.0.1:${port}`;
  const blobs = new BlobStore(account, clock);
  const auth = new TokenAuthority(baseUrl, options.auth);
  const ids = new IdSource(options.seed ?? "pipewright-emulator");
  const ctx: EmulatorContext = {
    baseUrl,
    clock,
    ids,
    blobs,
    validator,
    auth,
    location: options.location ?? "eastus",
    lifecycle: () => lifecycle,
    sasTtlMs: options.sasTtlMs ?? 8 * 60 * 60 * 1000,
    lroRetryAfterSeconds: options.lroRetryAfterSeconds ?? 10,
  };
  blobs.ensureContainer(ARTIFACT_CONTAINER);
  blobs.virtual = logBlobSource(ctx, workspaces);
  const identities = options.workspaces ?? [DEFAULT_EMULATOR_WORKSPACE];
  for (const identity of identities) {
    const ws = new WorkspaceStore(identity, ids);
    ws.seed(blobs, options.computes ?? ["cpu-cluster"], ctx.location, clock.now(), `127.0.0.1:${port}`);
    workspaces.set(workspaceKey(identity.subscriptionId, identity.resourceGroup, identity.name), ws);
  }
  const blobRoutes = new BlobRoutes(blobs, clock, baseUrl);

  const armRoute = (request: EmulatorRequest): EmulatorResponse => {
    const denied = auth.checkBearer(request, ARM_AUDIENCES);
    if (denied) return denied;
    const apiVersion = request.query.get("api-version");
    const badVersion = checkApiVersion(apiVersion, apiVersions);
    if (badVersion) return errorResponse(badVersion.status, badVersion.code, badVersion.issues[0]?.message ?? badVersion.code, { details: badVersion.issues });
    if (OPERATION_RESULT_PATH.test(request.path)) return { ...operationResult(ctx, workspaces.values(), request), operationId: "MfeOperationResults_Get" };
    if (CREATION_OPERATION_PATH.test(request.path)) return { ...creationOperationStatus(ctx, request), operationId: "OperationStatus_Get" };
    const wsMatch = WORKSPACE_PATH.exec(request.path);
    if (!wsMatch) return errorResponse(404, "NotFound", "The emulator serves Microsoft.MachineLearningServices workspace routes only.");
    const [, sub = "", rg = "", wsName = "", rest] = wsMatch;
    const ws = workspaces.get(workspaceKey(decodeURIComponent(sub), decodeURIComponent(rg), decodeURIComponent(wsName)));
    if ((rest === undefined || rest === "/") && request.method === "PUT") { const identity = { subscriptionId: decodeURIComponent(sub), resourceGroup: decodeURIComponent(rg), name: decodeURIComponent(wsName) }; return { ...workspaceCreateRoute(ctx, request, identity, ws, () => { const created = new WorkspaceStore(identity, ids); created.seed(blobs, options.computes ?? ["cpu-cluster"], ctx.location, clock.now(), `127.0.0.1:${port}`); workspaces.set(workspaceKey(identity.subscriptionId, identity.resourceGroup, identity.name), created); return created; }, (created) => workspaceResource(ctx, created)), operationId: "Workspaces_CreateOrUpdate" }; }
    if (!ws) return errorResponse(404, "ResourceNotFound", `The workspace '${decodeURIComponent(wsName)}' in resource group '${decodeURIComponent(rg)}' is not served by this emulator.`);
    if ((rest === undefined || rest === "/") && request.method === "GET") return { ...jsonResponse(200, workspaceResource(ctx, ws)), operationId: "Workspaces_Get" };
    const match = docs.match(request.method, request.path);
    if (!match) {
      return docs.hasPath(request.path)
        ? errorResponse(405, "MethodNotAllowed", `${request.method} is not an operation on this path in the ${docs.apiVersion} spec.`)
        : errorResponse(404, "NoRouteInSpec", `No operation in the ${docs.apiVersion} spec matches ${request.method} ${request.path}.`);
    }
    const operationId = match.operation.operationId;
    const checked = checkOperationRequest(validator, match, request.query, request.headers["content-type"], request.body);
    if (checked.issues.length > 0) {
      const bodySchema = match.operation.parameters.find((p) => p.in === "body")?.schema.schema["$ref"];
      const schemaName = typeof bodySchema === "string" ? bodySchema.split("/").at(-1) : undefined;
      return { ...errorResponse(checked.status, checked.code, bodyCheckSummary(operationId, schemaName, docs.apiVersion, checked.issues), { details: checked.issues }), operationId };
    }
    const call: ArmCall = { request, operationId, pathParams: match.pathParams, body: checked.body, ws, apiVersion: apiVersion ?? "" };
    const response = computeRoutes(ctx, call) ?? datastoreRoutes(ctx, call) ?? assetRoutes(ctx, call) ?? jobRoutes(ctx, call) ?? assetVersionRoutes(ctx, call) ?? computeCreateRoute(ctx, call);
    return {
      ...(response ?? errorResponse(501, "NotImplemented", `${operationId} is valid per the spec but not emulated.`)),
      operationId,
    };
  };

  const route = (request: EmulatorRequest, scope: RequestScope | "unknown"): EmulatorResponse => {
    switch (scope) {
      case "arm":
        return armRoute(request);
      case "dataplane": {
        const denied = auth.checkBearer(request, [...ARM_AUDIENCES, ML_AUDIENCE]);
        return denied ?? runHistoryRoute(ctx, workspaces, request, workspaceKey);
      }
      case "discovery":
        return { ...jsonResponse(200, discoveryDocument(ctx)), operationId: "Discovery_Get" };
      case "authority":
        return auth.handle(request);
      case "blob":
        return blobRoutes.handle(request);
      default:
        return errorResponse(404, "NotFound", `Nothing is served at ${request.path}.`);
    }
  };

  const send = (res: ServerResponse, method: string, response: EmulatorResponse): void => {
    const headers: Record<string, string> = { ...response.headers };
    headers["x-ms-request-id"] ??= ids.uuid("request");
    const body = response.body === undefined ? undefined : Buffer.from(response.body);
    if (body !== undefined && headers["content-length"] === undefined) headers["content-length"] = String(body.length);
    if (body === undefined && headers["content-length"] === undefined) headers["content-length"] = "0";
    res.writeHead(response.status, headers);
    res.end(method === "HEAD" ? undefined : body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const at = clock.now();
    const url = new URL(req.url ?? "/", baseUrl);
    const method = (req.method ?? "GET").toUpperCase();
    const scope = scopeOf(url.pathname, account);
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch {
      req.socket.destroy();
      return;
    }
    const request: EmulatorRequest = { method, url, path: url.pathname, query: url.searchParams, headers: req.headers, body };
    const armOperation = scope === "arm" ? docs.match(method, url.pathname)?.operation.operationId : undefined;
    const candidateOperation = scope === "blob" ? blobOperationName(request) : armOperation;
    const fault: Fault | undefined = scope === "unknown" ? undefined : faults.pick({ method, scope, operationId: candidateOperation, path: url.pathname });
    let response: EmulatorResponse | undefined = fault ? faultResponse(fault) : undefined;
    const resetBefore = fault?.kind === "reset" && fault.after !== true;
    if (!response && !resetBefore) {
      if (fault?.kind === "delay") await sleep(fault.ms);
      try {
        response = route(request, scope);
      } catch (error) {
        internalErrors.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
        response = errorResponse(500, "InternalEmulatorError", "The emulator failed unexpectedly; see RunningEmulator.state.internalErrors.");
      }
    }
    const reset = fault?.kind === "reset";
    seq += 1;
    requests.push({
      seq,
      at,
      method,
      path: url.pathname,
      query: redactQuery(url.searchParams),
      scope,
      operationId: response?.operationId ?? candidateOperation,
      apiVersion: url.searchParams.get("api-version") ?? undefined,
      status: reset ? 0 : (response?.status ?? 0),
      fault: fault?.kind,
      errorCode: reset ? undefined : response?.errorCode,
      issues: reset ? [] : (response?.issues ?? []),
    });
    if (options.advanceOnRequestMs && scope !== "authority" && canAdvance(clock)) clock.advance(options.advanceOnRequestMs);
    if (reset || response === undefined) {
      // A TLS socket cannot send a TCP RST from JavaScript; destroying it is what clients see as
      // ECONNRESET ("socket hang up") before any response byte.
      req.socket.destroy();
      return;
    }
    send(res, method, response);
  };

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      // An emulator bug: record it and drop the connection rather than leave the client hanging.
      internalErrors.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
      res.destroy();
    });
  });

  const state = createStateView({ requests, internalErrors, workspaces, blobs, clock, lifecycle: () => lifecycle, tokens: auth.issued });
  const first = identities[0] ?? DEFAULT_EMULATOR_WORKSPACE;
  return {
    url: baseUrl,
    port,
    authorityHost: baseUrl,
    tokenUrl: (tenantId) => `${baseUrl}/${tenantId}/oauth2/v2.0/token`,
    ca: tls.cert,
    workspace: first,
    workspaces: identities,
    clock,
    state,
    advance(ms) {
      if (!canAdvance(clock)) throw new Error("advance(): this emulator runs on a clock that cannot be advanced (pass a ManualClock).");
      clock.advance(ms);
    },
    setFaults(plan) {
      faults = new FaultInjector(plan);
    },
    setLifecycle(next) {
      lifecycle = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
