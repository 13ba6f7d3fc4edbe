/** JSON with object keys sorted at every level, and hashes of it: the basis of idempotent versions. */
import { createHash } from "node:crypto";

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const field = (value as Record<string, unknown>)[key];
      if (field !== undefined) out[key] = sortKeys(field);
    }
    return out;
  }
  return value;
}

/** MD5 of the text as an 8-4-4-4-12 UUID string, the way the Python SDK versions anonymous components. */
export function md5Uuid(text: string): string {
  const hex = createHash("md5").update(text, "utf8").digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** A UUID-shaped name from a hex digest (first 128 bits): stable names for content-addressed assets. */
export function uuidFromHex(hex: string): string {
  const h = hex.padEnd(32, "0");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
