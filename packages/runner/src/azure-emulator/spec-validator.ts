// A focused Swagger 2.0 schema validator for the Azure ML spec: types, required, enum, properties,
// additionalProperties, allOf (merged before additionalProperties applies, as AutoRest and oav do),
// $ref across files, discriminators (`x-ms-discriminator-value`), x-nullable, readOnly (ignored in
// requests, allowed in responses), string/number/array bounds, pattern and a few formats.
// Written here rather than pulled in because generic JSON-Schema validators reject valid AutoRest
// bodies (allOf members checked one by one against `additionalProperties: false`).
import { isJsonObject, jsonTypeOf, type Json, type JsonObject } from "./json.js";
import type { SchemaAt, SpecDocuments } from "./spec-documents.js";

export interface SpecIssue {
  /** oav-style code, e.g. OBJECT_MISSING_REQUIRED_PROPERTY. */
  readonly code: string;
  /** Where in the body (or which parameter): `properties.inputs.lr.value`. */
  readonly path: string;
  readonly message: string;
}

export type ValidationMode = "request" | "response";

interface FlatSchema {
  readonly name: string | undefined;
  readonly properties: Map<string, SchemaAt>;
  readonly required: Set<string>;
  readonly additionalProperties: boolean | SchemaAt | undefined;
  readonly discriminator: string | undefined;
  readonly isObject: boolean;
}

