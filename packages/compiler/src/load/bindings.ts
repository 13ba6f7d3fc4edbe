/**
 * Input values and output settings of nodes and jobs: `${{parent...}}` bindings, literals,
 * data mappings; anything else kept verbatim as a `raw` binding so nothing is lost.
 */
import type { BindingModel, DataBindingModel, JobOutputModel, NodeOutputModel } from "@pipewright/dsl";
import { describe, type FileScope } from "./context.js";
import { defined, isMap, MapReader } from "./reader.js";
import type { KeyPath } from "./source.js";

const NAME = "[A-Za-z_][A-Za-z0-9_]*";
const DOTTED = `${NAME}(?:\\.${NAME})*`;
export const PARENT_INPUT = new RegExp(`^\\$\\{\\{\\s*parent\\.inputs\\.(${DOTTED})\\s*\\}\\}$`);
export const NODE_OUTPUT = new RegExp(`^\\$\\{\\{\\s*parent\\.jobs\\.(${NAME})\\.outputs\\.(${DOTTED})\\s*\\}\\}$`);
export const PARENT_OUTPUT = new RegExp(`^\\$\\{\\{\\s*parent\\.outputs\\.(${DOTTED})\\s*\\}\\}$`);
/** `${{parent.jobs.<node>}}`: a whole node, as control-flow nodes use it. */
export const NODE_REFERENCE = new RegExp(`^\\$\\{\\{\\s*parent\\.jobs\\.(${NAME})\\s*\\}\\}$`);

export const DATA_TYPES = ["uri_file", "uri_folder", "mltable", "custom_model", "mlflow_model", "triton_model"];
const DATA_KEYS = ["type", "path", "mode", "path_on_compute", "datastore"];

/** A node input (`inputs.x` of a node) or a job input (`inputs.x` of a pipeline job). */
export function loadBinding(scope: FileScope, value: unknown, path: KeyPath): BindingModel {
  const location = scope.at(path);
  if (typeof value === "string") {
    const input = PARENT_INPUT.exec(value);
    if (input?.[1]) return { kind: "parent_input", input: input[1], location };
    const output = NODE_OUTPUT.exec(value);
    if (output?.[1] && output[2]) return { kind: "node_output", node: output[1], output: output[2], location };
    if (value.includes("${{")) return { kind: "raw", value, location };
    return { kind: "literal", value, location };
  }
  if (typeof value === "number" || typeof value === "boolean") return { kind: "literal", value, location };
  if (isMap(value)) {
    const type = value["type"];
    const plainData =
      typeof type === "string" &&
      DATA_TYPES.includes(type) &&
      (value["path"] === undefined || typeof value["path"] === "string");
    if (plainData) return loadData(scope, value, path);
  }
  return { kind: "raw", value, location };
}

function loadData(scope: FileScope, value: Record<string, unknown>, path: KeyPath): BindingModel {
  const r = new MapReader(scope, value, path);
  const data = defined<DataBindingModel>({
    type: r.string("type") ?? "uri_folder",
    path: r.string("path"),
    mode: r.string("mode"),
    pathOnCompute: r.string("path_on_compute"),
    datastore: r.string("datastore"),
    baseDir: scope.baseDir,
    location: scope.at(path),
    extra: r.rest(DATA_KEYS.concat(["description", "name", "version"]), "data input", { silent: true }),
  } as DataBindingModel);
  return { kind: "data", ...data };
}

/** A node output: `${{parent.outputs.x}}`, settings, or nothing (`name:`). */
export function loadNodeOutput(scope: FileScope, value: unknown, path: KeyPath): NodeOutputModel | undefined {
  const location = scope.at(path);
  if (value === null || value === undefined) return { location };
  if (typeof value === "string") {
    const bound = PARENT_OUTPUT.exec(value);
    if (bound?.[1]) return { bindTo: bound[1], location };
    scope.report(
      "PW3110",
      `A node output can only be bound to a pipeline output, written '\${{parent.outputs.<name>}}'; '${value}' is not that form.`,
      path,
      "value",
    );
    return undefined;
  }
  if (!isMap(value)) {
    scope.report("PW3106", `A node output must be '\${{parent.outputs.<name>}}' or a mapping (mode, path...), but it is ${describe(value)}.`, path, "value");
    return undefined;
  }
  const r = new MapReader(scope, value, path);
  // `path: ${{parent.outputs.x}}` binds the output with settings, as the emitter writes it back.
  const written = r.string("path");
  const bound = written === undefined ? undefined : PARENT_OUTPUT.exec(written)?.[1];
  return defined<NodeOutputModel>({
    bindTo: bound,
    type: r.string("type"),
    mode: r.string("mode"),
    path: bound === undefined ? written : undefined,
    name: r.string("name"),
    version: r.stringish("version"),
    location,
    extra: r.rest(["description", "datastore", "path_on_compute", "early_available", "is_control"], "output", { silent: true }),
  } as NodeOutputModel);
}

/** A job-level output: settings or nothing. */
export function loadJobOutput(scope: FileScope, value: unknown, path: KeyPath): JobOutputModel | undefined {
  if (value === null || value === undefined) return {};
  if (!isMap(value)) {
    scope.report("PW3106", `A pipeline job output must be a mapping (type, mode, path...) or empty, but it is ${describe(value)}.`, path, "value");
    return undefined;
  }
  const r = new MapReader(scope, value, path);
  return defined<JobOutputModel>({
    type: r.string("type"),
    mode: r.string("mode"),
    path: r.string("path"),
    name: r.string("name"),
    version: r.stringish("version"),
    description: r.string("description"),
    extra: r.rest(["datastore", "path_on_compute", "early_available", "is_control"], "output", { silent: true }),
  } as JobOutputModel);
}

/**
 * The port kind a bare job input value implies, as Azure coerces it: integer (strict), then
 * number (strict), then string, then boolean. `1.0` is a number: the written text decides.
 */
export function literalKind(value: unknown, written: string | undefined): string {
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "number") {
    if (!Number.isInteger(value)) return "number";
    return written !== undefined && /[.eE]|inf|nan/i.test(written) && !/^0x/i.test(written) ? "number" : "integer";
  }
  return "string";
}
