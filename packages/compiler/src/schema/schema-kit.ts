// Small zod helpers shared by the Azure ML schemas: dispatch on the shape of a YAML value,
// enums that ignore case the way Azure does, and issues flattened to one path per problem.
import { z } from "zod";
import { isRecord } from "./patterns.js";

/** A schema that only checks; what it parses to is never used. */
export type Check = z.ZodType<unknown>;

/** How hard the schemas judge a document. */
export interface SchemaMode {
  /**
   * `false` (Azure): accept what Azure ML loads, including the unknown keys it keeps or drops
   * silently (component top level, nodes, settings, resources, distribution, primitive outputs),
   * service-written fields and enum values in any case where Azure lower-cases them.
   * `true` (emitted files): every typed object is closed, enums must be lowercase, and keys
   * Azure would ignore (`environment_variables` on a component, `settings` on a pipeline
   * component, dump-only fields such as `id`) are rejected.
   */
  readonly strict: boolean;
}

export interface SchemaIssue {
  readonly segments: ReadonlyArray<string | number>;
  readonly message: string;
}

export type ValueShape = "string" | "number" | "boolean" | "null" | "object" | "array" | "missing";

export function shapeOf(value: unknown): ValueShape {
  if (value === undefined) return "missing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "string") return "string";
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "boolean";
  return "object";
}

export function describeValue(value: unknown): string {
  const shape = shapeOf(value);
  if (shape === "string") return `the string ${JSON.stringify(value)}`;
  if (shape === "number" || shape === "boolean") return `${shape} ${String(value)}`;
  if (shape === "object") return "a mapping";
  if (shape === "array") return "a list";
  return shape === "null" ? "an empty value (null)" : "nothing";
}

function toSegments(path: ReadonlyArray<PropertyKey>): Array<string | number> {
  return path.map((segment) => (typeof segment === "number" ? segment : String(segment)));
}

const EXPECTED_TEXT: Readonly<Record<string, string>> = {
  record: "a mapping",
  object: "a mapping",
  array: "a list",
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "a boolean",
};

function invalidTypeMessage(expected: string, input: unknown): string {
  const text = EXPECTED_TEXT[expected] ?? expected;
  return input === undefined ? `required: ${text}` : `expected ${text}, got ${describeValue(input)}`;
}

/** One issue per problem, with the offending key in the path (zod reports unknown keys on the parent). */
export function flattenIssues(issues: ReadonlyArray<z.core.$ZodIssue>): SchemaIssue[] {
  const out: SchemaIssue[] = [];
  for (const issue of issues) {
    const segments = toSegments(issue.path);
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) out.push({ segments: [...segments, key], message: `unknown key "${key}"` });
    } else if (issue.code === "invalid_key") {
      const inner = issue.issues[0];
      out.push({ segments, message: `invalid key: ${inner ? inner.message : issue.message}` });
    } else if (issue.code === "invalid_type") {
      out.push({ segments, message: invalidTypeMessage(issue.expected, issue.input) });
    } else {
      out.push({ segments, message: issue.message });
    }
  }
  return out;
}

/** Runs a schema and returns its flattened issues (none when the value passes). */
export function checkValue(schema: Check, value: unknown): SchemaIssue[] {
  const result = schema.safeParse(value, { reportInput: true });
  return result.success ? [] : flattenIssues(result.error.issues);
}

type RefinementCtx = z.core.$RefinementCtx<unknown>;

/** Runs `schema` on `value` and re-reports its issues under `prefix`, relative to the current path. */
export function forward(ctx: RefinementCtx, schema: Check, value: unknown, prefix: ReadonlyArray<string | number> = []): void {
  for (const issue of checkValue(schema, value)) {
    ctx.addIssue({ code: "custom", message: issue.message, path: [...prefix, ...issue.segments] });
  }
}

export function report(ctx: RefinementCtx, message: string, path: ReadonlyArray<string | number> = []): void {
  ctx.addIssue({ code: "custom", message, path: [...path] });
}