const FORMAT_CHECKS: Record<string, (value: string) => boolean> = {
  "date-time": (v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/i.test(v),
  uuid: (v) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
  uri: (v) => URL.canParse(v),
  duration: (v) => /^-?P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/.test(v) || /^(\d+\.)?\d{1,2}:\d{2}:\d{2}(\.\d+)?$/.test(v),
};

function describe(value: Json): string {
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

export class SpecValidator {
  readonly docs: SpecDocuments;
  readonly #flat = new WeakMap<JsonObject, FlatSchema>();
  readonly #patterns = new Map<string, RegExp | null>();

  constructor(docs: SpecDocuments) {
    this.docs = docs;
  }

  /** Validates `value` against a schema; returns every issue found (empty when valid). */
  validate(at: SchemaAt, value: Json, mode: ValidationMode, path = ""): SpecIssue[] {
    const issues: SpecIssue[] = [];
    this.#check(at, value, path, mode, issues, false, false);
    return issues;
  }

  /** Validates against a named definition of the main document (e.g. "JobBaseResource"). */
  validateDefinition(name: string, value: Json, mode: ValidationMode): SpecIssue[] {
    return this.validate(this.docs.definition(this.docs.mainFile, name), value, mode);
  }

  #check(at: SchemaAt, value: Json, path: string, mode: ValidationMode, issues: SpecIssue[], skipDiscriminator: boolean, nullableOuter: boolean): void {
    const nullable = nullableOuter || at.schema["x-nullable"] === true;
    const target = this.docs.deref(at);
    const schema = target.schema;
    if (value === null) {
      if (nullable || schema["x-nullable"] === true) return;
      issues.push({ code: "INVALID_TYPE", path, message: `Expected type ${this.#typeName(target)} but found type null` });
      return;
    }
    const flat = this.#flatten(target);
    if (flat.discriminator !== undefined && !skipDiscriminator && isJsonObject(value)) {
      this.#checkPolymorphic(target, flat, value, path, mode, issues);
      return;
    }
    const type = typeof schema["type"] === "string" ? schema["type"] : flat.isObject ? "object" : undefined;
    const actual = jsonTypeOf(value);
    const typeMatches =
      type === undefined ||
      type === actual ||
      (type === "number" && actual === "integer") ||
      (type === "integer" && actual === "number" && Number.isInteger(value));
    if (!typeMatches) {
      issues.push({ code: "INVALID_TYPE", path, message: `Expected type ${type} but found type ${actual}` });
      return;
    }
    const secret = at.schema["x-ms-secret"] === true || schema["x-ms-secret"] === true;
    const allowed = schema["enum"];
    if (Array.isArray(allowed) && !allowed.some((item) => item === value)) {
      const shown = secret ? "(secret value)" : describe(value);
      issues.push({ code: "ENUM_MISMATCH", path, message: `No enum match for: ${shown}; allowed: ${allowed.map((a) => JSON.stringify(a)).join(", ")}` });
    }
    if (typeof value === "string") this.#checkString(schema, value, path, issues, secret);
    else if (typeof value === "number") this.#checkNumber(schema, value, path, issues);
    else if (Array.isArray(value)) this.#checkArray(target, value, path, mode, issues);
    else if (isJsonObject(value)) this.#checkObject(flat, value, path, mode, issues);
  }

  #checkPolymorphic(base: SchemaAt, flat: FlatSchema, value: JsonObject, path: string, mode: ValidationMode, issues: SpecIssue[]): void {
    const property = flat.discriminator ?? "";
    const kind = value[property];
    const subtypes = this.docs.subtypes(base);
    if (kind === undefined) {
      issues.push({ code: "OBJECT_MISSING_REQUIRED_PROPERTY", path, message: `Missing required property: ${property} (the discriminator of ${base.name ?? "this object"})` });
      return;
    }
    if (typeof kind !== "string") {
      issues.push({ code: "INVALID_TYPE", path: join(path, property), message: `Expected type string but found type ${jsonTypeOf(kind)}` });
      return;
    }
    const ownValue = base.schema["x-ms-discriminator-value"] ?? base.name;
    const subtype = subtypes.get(kind) ?? (kind === ownValue ? base : undefined);
    if (subtype === undefined) {
      const known = [...subtypes.keys()].map((k) => JSON.stringify(k)).join(", ");
      issues.push({ code: "DISCRIMINATOR_VALUE_NOT_FOUND", path: join(path, property), message: `Discriminator value ${describe(kind)} is not a known ${base.name ?? "subtype"}; allowed: ${known}` });
      return;
    }
    this.#check(subtype, value, path, mode, issues, true, false);
  }

  #checkString(schema: JsonObject, value: string, path: string, issues: SpecIssue[], secret: boolean): void {
    const min = schema["minLength"];
    const max = schema["maxLength"];
    if (typeof min === "number" && value.length < min) {
      issues.push({ code: "MIN_LENGTH", path, message: `String is too short (${value.length} chars), minimum ${min}` });
    }
    if (typeof max === "number" && value.length > max) {
      issues.push({ code: "MAX_LENGTH", path, message: `String is too long (${value.length} chars), maximum ${max}` });
    }
    const pattern = schema["pattern"];
    if (typeof pattern === "string") {
      const regex = this.#pattern(pattern);
      if (regex && !regex.test(value)) {
        const shown = secret ? "(secret value)" : describe(value);
        issues.push({ code: "PATTERN", path, message: `String ${shown} does not match pattern ${pattern}` });
      }
    }
    const format = schema["format"];
    const check = typeof format === "string" ? FORMAT_CHECKS[format] : undefined;
    if (check && !check(value)) {
      issues.push({ code: "INVALID_FORMAT", path, message: `Object didn't pass validation for format ${String(format)}` });
    }
  }

  #checkNumber(schema: JsonObject, value: number, path: string, issues: SpecIssue[]): void {
    const min = schema["minimum"];
    const max = schema["maximum"];
    if (typeof min === "number" && (schema["exclusiveMinimum"] === true ? value <= min : value < min)) {
      issues.push({ code: "MINIMUM", path, message: `Value ${value} is less than minimum ${min}` });
    }
    if (typeof max === "number" && (schema["exclusiveMaximum"] === true ? value >= max : value > max)) {
      issues.push({ code: "MAXIMUM", path, message: `Value ${value} is greater than maximum ${max}` });
    }
  }

  #checkArray(at: SchemaAt, value: Json[], path: string, mode: ValidationMode, issues: SpecIssue[]): void {
    const { schema } = at;
    const min = schema["minItems"];
    const max = schema["maxItems"];
    if (typeof min === "number" && value.length < min) {
      issues.push({ code: "ARRAY_LENGTH_SHORT", path, message: `Array is too short (${value.length}), minimum ${min}` });
    }
    if (typeof max === "number" && value.length > max) {
      issues.push({ code: "ARRAY_LENGTH_LONG", path, message: `Array is too long (${value.length}), maximum ${max}` });
    }
    const items = schema["items"];
    if (!isJsonObject(items)) return;
    value.forEach((item, i) => this.#check({ file: at.file, schema: items }, item, `${path}[${i}]`, mode, issues, false, false));
  }

  #checkObject(flat: FlatSchema, value: JsonObject, path: string, mode: ValidationMode, issues: SpecIssue[]): void {
    for (const name of flat.required) {
      if (Object.hasOwn(value, name)) continue;
      const property = flat.properties.get(name);
      if (mode === "request" && property && this.#isReadOnly(property)) continue;
      const owner = flat.name ? ` (${flat.name})` : "";
      issues.push({ code: "OBJECT_MISSING_REQUIRED_PROPERTY", path, message: `Missing required property: ${name}${owner}` });
    }
    const unknown: string[] = [];
    for (const [key, item] of Object.entries(value)) {
      const property = flat.properties.get(key);
      if (property) {
        // Clients often echo GET bodies back: read-only values in a request are ignored, not rejected.
        if (mode === "request" && this.#isReadOnly(property)) continue;
        this.#check(property, item, join(path, key), mode, issues, false, false);
      } else if (flat.additionalProperties === false) {
        unknown.push(key);
      } else if (typeof flat.additionalProperties === "object") {
        this.#check(flat.additionalProperties, item, join(path, key), mode, issues, false, false);
      }
    }
    if (unknown.length > 0) {
      const owner = flat.name ? ` (${flat.name} allows: ${[...flat.properties.keys()].join(", ")})` : "";
      issues.push({ code: "OBJECT_ADDITIONAL_PROPERTIES", path, message: `Additional properties not allowed: ${unknown.join(", ")}${owner}` });
    }
  }

  #isReadOnly(property: SchemaAt): boolean {
    return property.schema["readOnly"] === true || this.docs.deref(property).schema["readOnly"] === true;
  }

  /** Merges allOf parents into one property set; additionalProperties then applies to the merge. */
  #flatten(at: SchemaAt): FlatSchema {
    const cached = this.#flat.get(at.schema);
    if (cached) return cached;
    const { schema, file } = at;
    const properties = new Map<string, SchemaAt>();
    const required = new Set<string>();
    let additionalProperties: boolean | SchemaAt | undefined;
    let discriminator: string | undefined;
    let isObject = schema["type"] === "object";
    const allOf = schema["allOf"];
    if (Array.isArray(allOf)) {
      for (const parent of allOf) {
        if (!isJsonObject(parent)) continue;
        const flatParent = this.#flatten(this.docs.deref({ file, schema: parent }));
        for (const [key, prop] of flatParent.properties) properties.set(key, prop);
        for (const key of flatParent.required) required.add(key);
        additionalProperties ??= flatParent.additionalProperties;
        discriminator ??= flatParent.discriminator;
        isObject ||= flatParent.isObject;
      }
    }
    const own = schema["properties"];
    if (isJsonObject(own)) {
      isObject = true;
      for (const [key, prop] of Object.entries(own)) {
        if (isJsonObject(prop)) properties.set(key, { file, schema: prop });
      }
    }
    const ownRequired = schema["required"];
    if (Array.isArray(ownRequired)) for (const key of ownRequired) if (typeof key === "string") required.add(key);
    const ap = schema["additionalProperties"];
    if (ap === false || ap === true) additionalProperties = ap;
    else if (isJsonObject(ap)) additionalProperties = Object.keys(ap).length === 0 ? true : { file, schema: ap };
    if (typeof schema["discriminator"] === "string") discriminator = schema["discriminator"];
    const flat: FlatSchema = { name: at.name, properties, required, additionalProperties, discriminator, isObject };
    this.#flat.set(schema, flat);
    return flat;
  }

  #typeName(at: SchemaAt): string {
    const type = at.schema["type"];
    return typeof type === "string" ? type : "object";
  }

  #pattern(source: string): RegExp | null {
    if (!this.#patterns.has(source)) {
      let compiled: RegExp | null = null;
      try {
        compiled = new RegExp(source, "u");
      } catch {
        try {
          compiled = new RegExp(source);
        } catch {
          compiled = null; // a .NET-only construct: skip rather than reject valid input
        }
      }
      this.#patterns.set(source, compiled);
    }
    return this.#patterns.get(source) ?? null;
  }

  /** Property names whose `x-ms-mutability` allows create but not update, for a concrete subtype. */
  createOnlyProperties(at: SchemaAt, value: JsonObject): string[] {
    let target = this.docs.deref(at);
    const flat = this.#flatten(target);
    if (flat.discriminator !== undefined) {
      const kind = value[flat.discriminator];
      const sub = typeof kind === "string" ? this.docs.subtypes(target).get(kind) : undefined;
      if (sub) target = sub;
    }
    const out: string[] = [];
    for (const [key, prop] of this.#flatten(target).properties) {
      const mutability = prop.schema["x-ms-mutability"];
      if (Array.isArray(mutability) && mutability.includes("create") && !mutability.includes("update")) out.push(key);
    }
    return out;
  }
}
