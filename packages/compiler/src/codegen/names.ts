/** TypeScript names for YAML names: identifiers that never clash, property keys quoted only when needed. */

const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "yield let static implements interface package private protected public await async of arguments eval undefined " +
    "NaN Infinity Object Array String Number Boolean Symbol Promise Error Map Set"
  ).split(" "),
);

/** `train_model`, `r-iris-example` -> `trainModel`, `rIrisExample`; always a valid identifier. */
export function camelIdentifier(name: string): string {
  const parts = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  let out = parts
    .map((part, index) => (index === 0 ? part.charAt(0).toLowerCase() + part.slice(1) : part.charAt(0).toUpperCase() + part.slice(1)))
    .join("");
  if (out === "") out = "unnamed";
  if (/^[0-9]/.test(out)) out = `_${out}`;
  return out;
}

/** Hands out identifiers, each once: a taken or reserved name gets a numeric suffix. */
export class NameScope {
  private readonly taken: Set<string>;

  constructor(taken: Iterable<string> = []) {
    this.taken = new Set(taken);
  }

  /** `base`, or when it is reserved `base` + `suffix`, then numbered until free. */
  claim(base: string, suffix = "Component"): string {
    const start = RESERVED.has(base) ? `${base}${suffix}` : base;
    let name = start;
    for (let n = 2; RESERVED.has(name) || this.taken.has(name); n++) name = `${start}${n}`;
    this.taken.add(name);
    return name;
  }

  has(name: string): boolean {
    return this.taken.has(name);
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** An object key as written in TypeScript: bare when it is an identifier, else a string literal. */
export function propertyKey(key: string): string {
  return IDENTIFIER.test(key) ? key : JSON.stringify(key);
}

/** Property access: `a.b`, or `a["b-c"]`. */
export function member(object: string, key: string): string {
  return IDENTIFIER.test(key) ? `${object}.${key}` : `${object}[${JSON.stringify(key)}]`;
}