/** A check written as a function; it reports through `ctx`. */
export function custom(check: (value: unknown, ctx: RefinementCtx) => void): Check {
  return z.unknown().superRefine((value, ctx) => check(value, ctx));
}

/** Picks the schema by the YAML shape of the value; `expected` names the accepted forms in errors. */
export function byShape(cases: Partial<Record<ValueShape, Check>>, expected: string): Check {
  return custom((value, ctx) => {
    const schema = cases[shapeOf(value)];
    if (schema) forward(ctx, schema, value);
    else if (value === undefined) report(ctx, `required: ${expected}`);
    else report(ctx, `expected ${expected}, got ${describeValue(value)}`);
  });
}

/** A string enum. Azure lower-cases most enum fields before checking; ports are case-sensitive. */
export function oneOf(values: ReadonlyArray<string>, mode: SchemaMode, options: { readonly caseSensitive?: boolean } = {}): Check {
  const ignoreCase = !mode.strict && options.caseSensitive !== true;
  const list = values.map((v) => JSON.stringify(v)).join(", ");
  return custom((value, ctx) => {
    if (typeof value !== "string") {
      report(ctx, `expected one of ${list}, got ${describeValue(value)}`);
      return;
    }
    const candidate = ignoreCase ? value.toLowerCase() : value;
    if (!values.includes(candidate)) report(ctx, `expected one of ${list}, got ${JSON.stringify(value)}`);
  });
}

/** Lower-cased string value of `key` if it is a string, for dispatching on `type` or `task`. */
export function tagOf(value: Record<string, unknown>, key: string): string | undefined {
  const tag = value[key];
  return typeof tag === "string" ? tag.toLowerCase() : undefined;
}

/** An object whose keys Azure checks: unknown keys are errors in both modes. */
export function closedObject(shape: Record<string, Check>): Check {
  return z.strictObject(shape);
}

/** An object whose unknown keys Azure keeps (or drops silently): accepted unless strict. */
export function openObject(shape: Record<string, Check>, mode: SchemaMode): Check {
  return mode.strict ? z.strictObject(shape) : z.looseObject(shape);
}

/** Fields Azure accepts on load and drops (service-written); not allowed in emitted files. */
export function dumpOnly(keys: ReadonlyArray<string>, mode: SchemaMode): Record<string, Check> {
  const shape: Record<string, Check> = {};
  if (!mode.strict) for (const key of keys) shape[key] = z.unknown().optional();
  return shape;
}

/** Accepts a `${{ ... }}` data-binding string in place of the value (nodes bind most fields). */
export function orBinding(schema: Check): Check {
  return custom((value, ctx) => {
    if (typeof value === "string" && value.includes("${{")) return;
    forward(ctx, schema, value);
  });
}

export function mapOf(key: Check, value: Check): Check {
  return custom((input, ctx) => {
    if (!isRecord(input)) {
      report(ctx, `expected a mapping, got ${describeValue(input)}`);
      return;
    }
    for (const [k, v] of Object.entries(input)) {
      for (const issue of checkValue(key, k)) report(ctx, `invalid key "${k}": ${issue.message}`, [k]);
      forward(ctx, value, v, [k]);
    }
  });
}

export const str: Check = z.string();
export const nonEmptyString: Check = z.string().min(1, "must not be empty");
export const bool: Check = z.boolean();
export const int: Check = z.number().int();
export const num: Check = z.number();
export const stringList: Check = z.array(z.string());
export const stringMap: Check = z.record(z.string(), z.string());
export const anyMap: Check = z.record(z.string(), z.unknown());
/** String or integer `version`; Azure turns numbers into strings on load. */
export const versionValue: Check = byShape({ string: str, number: num }, "a version string or number");

export function matching(pattern: RegExp, message: string): Check {
  return z.string().regex(pattern, message);
}

export function optional(shape: Record<string, Check>): Record<string, Check> {
  const out: Record<string, Check> = {};
  for (const [key, schema] of Object.entries(shape)) out[key] = schema.optional();
  return out;
}
