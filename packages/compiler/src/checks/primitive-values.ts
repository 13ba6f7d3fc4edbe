/**
 * Whether a value fits a port: its kind, min, max and enum. Shared by the default check (PW1005)
 * and the bound-literal check (PW2007). Azure passes every value to the command line as text, and
 * YAML files quote values or leave them bare as they please, so: strings that read exactly as
 * the kind (`"5"` for an integer, `"true"` for a boolean) are accepted, and a string input takes
 * any scalar (`default: True` with `enum: ['True', 'False']`, corpus: image_classification_with_densenet).
 */
import { isDataKind, type InputPortModel } from "@pipewright/dsl";

/**
 * Why `value` does not fit `port`, as a phrase; undefined when it fits or cannot be judged.
 * `withEnum: false` leaves the enum to `enumProblem`.
 */
export function valueProblem(port: InputPortModel, value: unknown, withEnum = true): string | undefined {
  const kind = port.type;
  if (isDataKind(kind) || kind === "path") {
    return typeof value === "string" ? undefined : `a ${kind} value is a path or URI string, not ${describe(value)}`;
  }
  let numeric: number | undefined;
  switch (kind) {
    case "string":
      if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
        return `a string input takes text, not ${describe(value)}`;
      }
      break;
    case "boolean":
      if (typeof value === "boolean") break;
      if (typeof value === "string" && /^(true|false)$/i.test(value)) break;
      return `a boolean input takes true or false, not ${describe(value)}`;
    case "integer":
      numeric = asNumber(value);
      if (numeric === undefined || !Number.isInteger(numeric)) {
        return `an integer input takes a whole number, not ${describe(value)}`;
      }
      break;
    case "number":
      numeric = asNumber(value);
      if (numeric === undefined) return `a number input takes a number, not ${describe(value)}`;
      break;
    default:
      return undefined;
  }
  if (numeric !== undefined) {
    const min = bound(port.min);
    const max = bound(port.max);
    if (min !== undefined && numeric < min) return `${numeric} is below the minimum ${min}`;
    if (max !== undefined && numeric > max) return `${numeric} is above the maximum ${max}`;
  }
  return withEnum ? enumProblem(port, value) : undefined;
}

/** Why `value` is not one of the port's `enum` values; undefined when it is or there is none. */
export function enumProblem(port: InputPortModel, value: unknown): string | undefined {
  if (port.enum !== undefined && port.enum.length > 0 && !port.enum.some((allowed) => sameText(allowed, value))) {
    return `${describe(value)} is not one of ${port.enum.map((allowed) => JSON.stringify(allowed)).join(", ")}`;
  }
  return undefined;
}

/** Equal as command-line text; a boolean also matches Python's spelling (`True`), as the SDK writes it. */
function sameText(allowed: unknown, value: unknown): boolean {
  if (String(allowed) === String(value)) return true;
  return typeof value === "boolean" && String(allowed) === (value ? "True" : "False");
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "string" && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

function bound(limit: number | string | undefined): number | undefined {
  if (limit === undefined) return undefined;
  const value = typeof limit === "number" ? limit : Number(limit);
  return Number.isFinite(value) ? value : undefined;
}

export function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}
