/**
 * Primitive values as Azure ML passes them: the SDK sends every literal as `str(value)`, so a
 * boolean reaches the command as `True`/`False` and a number as its decimal text.
 */
import type { Scalar } from "@pipewright/dsl";

/** Coerces a value to a primitive port type; undefined when it does not fit. */
export function coercePrimitive(type: string, value: Scalar): Scalar | undefined {
  switch (type) {
    case "integer": {
      if (typeof value === "number") return Number.isInteger(value) ? value : undefined;
      if (typeof value === "string" && /^[+-]?\d+$/.test(value.trim())) return Number(value.trim());
      return undefined;
    }
    case "number": {
      if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
      if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
      return undefined;
    }
    case "boolean": {
      if (typeof value === "boolean") return value;
      if (typeof value === "string" && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === "true";
      return undefined;
    }
    case "string":
      return typeof value === "string" ? value : renderValue(value);
    default:
      return value;
  }
}

/**
 * A value typed on a command line (`--set x=5`) for a port of unknown type: integer, then
 * number, then the text itself, then boolean, the order the Azure ML SDK tries for bare scalars.
 */
export function parseScalar(text: string): Scalar {
  if (/^[+-]?\d+$/.test(text)) return Number(text);
  if (text.trim() !== "" && Number.isFinite(Number(text))) return Number(text);
  return text;
}

/** The text a value becomes in a command: Python's `str()` of the value. */
export function renderValue(value: Scalar): string {
  if (typeof value === "boolean") return value ? "True" : "False";
  return String(value);
}
