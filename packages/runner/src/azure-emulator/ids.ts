import { createHash } from "node:crypto";

/** A UUID-shaped string derived from text, so the same input always names the same thing. */
export function uuidFrom(text: string): string {
  const hex = createHash("sha256").update(text).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Hands out reproducible ids: the n-th id of a given kind is the same in every run. */
export class IdSource {
  readonly #seed: string;
  #counter = 0;

  constructor(seed: string) {
    this.#seed = seed;
  }

  uuid(kind: string): string {
    this.#counter += 1;
    return uuidFrom(`${this.#seed}/${kind}/${this.#counter}`);
  }

  /** Lower-case hex, usable in storage container names. */
  hex(kind: string, length: number): string {
    return this.uuid(kind).replaceAll("-", "").slice(0, length);
  }
}

/** mulberry32: a tiny seeded PRNG; fault injection by rate must be reproducible from a seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
