// Loads the Azure ML REST specification (Swagger 2.0 + AutoRest extensions) that the emulator
// validates against: the newest stable api-version folder under the spec root, plus every file its
// `$ref`s reach. Builds the operation table (method + path template -> operation) and the subtype
// index that discriminators need.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve as resolvePath } from "node:path";
import { fileURLToPath } from "node:url";
import { isJsonObject, type Json, type JsonObject } from "./json.js";

/** A schema (or parameter) object together with the file its relative `$ref`s resolve against. */
export interface SchemaAt {
  readonly file: string;
  readonly schema: JsonObject;
  /** Definition name when the schema is a named definition. */
  readonly name?: string;
}

export interface ParameterSpec {
  readonly name: string;
  readonly in: string;
  readonly required: boolean;
  /** The parameter object itself (type, pattern, enum...) or, for a body, its `schema`. */
  readonly schema: SchemaAt;
}

export interface OperationSpec {
  readonly operationId: string;
  readonly method: string;
  readonly template: string;
  readonly parameters: readonly ParameterSpec[];
  readonly responses: JsonObject;
  readonly file: string;
  readonly longRunning: boolean;
}

export interface OperationMatch {
  readonly operation: OperationSpec;
  readonly pathParams: Readonly<Record<string, string>>;
}

const ARM_FOLDER = "specification/machinelearningservices/resource-manager/Microsoft.MachineLearningServices/stable";
const ARM_FILES = ["mfe.json", "machineLearningServices.json", "registries.json"];
const METHODS = new Set(["get", "put", "post", "patch", "delete", "head"]);

