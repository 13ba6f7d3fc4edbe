/**
 * Reading one YAML mapping into model fields: each accessor checks the value's type and reports
 * PW3106 (wrong type) or PW3107 (missing) at the key; `rest()` returns the keys nobody read,
 * verbatim, as the model's `extra`, warning PW3108 for keys Azure does not define.
 */
import type { Extra, Scalar } from "@pipewright/dsl";
import { describe, type FileScope } from "./context.js";
import type { KeyPath } from "./source.js";

export type YamlMap = Record<string, unknown>;

export function isMap(value: unknown): value is YamlMap {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export class MapReader {
  private readonly used = new Set<string>();

  constructor(
    readonly scope: FileScope,
    readonly value: YamlMap,
    readonly path: KeyPath,
  ) {}

  has(key: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.value, key);
  }

  /** The raw value, marked as read. */
  take(key: string): unknown {
    this.used.add(key);
    return this.has(key) ? this.value[key] : undefined;
  }

  /** Marks keys as read without using them (e.g. dropped `$schema`). */
  skip(...keys: string[]): void {
    for (const key of keys) this.used.add(key);
  }

  child(key: string): KeyPath {
    return [...this.path, key];
  }

  wrongType(key: string, expected: string, value: unknown): void {
    this.scope.report("PW3106", `'${key}' must be ${expected}, but it is ${describe(value)}.`, this.child(key), "value");
  }

  missing(key: string, what: string): void {
    this.scope.report("PW3107", `'${key}' is required: ${what}.`, this.path);
  }

  string(key: string, options: { required?: string } = {}): string | undefined {
    const value = this.take(key);
    if (value === undefined || value === null) {
      if (options.required) this.missing(key, options.required);
      return undefined;
    }
    if (typeof value === "string") return value;
    this.wrongType(key, "a string", value);
    return undefined;
  }

  /** A string, or a number written as one (e.g. `version: 1`), kept as the text written. */
  stringish(key: string): string | undefined {
    const value = this.take(key);
    if (value === undefined || value === null) return undefined;
    if (typeof value === "string") return value;
    if (typeof value === "number") return numberAsPythonText(value, this.scope.source.sourceText(this.child(key)));
    this.wrongType(key, "a string or a number", value);
    return undefined;
  }

  boolean(key: string): boolean | undefined {
    const value = this.take(key);
    if (value === undefined || value === null) return undefined;
    if (typeof value === "boolean") return value;
    this.wrongType(key, "true or false", value);
    return undefined;
  }

  integer(key: string): number | undefined {
    const value = this.take(key);
    if (value === undefined || value === null) return undefined;
    if (typeof value === "number" && Number.isInteger(value)) return value;
    this.wrongType(key, "an integer", value);
    return undefined;
  }

  number(key: string): number | undefined {
    const value = this.take(key);
    if (value === undefined || value === null) return undefined;
    if (typeof value === "number") return value;
    this.wrongType(key, "a number", value);
    return undefined;
  }

  scalar(key: string): Scalar | undefined {
    const value = this.take(key);
    if (value === undefined || value === null) return undefined;
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
    this.wrongType(key, "a string, number or boolean", value);
    return undefined;
  }

  map(key: string): YamlMap | undefined {
    const value = this.take(key);
    if (value === undefined || value === null) return undefined;
    if (isMap(value)) return value;
    this.wrongType(key, "a mapping", value);
    return undefined;
  }

  /** A mapping whose values are strings (tags, environment variables); numbers are kept as text. */
  stringMap(key: string): Record<string, string> | undefined {
    const value = this.map(key);
    if (!value) return undefined;
    const out: Record<string, string> = {};
    let ok = true;
    for (const [name, item] of Object.entries(value)) {
      if (typeof item === "string") out[name] = item;
      else if (typeof item === "number" || typeof item === "boolean") out[name] = String(item);
      else {
        ok = false;
        this.scope.report("PW3106", `'${key}.${name}' must be a string, but it is ${describe(item)}.`, [...this.child(key), name], "value");
      }
    }
    // `tags: {}` sets nothing: kept as absent, the way the emitter writes it.
    return ok && Object.keys(out).length > 0 ? out : undefined;
  }

  stringList(key: string): string[] | undefined {
    const value = this.take(key);
    if (value === undefined || value === null) return undefined;
    if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value as string[];
    this.wrongType(key, "a list of strings", value);
    return undefined;
  }

  /**
   * Every key not read so far, verbatim. Keys in `known` are Azure fields pipewright keeps
   * without modelling; any other key gets a PW3108 warning (Azure accepts many silently).
   */
  rest(known: readonly string[], where: string, options: { silent?: boolean } = {}): Extra | undefined {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(this.value)) {
      if (this.used.has(key)) continue;
      out[key] = this.value[key];
      if (!options.silent && !known.includes(key)) {
        const hint = closest(key, [...known, ...this.used]);
        this.scope.report(
          "PW3108",
          `Unknown key '${key}' in ${where}; it is kept as written, but Azure ML may ignore it.` +
            (hint ? ` Did you mean '${hint}'?` : ""),
          this.child(key),
        );
      }
    }
    return Object.keys(out).length ? out : undefined;
  }
}

/** The known key closest to a misspelling, when it is plausibly a typo. */
function closest(key: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === key) continue;
    const distance = editDistance(key, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(key.length / 4)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return Infinity;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? Infinity;
}

/** Copies the defined fields only: exactOptionalPropertyTypes forbids explicit undefined. */
export function defined<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (field !== undefined) out[key] = field;
  return out as T;
}

/**
 * A number as Azure turns it into a version string (Python's str()): `1` -> "1", `01` -> "1"
 * (YAML 1.1 octal), `1.0` -> "1.0" (a float keeps its point).
 */
export function numberAsPythonText(value: number, written: string | undefined): string {
  if (Number.isInteger(value) && written !== undefined && /^[-+]?(\d[\d_]*)?\.\d*([eE][-+]?\d+)?$/.test(written.trim())) return `${value}.0`;
  return String(value);
}
