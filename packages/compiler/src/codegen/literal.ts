/**
 * Plain data as TypeScript source, formatted the way a person would write it: short objects on
 * one line, longer ones one property per line. `Code` values are written verbatim.
 */
import { propertyKey } from "./names.js";

export class Code {
  constructor(readonly text: string) {}
}

export function code(text: string): Code {
  return new Code(text);
}

const WIDTH = 100;

/** `value` as a TypeScript expression, continuing at `indent` (the current line's indentation). */
export function literal(value: unknown, indent = ""): string {
  if (value instanceof Code) return value.text.split("\n").join(`\n${indent}`);
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "Number.NaN";
  if (typeof value === "boolean") return String(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const flat = `[${value.map((item) => literal(item, indent)).join(", ")}]`;
    if (fits(flat, indent)) return flat;
    return `[\n${value.map((item) => `${inner}${literal(item, inner)},`).join("\n")}\n${indent}]`;
  }
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
    if (entries.length === 0) return "{}";
    const flat = `{ ${entries.map(([key, item]) => `${propertyKey(key)}: ${literal(item, indent)}`).join(", ")} }`;
    if (fits(flat, indent)) return flat;
    return `{\n${entries.map(([key, item]) => `${inner}${propertyKey(key)}: ${literal(item, inner)},`).join("\n")}\n${indent}}`;
  }
  return JSON.stringify(String(value));
}

function fits(text: string, indent: string): boolean {
  return !text.includes("\n") && indent.length + text.length <= WIDTH;
}