/** Finds `shared/azureml/rest` in this module's ancestors (the pipewright checkout's layout). */
export function findDefaultSpecRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    for (const candidate of [join(dir, "shared", "azureml", "rest"), join(dir, "azureml", "rest")]) {
      if (existsSync(join(candidate, ARM_FOLDER))) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

interface CompiledOperation {
  readonly operation: OperationSpec;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly literals: number;
}

const LOADED = new Map<string, SpecDocuments>();

export class SpecDocuments {
  readonly root: string;
  /** The api-version folder the documents come from, e.g. "2025-12-01". */
  readonly apiVersion: string;
  readonly #files = new Map<string, JsonObject>();
  readonly #operations: CompiledOperation[] = [];
  readonly #subtypes = new Map<string, Map<string, SchemaAt>>();

  private constructor(root: string, apiVersion: string) {
    this.root = root;
    this.apiVersion = apiVersion;
  }

  /** Loads (once per process and root: the documents never change) the spec under `root`. */
  static load(root: string): SpecDocuments {
    const key = resolvePath(root);
    const cached = LOADED.get(key);
    if (cached) return cached;
    const docs = SpecDocuments.#read(key);
    LOADED.set(key, docs);
    return docs;
  }

  static #read(root: string): SpecDocuments {
    const stable = join(root, ARM_FOLDER);
    if (!existsSync(stable)) {
      throw new Error(
        `Azure ML REST specs not found: expected the folder ${stable}. Pass \`specRoot\` pointing at the folder that contains "specification/".`,
      );
    }
    const versions = readdirSync(stable).filter((name) => /^\d{4}-\d{2}-\d{2}$/.test(name)).sort();
    const newest = versions.at(-1);
    if (newest === undefined) throw new Error(`No stable api-version folder under ${stable}.`);
    const docs = new SpecDocuments(root, newest);
    for (const name of ARM_FILES) {
      const file = join(stable, newest, name);
      if (existsSync(file)) docs.#operationsOf(file);
    }
    docs.#loadReachable();
    docs.#operations.sort((a, b) => b.literals - a.literals);
    return docs;
  }

  file(path: string): JsonObject {
    const absolute = resolvePath(path);
    let doc = this.#files.get(absolute);
    if (doc === undefined) {
      const parsed: unknown = JSON.parse(readFileSync(absolute, "utf8"));
      if (!isJsonObject(parsed)) throw new Error(`${absolute}: expected a JSON object`);
      doc = parsed;
      this.#files.set(absolute, doc);
    }
    return doc;
  }

  /** Resolves a `$ref` written in `fromFile` to the schema it points at. */
  resolve(fromFile: string, ref: string): SchemaAt {
    const hash = ref.indexOf("#");
    const filePart = hash < 0 ? ref : ref.slice(0, hash);
    const pointer = hash < 0 ? "" : ref.slice(hash + 1);
    const file = filePart === "" ? fromFile : resolvePath(dirname(fromFile), filePart);
    let node: Json = this.file(file);
    const segments = pointer.split("/").filter((s) => s !== "").map((s) => decodeURIComponent(s).replaceAll("~1", "/").replaceAll("~0", "~"));
    for (const segment of segments) {
      const next: Json | undefined = isJsonObject(node) ? node[segment] : undefined;
      if (next === undefined) throw new Error(`Unresolvable $ref ${ref} in ${fromFile}`);
      node = next;
    }
    if (!isJsonObject(node)) throw new Error(`$ref ${ref} in ${fromFile} does not point at an object`);
    const isDefinition = segments.length === 2 && segments[0] === "definitions";
    return isDefinition && segments[1] !== undefined ? { file, schema: node, name: segments[1] } : { file, schema: node };
  }

  /** Follows `$ref` chains until a schema without one. */
  deref(at: SchemaAt): SchemaAt {
    let current = at;
    for (let i = 0; i < 32; i++) {
      const ref = current.schema["$ref"];
      if (typeof ref !== "string") return current;
      current = this.resolve(current.file, ref);
    }
    throw new Error(`$ref cycle near ${at.file}`);
  }

  definition(file: string, name: string): SchemaAt {
    return this.resolve(file, `#/definitions/${name}`);
  }

  /** The main ARM document (mfe.json), for looking up definitions by name. */
  get mainFile(): string {
    return resolvePath(this.root, ARM_FOLDER, this.apiVersion, "mfe.json");
  }

  operationById(operationId: string): OperationSpec | undefined {
    return this.#operations.find((c) => c.operation.operationId === operationId)?.operation;
  }

  match(method: string, path: string): OperationMatch | undefined {
    const lower = method.toLowerCase();
    for (const compiled of this.#operations) {
      if (compiled.operation.method !== lower) continue;
      const found = compiled.pattern.exec(path);
      if (!found) continue;
      const pathParams: Record<string, string> = {};
      compiled.names.forEach((name, i) => {
        pathParams[name] = decodeURIComponent(found[i + 1] ?? "");
      });
      return { operation: compiled.operation, pathParams };
    }
    return undefined;
  }

  /** True when some operation has this path with another method (so 405, not 404). */
  hasPath(path: string): boolean {
    return this.#operations.some((c) => c.pattern.test(path));
  }

  /** Subtypes of a polymorphic base, keyed by discriminator value (`x-ms-discriminator-value` or name). */
  subtypes(base: SchemaAt): Map<string, SchemaAt> {
    const key = `${base.file}#${base.name ?? ""}`;
    let found = this.#subtypes.get(key);
    if (found) return found;
    found = new Map();
    const frontier: SchemaAt[] = [base];
    const seen = new Set<JsonObject>([base.schema]);
    while (frontier.length > 0) {
      const parent = frontier.shift();
      if (parent === undefined) break;
      for (const [file, doc] of this.#files) {
        const definitions = doc["definitions"];
        if (!isJsonObject(definitions)) continue;
        for (const [name, schema] of Object.entries(definitions)) {
          if (!isJsonObject(schema) || seen.has(schema)) continue;
          const allOf = schema["allOf"];
          if (!Array.isArray(allOf)) continue;
          const extendsParent = allOf.some((item) => {
            if (!isJsonObject(item) || typeof item["$ref"] !== "string") return false;
            return this.resolve(file, item["$ref"]).schema === parent.schema;
          });
          if (!extendsParent) continue;
          seen.add(schema);
          const child: SchemaAt = { file, schema, name };
          const value = schema["x-ms-discriminator-value"];
          found.set(typeof value === "string" ? value : name, child);
          frontier.push(child);
        }
      }
    }
    this.#subtypes.set(key, found);
    return found;
  }

  #operationsOf(file: string): void {
    const doc = this.file(file);
    const paths = doc["paths"];
    if (!isJsonObject(paths)) return;
    for (const [template, item] of Object.entries(paths)) {
      if (!isJsonObject(item)) continue;
      const shared = Array.isArray(item["parameters"]) ? item["parameters"] : [];
      for (const [method, op] of Object.entries(item)) {
        if (!METHODS.has(method) || !isJsonObject(op) || typeof op["operationId"] !== "string") continue;
        const own = Array.isArray(op["parameters"]) ? op["parameters"] : [];
        const parameters = [...shared, ...own].flatMap((p) => this.#parameter(file, p));
        const names: string[] = [];
        let literals = 0;
        const source = template
          .split("/")
          .map((segment) => {
            const param = /^\{([^}]+)\}$/.exec(segment);
            if (param?.[1] !== undefined) {
              names.push(param[1]);
              return "([^/]+)";
            }
            literals += 1;
            return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
          })
          .join("/");
        const responses = op["responses"];
        this.#operations.push({
          operation: {
            operationId: op["operationId"],
            method,
            template,
            parameters,
            responses: isJsonObject(responses) ? responses : {},
            file,
            longRunning: op["x-ms-long-running-operation"] === true,
          },
          // ARM treats literal path segments case-insensitively.
          pattern: new RegExp(`^${source}/?$`, "i"),
          names,
          literals,
        });
      }
    }
  }

  #parameter(file: string, raw: Json): ParameterSpec[] {
    if (!isJsonObject(raw)) return [];
    const at = typeof raw["$ref"] === "string" ? this.resolve(file, raw["$ref"]) : { file, schema: raw };
    const p = at.schema;
    const name = p["name"];
    const location = p["in"];
    if (typeof name !== "string" || typeof location !== "string") return [];
    const body = p["schema"];
    const schema: SchemaAt = location === "body" && isJsonObject(body) ? { file: at.file, schema: body } : at;
    return [{ name, in: location, required: p["required"] === true, schema }];
  }

  /** Loads every file reachable through `$ref` (skipping `x-ms-examples`), so subtypes can be indexed. */
  #loadReachable(): void {
    const pending = [...this.#files.keys()];
    const visited = new Set<string>();
    while (pending.length > 0) {
      const file = pending.pop();
      if (file === undefined || visited.has(file)) continue;
      visited.add(file);
      const walk = (node: Json, key: string): void => {
        if (key === "x-ms-examples") return;
        if (Array.isArray(node)) {
          for (const item of node) walk(item, "");
        } else if (isJsonObject(node)) {
          const ref = node["$ref"];
          if (typeof ref === "string" && !ref.startsWith("#")) {
            const target = resolvePath(dirname(file), ref.split("#")[0] ?? "");
            if (!visited.has(target)) {
              this.file(target);
              pending.push(target);
            }
          }
          for (const [k, v] of Object.entries(node)) walk(v, k);
        }
      };
      walk(this.file(file), "");
    }
  }
}
