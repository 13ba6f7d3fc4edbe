// In-memory blob storage for one emulated storage account, with the SAS tokens the ARM side hands
// out (startPendingUpload, listSecrets, run log URLs) and the check the blob routes make on them.
// The signature scheme is the emulator's own (HMAC over the SAS fields with a per-process key); the
// token looks like a real service SAS (sv, sr, sp, st, se, spr, sig), which is all clients see.
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { EmulatorClock } from "./clock.js";

export interface StoredBlob {
  readonly name: string;
  readonly content: Buffer;
  readonly contentType: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly createdAt: number;
  readonly modifiedAt: number;
  readonly etag: string;
  readonly contentMd5: string;
}

export interface BlobContainer {
  readonly name: string;
  readonly createdAt: number;
  readonly blobs: Map<string, StoredBlob>;
  /** Uncommitted blocks per blob name (Put Block before Put Block List). */
  readonly blocks: Map<string, Map<string, Buffer>>;
}

/** Blobs computed on read (run logs that grow with the clock). */
export interface VirtualBlobSource {
  get(container: string, name: string): { readonly content: Buffer; readonly modifiedAt: number } | undefined;
  list(container: string, prefix: string): readonly string[];
}

export type SasPermission = "r" | "a" | "c" | "w" | "d" | "l";

export type SasCheck = { readonly ok: true } | { readonly ok: false; readonly status: number; readonly code: string; readonly detail: string };

const SAS_VERSION = "2024-11-04";

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export class BlobStore {
  readonly account: string;
  readonly containers = new Map<string, BlobContainer>();
  virtual: VirtualBlobSource | undefined;
  readonly #key = randomBytes(32);
  readonly #clock: EmulatorClock;
  #etagCounter = 0;

  constructor(account: string, clock: EmulatorClock) {
    this.account = account;
    this.#clock = clock;
  }

  ensureContainer(name: string): BlobContainer {
    let container = this.containers.get(name);
    if (!container) {
      container = { name, createdAt: this.#clock.now(), blobs: new Map(), blocks: new Map() };
      this.containers.set(name, container);
    }
    return container;
  }

  nextEtag(): string {
    this.#etagCounter += 1;
    return `"0x8DC${this.#etagCounter.toString(16).toUpperCase().padStart(12, "0")}"`;
  }

  put(container: BlobContainer, name: string, content: Buffer, contentType: string, metadata: Record<string, string>): StoredBlob {
    const now = this.#clock.now();
    const previous = container.blobs.get(name);
    const blob: StoredBlob = {
      name,
      content,
      contentType,
      metadata,
      createdAt: previous?.createdAt ?? now,
      modifiedAt: now,
      etag: this.nextEtag(),
      contentMd5: createHash("md5").update(content).digest("base64"),
    };
    container.blobs.set(name, blob);
    container.blocks.delete(name);
    return blob;
  }

  /** A SAS query string (without "?") for a container, or for one blob when `blob` is given. */
  sas(container: string, permissions: string, ttlMs: number, blob?: string): string {
    const now = this.#clock.now();
    const fields = {
      sv: SAS_VERSION,
      sr: blob === undefined ? "c" : "b",
      sp: permissions,
      st: isoSeconds(now - 5 * 60 * 1000),
      se: isoSeconds(now + ttlMs),
      spr: "https",
    };
    const sig = this.#sign(fields, container, blob);
    return new URLSearchParams({ ...fields, sig }).toString();
  }

  verifySas(query: URLSearchParams, container: string, blob: string | undefined, needed: SasPermission): SasCheck {
    const sig = query.get("sig");
    if (sig === null) {
      return { ok: false, status: 403, code: "AuthenticationFailed", detail: "The emulator's blob routes accept SAS-authorised requests only, and this request has no SAS signature." };
    }
    const fields = { sv: query.get("sv") ?? "", sr: query.get("sr") ?? "", sp: query.get("sp") ?? "", st: query.get("st") ?? "", se: query.get("se") ?? "", spr: query.get("spr") ?? "" };
    const scopedBlob = fields.sr === "b" ? blob : undefined;
    if (fields.sr !== "c" && fields.sr !== "b") return { ok: false, status: 403, code: "AuthenticationFailed", detail: "Signed resource (sr) must be c or b." };
    const expected = Buffer.from(this.#sign(fields, container, scopedBlob));
    const given = Buffer.from(sig);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      return { ok: false, status: 403, code: "AuthenticationFailed", detail: "Signature did not match (the SAS was issued for another container or blob, was altered, or comes from another emulator instance)." };
    }
    const now = this.#clock.now();
    if (Date.parse(fields.se) <= now) return { ok: false, status: 403, code: "AuthenticationFailed", detail: "Signed expiry time (se) has passed." };
    if (fields.st !== "" && Date.parse(fields.st) > now) return { ok: false, status: 403, code: "AuthenticationFailed", detail: "Signed start time (st) is in the future." };
    if (!fields.sp.includes(needed) && !(needed === "c" && fields.sp.includes("w"))) {
      return { ok: false, status: 403, code: "AuthorizationPermissionMismatch", detail: `This request needs SAS permission '${needed}'; the SAS grants '${fields.sp}'.` };
    }
    return { ok: true };
  }

  #sign(fields: { sv: string; sr: string; sp: string; st: string; se: string; spr: string }, container: string, blob: string | undefined): string {
    const resource = `/blob/${this.account}/${container}${blob === undefined ? "" : `/${blob}`}`;
    const text = [fields.sp, fields.st, fields.se, resource, fields.spr, fields.sv, fields.sr].join("\n");
    return createHmac("sha256", this.#key).update(text, "utf8").digest("base64");
  }
}
