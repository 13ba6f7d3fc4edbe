/** Building frozen models from loaded values under exactOptionalPropertyTypes. */

/** `T` with `undefined` allowed where `T` is optional, before `cleaned` drops those keys. */
export type Loose<T> = T extends unknown ? { [K in keyof T]: T[K] | (undefined extends T[K] ? undefined : never) } : never;

/** A copy without undefined fields, recursively through plain objects. */
export function cleaned<T>(value: Loose<T>): T {
  return strip(value) as T;
}

function strip(value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (field !== undefined) out[key] = strip(field);
  return out;
}

/** Cleans, then deep-freezes. */
export function deepFreezeModel<T>(value: Loose<T>): T {
  return freeze(cleaned<T>(value));
}

function freeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const field of Object.values(value)) freeze(field);
  }
  return value;
}
