/**
 * Secret values for credentials (datastore keys, SAS tokens, client secrets, passwords). The
 * model never holds a secret as text: it holds where the value comes from, and the runner reads
 * it only when the resource is created. A literal passed where a reference belongs is dropped on
 * the spot and recorded as an inline secret, which the compiler reports (and never prints).
 */
import type { SourceLocation } from "../location.js";

/** Where a secret is read from at creation time: an environment variable or a named source. */
export interface SecretRef {
  readonly kind: "secret";
  /** `env` for an environment variable; any other name is a secret source the runner knows. */
  readonly source: string;
  /** The variable's name, or the secret's name inside its source. */
  readonly name: string;
}

/** A credential that was written as a literal. Its value was discarded, never stored. */
export interface InlineSecret {
  readonly kind: "inline_secret";
  readonly location?: SourceLocation;
}

export type CredentialValue = SecretRef | InlineSecret;

/** Builders for secret references: `secret.env("BLOB_KEY")`, `secret.from("keyvault", "blob-key")`. */
export const secret = {
  /** Read from the environment variable `name` when the resource is created. */
  env(name: string): SecretRef {
    return Object.freeze({ kind: "secret", source: "env", name });
  },
  /** Read `name` from the named secret source (resolved by the runner, e.g. a key vault). */
  from(source: string, name: string): SecretRef {
    return Object.freeze({ kind: "secret", source, name });
  },
} as const;

export function isSecretRef(value: unknown): value is SecretRef {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Partial<SecretRef>;
  return candidate.kind === "secret" && typeof candidate.source === "string" && typeof candidate.name === "string";
}

/**
 * A secret reference as given, or an inline-secret marker for anything else (a plain string
 * slipped past the types): the value itself is never kept.
 */
export function toCredentialValue(value: unknown, location: SourceLocation | undefined): CredentialValue {
  if (isSecretRef(value)) return Object.freeze({ kind: "secret", source: value.source, name: value.name });
  return Object.freeze(location === undefined ? { kind: "inline_secret" } : { kind: "inline_secret", location });
}

const PLACEHOLDER = /^<secret:([A-Za-z][A-Za-z0-9_-]*):([^<>\s]+)>$/;

/**
 * How a secret reference is written in emitted YAML: `<secret:env:BLOB_KEY>`. Not a value Azure
 * accepts, so a file created without the runner filling it in fails loudly instead of creating
 * a datastore with a wrong key.
 */
export function secretPlaceholder(ref: SecretRef): string {
  return `<secret:${ref.source}:${ref.name}>`;
}

/** The reference a placeholder written by `secretPlaceholder` stands for, or undefined. */
export function tryParseSecretPlaceholder(text: string): SecretRef | undefined {
  const match = PLACEHOLDER.exec(text);
  if (!match) return undefined;
  return secret.from(match[1] ?? "", match[2] ?? "");
}
