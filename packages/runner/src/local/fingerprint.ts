/**
 * A step's reuse fingerprint, kept in parts so `runs show --why` can say which part changed:
 * component definition, code content, environment, environment variables, each input (value or
 * content hash) and the output settings.
 */
import type { CommandComponentModel } from "@pipewright/dsl";
import { canonicalJson, sha256 } from "./content-hash.js";
import type { PlannedStep } from "./plan-types.js";

export interface FingerprintParts {
  readonly component: string;
  readonly code: string;
  readonly environment: string;
  readonly environmentVariables: string;
  readonly outputs: string;
  /** Per input: `value <type> <text>`, `sha256:...` of its content, or `unset`. */
  readonly inputs: Readonly<Record<string, string>>;
}

const componentHashes = new WeakMap<CommandComponentModel, string>();

/** The component as it defines behaviour: without where it was declared. */
export function componentHash(component: CommandComponentModel): string {
  const known = componentHashes.get(component);
  if (known) return known;
  const { location: _location, baseDir: _baseDir, code: _code, ...definition } = component;
  const hash = `sha256:${sha256(canonicalJson(definition))}`;
  componentHashes.set(component, hash);
  return hash;
}

export function fingerprintParts(step: PlannedStep, codeHash: string, inputs: Readonly<Record<string, string>>): FingerprintParts {
  return {
    component: componentHash(step.component),
    code: codeHash,
    environment: canonicalJson(step.environment ?? null),
    environmentVariables: canonicalJson(step.environmentVariables),
    outputs: canonicalJson(step.outputs),
    inputs,
  };
}

/** The fingerprint, and the parts as stored with the step (the canonical JSON that was hashed). */
export function fingerprintOf(parts: FingerprintParts): { fingerprint: string; partsJson: string } {
  const partsJson = canonicalJson(parts);
  return { fingerprint: `sha256:${sha256(partsJson)}`, partsJson };
}

/** Sentences naming what differs between an earlier fingerprint and this one. */
export function fingerprintChanges(before: FingerprintParts, after: FingerprintParts): string[] {
  const changes: string[] = [];
  if (before.component !== after.component) changes.push("the component definition changed (command, ports, version or settings)");
  if (before.code !== after.code) changes.push(`the code changed (${short(before.code)} -> ${short(after.code)})`);
  if (before.environment !== after.environment) changes.push(`the environment changed (${before.environment} -> ${after.environment})`);
  if (before.environmentVariables !== after.environmentVariables) {
    changes.push(`the environment variables changed (${before.environmentVariables} -> ${after.environmentVariables})`);
  }
  if (before.outputs !== after.outputs) changes.push("the output settings changed");
  const names = new Set([...Object.keys(before.inputs), ...Object.keys(after.inputs)]);
  for (const name of [...names].sort()) {
    const a = before.inputs[name] ?? "absent";
    const b = after.inputs[name] ?? "absent";
    if (a === b) continue;
    if (a.startsWith("sha256:") && b.startsWith("sha256:")) changes.push(`input '${name}' content changed (${short(a)} -> ${short(b)})`);
    else changes.push(`input '${name}' changed (${short(a)} -> ${short(b)})`);
  }
  return changes;
}

function short(text: string): string {
  return text.startsWith("sha256:") ? `sha256:${text.slice(7, 19)}` : text;
}
