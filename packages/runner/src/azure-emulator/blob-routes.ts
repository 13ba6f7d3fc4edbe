// The Blob service REST operations @azure/storage-blob uses for uploads and reads, path-style
// (`https://127.0.0.1:<port>/<account>/<container>/<blob>`, which storage-blob picks for IP hosts):
// Put Blob, Put Block, Put Block List, Set Blob Metadata/Properties, Get Blob (with ranges),
// Get Blob Properties (HEAD), Delete Blob, Create Container, Get Container Properties, List Blobs.
import { randomUUID } from "node:crypto";
import type { EmulatorClock } from "./clock.js";
import { header, rfc1123, type EmulatorRequest, type EmulatorResponse } from "./http.js";
import type { BlobContainer, BlobStore, SasPermission } from "./blob-store.js";

const SERVICE_VERSION = "2024-11-04";

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[c] ?? c);
}

function baseHeaders(request: EmulatorRequest, clock: EmulatorClock): Record<string, string> {
  return { "x-ms-request-id": randomUUID(), "x-ms-version": header(request, "x-ms-version") ?? SERVICE_VERSION, date: rfc1123(clock.now()) };
}

function storageError(request: EmulatorRequest, clock: EmulatorClock, status: number, code: string, message: string, detail?: string): EmulatorResponse {
  const headers = { ...baseHeaders(request, clock), "x-ms-error-code": code, "content-type": "application/xml" };
  const extra = detail === undefined ? "" : `<AuthenticationErrorDetail>${escapeXml(detail)}</AuthenticationErrorDetail>`;
  const body = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${escapeXml(message)}</Message>${extra}</Error>`;
  return { status, headers, body: request.method === "HEAD" ? undefined : body, errorCode: code };
}

function metadataFrom(request: EmulatorRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (name.startsWith("x-ms-meta-") && typeof value === "string") out[name.slice("x-ms-meta-".length)] = value;
  }
  return out;
}

interface Route {
  readonly operation: string;
  readonly permission: SasPermission;
}

function routeOf(method: string, query: URLSearchParams, isBlob: boolean): Route | undefined {
  const comp = query.get("comp");
  const restype = query.get("restype");
  if (!isBlob) {
    if (restype !== "container") return undefined;
    if (method === "PUT" && comp === null) return { operation: "Container_Create", permission: "c" };
    if ((method === "GET" || method === "HEAD") && comp === null) return { operation: "Container_GetProperties", permission: "r" };
    if (method === "GET" && comp === "list") return { operation: "Container_ListBlobs", permission: "l" };
    return undefined;
  }
  if (method === "PUT" && comp === null) return { operation: "Blob_Put", permission: "w" };
  if (method === "PUT" && comp === "block") return { operation: "Blob_PutBlock", permission: "w" };
  if (method === "PUT" && comp === "blocklist") return { operation: "Blob_PutBlockList", permission: "w" };
  if (method === "PUT" && comp === "metadata") return { operation: "Blob_SetMetadata", permission: "w" };
  if (method === "PUT" && comp === "properties") return { operation: "Blob_SetProperties", permission: "w" };
  if (method === "GET" && comp === null) return { operation: "Blob_Get", permission: "r" };
  if (method === "HEAD" && comp === null) return { operation: "Blob_GetProperties", permission: "r" };
  if (method === "DELETE" && comp === null) return { operation: "Blob_Delete", permission: "d" };
  return undefined;
}

/** Names the operation a blob request is (for fault matching) without handling it. */
export function blobOperationName(request: EmulatorRequest): string | undefined {
  const segments = request.path.split("/").filter((s) => s !== "");
  return routeOf(request.method, request.query, segments.length > 2)?.operation;
}

export class BlobRoutes {
  readonly #store: BlobStore;
  readonly #clock: EmulatorClock;
  readonly #baseUrl: string;

  constructor(store: BlobStore, clock: EmulatorClock, baseUrl: string) {
    this.#store = store;
    this.#clock = clock;
    this.#baseUrl = baseUrl;
  }

  handle(request: EmulatorRequest): EmulatorResponse {
    const segments = request.path.split("/").filter((s) => s !== "").map((s) => decodeURIComponent(s));
    const [, containerName, ...rest] = segments;
    if (containerName === undefined) return storageError(request, this.#clock, 400, "InvalidUri", "Account-level operations are not emulated; address a container.");
    const blobName = rest.length > 0 ? rest.join("/") : undefined;
    const route = routeOf(request.method, request.query, blobName !== undefined);
    if (route === undefined) {
      return storageError(request, this.#clock, 501, "NotImplemented", `The emulator does not implement ${request.method} with comp=${request.query.get("comp") ?? "(none)"} on this resource.`);
    }
    const sas = this.#store.verifySas(request.query, containerName, blobName, route.permission);
    if (!sas.ok) {
      const message = sas.code === "AuthenticationFailed" ? "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature." : "This request is not authorized to perform this operation using this permission.";
      return { ...storageError(request, this.#clock, sas.status, sas.code, message, sas.detail), operationId: route.operation };
    }
    const response = this.#dispatch(request, route.operation, containerName, blobName ?? "");
    return { ...response, operationId: route.operation };
  }

  #dispatch(request: EmulatorRequest, operation: string, containerName: string, blobName: string): EmulatorResponse {
    const clock = this.#clock;
    if (operation === "Container_Create") {
      if (this.#store.containers.has(containerName)) return storageError(request, clock, 409, "ContainerAlreadyExists", "The specified container already exists.");
      const created = this.#store.ensureContainer(containerName);
      return { status: 201, headers: { ...baseHeaders(request, clock), etag: this.#store.nextEtag(), "last-modified": rfc1123(created.createdAt) }, body: undefined };
    }
    const container = this.#store.containers.get(containerName);
    if (!container) return storageError(request, clock, 404, "ContainerNotFound", "The specified container does not exist.");
    switch (operation) {
      case "Container_GetProperties":
        return { status: 200, headers: { ...baseHeaders(request, clock), "last-modified": rfc1123(container.createdAt), "x-ms-lease-state": "available", "x-ms-lease-status": "unlocked" }, body: undefined };
      case "Container_ListBlobs":
        return this.#list(request, container);
      case "Blob_Get":
      case "Blob_GetProperties":
        return this.#read(request, container, blobName);
    }
    const existing = container.blobs.get(blobName);
    const ifNoneMatch = header(request, "if-none-match");
    const ifMatch = header(request, "if-match");
    if (ifNoneMatch === "*" && existing && (operation === "Blob_Put" || operation === "Blob_PutBlockList")) {
      return storageError(request, clock, 409, "BlobAlreadyExists", "The specified blob already exists.");
    }
    if (ifMatch !== undefined && ifMatch !== "*" && ifMatch !== existing?.etag) {
      return storageError(request, clock, 412, "ConditionNotMet", "The condition specified using HTTP conditional header(s) is not met.");
    }
    const contentType = header(request, "x-ms-blob-content-type") ?? "application/octet-stream";
    switch (operation) {
      case "Blob_Put": {
        if (header(request, "x-ms-blob-type") !== "BlockBlob") {
          return storageError(request, clock, 400, "InvalidHeaderValue", "The emulator stores block blobs only; send x-ms-blob-type: BlockBlob.");
        }
        const blob = this.#store.put(container, blobName, request.body, contentType, metadataFrom(request));
        return this.#written(request, blob.etag, blob.modifiedAt, blob.contentMd5);
      }
      case "Blob_PutBlock": {
        const id = request.query.get("blockid");
        if (id === null || id === "") return storageError(request, clock, 400, "InvalidQueryParameterValue", "blockid is required.");
        const staged = container.blocks.get(blobName) ?? new Map<string, Buffer>();
        staged.set(id, request.body);
        container.blocks.set(blobName, staged);
        return { status: 201, headers: { ...baseHeaders(request, clock), "x-ms-request-server-encrypted": "true" }, body: undefined };
      }
      case "Blob_PutBlockList": {
        const staged = container.blocks.get(blobName) ?? new Map<string, Buffer>();
        const ids = [...request.body.toString("utf8").matchAll(/<(Latest|Uncommitted|Committed)>([^<]*)<\/\1>/g)].map((m) => m[2] ?? "");
        const parts: Buffer[] = [];
        for (const id of ids) {
          const part = staged.get(id);
          if (part === undefined) return storageError(request, clock, 400, "InvalidBlockList", "The specified block list is invalid: a block id was never staged.");
          parts.push(part);
        }
        const blob = this.#store.put(container, blobName, Buffer.concat(parts), contentType, metadataFrom(request));
        return this.#written(request, blob.etag, blob.modifiedAt, undefined);
      }
      case "Blob_SetMetadata":
      case "Blob_SetProperties": {
        if (!existing) return storageError(request, clock, 404, "BlobNotFound", "The specified blob does not exist.");
        const updated = {
          ...existing,
          metadata: operation === "Blob_SetMetadata" ? metadataFrom(request) : existing.metadata,
          contentType: operation === "Blob_SetProperties" ? contentType : existing.contentType,
          etag: this.#store.nextEtag(),
          modifiedAt: clock.now(),
        };
        container.blobs.set(blobName, updated);
        return { status: 200, headers: { ...baseHeaders(request, clock), etag: updated.etag, "last-modified": rfc1123(updated.modifiedAt) }, body: undefined };
      }
      case "Blob_Delete": {
        if (!existing) return storageError(request, clock, 404, "BlobNotFound", "The specified blob does not exist.");
        container.blobs.delete(blobName);
        return { status: 202, headers: { ...baseHeaders(request, clock), "x-ms-delete-type-permanent": "true" }, body: undefined };
      }
    }
    return storageError(request, clock, 501, "NotImplemented", `${operation} is not emulated.`);
  }

  #written(request: EmulatorRequest, etag: string, modifiedAt: number, md5: string | undefined): EmulatorResponse {
    const headers: Record<string, string> = { ...baseHeaders(request, this.#clock), etag, "last-modified": rfc1123(modifiedAt), "x-ms-request-server-encrypted": "true" };
    if (md5 !== undefined) headers["content-md5"] = md5;
    return { status: 201, headers, body: undefined };
  }

  #read(request: EmulatorRequest, container: BlobContainer, blobName: string): EmulatorResponse {
    const clock = this.#clock;
    const stored = container.blobs.get(blobName);
    const computed = stored ? undefined : this.#store.virtual?.get(container.name, blobName);
    if (!stored && !computed) return storageError(request, clock, 404, "BlobNotFound", "The specified blob does not exist.");
    const content = stored?.content ?? computed?.content ?? Buffer.alloc(0);
    const modifiedAt = stored?.modifiedAt ?? computed?.modifiedAt ?? clock.now();
    const headers: Record<string, string> = {
      ...baseHeaders(request, clock),
      "content-type": stored?.contentType ?? "text/plain; charset=utf-8",
      etag: stored?.etag ?? `"0x8DD${content.length.toString(16).toUpperCase().padStart(12, "0")}"`,
      "last-modified": rfc1123(modifiedAt),
      "x-ms-creation-time": rfc1123(stored?.createdAt ?? modifiedAt),
      "x-ms-blob-type": "BlockBlob",
      "accept-ranges": "bytes",
      "x-ms-lease-state": "available",
      "x-ms-lease-status": "unlocked",
      "x-ms-server-encrypted": "true",
    };
    for (const [key, value] of Object.entries(stored?.metadata ?? {})) headers[`x-ms-meta-${key}`] = value;
    const range = header(request, "x-ms-range") ?? header(request, "range");
    const parsed = range === undefined ? undefined : /^bytes=(\d+)-(\d*)$/.exec(range);
    if (request.method === "GET" && parsed) {
      const start = Number(parsed[1]);
      const end = parsed[2] === "" || parsed[2] === undefined ? content.length - 1 : Math.min(Number(parsed[2]), content.length - 1);
      if (start >= content.length) {
        return { ...storageError(request, clock, 416, "InvalidRange", "The range specified is invalid for the current size of the resource."), headers: { ...baseHeaders(request, clock), "x-ms-error-code": "InvalidRange", "content-range": `bytes */${content.length}` } };
      }
      const slice = content.subarray(start, end + 1);
      return { status: 206, headers: { ...headers, "content-length": String(slice.length), "content-range": `bytes ${start}-${end}/${content.length}` }, body: slice };
    }
    if (stored) headers["content-md5"] = stored.contentMd5;
    headers["content-length"] = String(content.length);
    return { status: 200, headers, body: request.method === "HEAD" ? undefined : content };
  }

  #list(request: EmulatorRequest, container: BlobContainer): EmulatorResponse {
    const containerName = container.name;
    const q = request.query;
    const prefix = q.get("prefix") ?? "";
    const delimiter = q.get("delimiter") ?? "";
    const marker = q.get("marker") ?? "";
    const max = Math.max(1, Math.min(5000, Number(q.get("maxresults") ?? "5000") || 5000));
    const withMetadata = (q.get("include") ?? "").split(",").includes("metadata");
    const names = new Set<string>([...(container.blobs.keys() ?? [])].filter((n) => n.startsWith(prefix)));
    for (const name of this.#store.virtual?.list(containerName, prefix) ?? []) names.add(name);
    const entries: { name: string; isPrefix: boolean }[] = [];
    const seenPrefixes = new Set<string>();
    for (const name of [...names].sort()) {
      if (delimiter !== "") {
        const cut = name.indexOf(delimiter, prefix.length);
        if (cut >= 0) {
          const p = name.slice(0, cut + delimiter.length);
          if (!seenPrefixes.has(p)) {
            seenPrefixes.add(p);
            entries.push({ name: p, isPrefix: true });
          }
          continue;
        }
      }
      entries.push({ name, isPrefix: false });
    }
    const start = marker === "" ? 0 : entries.findIndex((e) => e.name >= marker);
    const page = start < 0 ? [] : entries.slice(start, start + max);
    const next = start >= 0 ? entries[start + max]?.name : undefined;
    const items = page.map((entry) => {
      if (entry.isPrefix) return `<BlobPrefix><Name>${escapeXml(entry.name)}</Name></BlobPrefix>`;
      const stored = container.blobs.get(entry.name);
      const computed = stored ? undefined : this.#store.virtual?.get(containerName, entry.name);
      const size = stored?.content.length ?? computed?.content.length ?? 0;
      const modified = stored?.modifiedAt ?? computed?.modifiedAt ?? this.#clock.now();
      const metadata = withMetadata ? `<Metadata>${Object.entries(stored?.metadata ?? {}).map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`).join("")}</Metadata>` : "";
      return (
        `<Blob><Name>${escapeXml(entry.name)}</Name><Properties><Creation-Time>${rfc1123(stored?.createdAt ?? modified)}</Creation-Time>` +
        `<Last-Modified>${rfc1123(modified)}</Last-Modified><Etag>${escapeXml(stored?.etag ?? '"0x8DD0"')}</Etag><Content-Length>${size}</Content-Length>` +
        `<Content-Type>${escapeXml(stored?.contentType ?? "text/plain")}</Content-Type><Content-MD5>${stored?.contentMd5 ?? ""}</Content-MD5>` +
        `<BlobType>BlockBlob</BlobType><AccessTier>Hot</AccessTier><AccessTierInferred>true</AccessTierInferred><LeaseStatus>unlocked</LeaseStatus>` +
        `<LeaseState>available</LeaseState><ServerEncrypted>true</ServerEncrypted></Properties>${metadata}</Blob>`
      );
    });
    const endpoint = `${this.#baseUrl}/${this.#store.account}/`;
    const body =
      `<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="${escapeXml(endpoint)}" ContainerName="${escapeXml(containerName)}">` +
      `<Prefix>${escapeXml(prefix)}</Prefix>${marker ? `<Marker>${escapeXml(marker)}</Marker>` : ""}<MaxResults>${max}</MaxResults>` +
      `${delimiter ? `<Delimiter>${escapeXml(delimiter)}</Delimiter>` : ""}<Blobs>${items.join("")}</Blobs><NextMarker>${escapeXml(next ?? "")}</NextMarker></EnumerationResults>`;
    return { status: 200, headers: { ...baseHeaders(request, this.#clock), "content-type": "application/xml" }, body };
  }
}
