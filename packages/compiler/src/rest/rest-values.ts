/**
 * Input and output values in REST form. Pipeline-level ones follow the spec's JobInput/JobOutput
 * (camelCase discriminators `jobInputType`/`jobOutputType`); node-level ones are what the Python
 * SDK writes into the free-form `jobs` map (snake_case `job_input_type`, bindings as literal
 * `${{parent...}}` strings). REST.md §2.1.
 */
import { isPrimitiveKind, type BindingModel, type Scalar } from "@pipewright/dsl";
import { localAbsolutePath, type RestProblem } from "./local-assets.js";

export type RestMap = Record<string, unknown>;

const INPUT_MODES: Readonly<Record<string, string>> = {
  ro_mount: "ReadOnlyMount",
  rw_mount: "ReadWriteMount",
  download: "Download",
  direct: "Direct",
  eval_mount: "EvalMount",
  eval_download: "EvalDownload",
};
const OUTPUT_MODES: Readonly<Record<string, string>> = { rw_mount: "ReadWriteMount", upload: "Upload", direct: "Direct" };

/** YAML mode (`ro_mount`) to the REST enum (`ReadOnlyMount`); REST names pass through. */
export function inputMode(mode: string | undefined): string | undefined {
  return mode === undefined ? undefined : (INPUT_MODES[mode] ?? mode);
}

export function outputMode(mode: string | undefined): string | undefined {
  return mode === undefined ? undefined : (OUTPUT_MODES[mode] ?? mode);
}

/** A literal as the service stores it: a string, booleans the way Python's str() writes them. */
export function literalText(value: Scalar): string {
  if (typeof value === "boolean") return value ? "True" : "False";
  return String(value);
}

export interface ValueContext {
  /** Absolute local data path -> the uri it was uploaded to. */
  readonly data: ReadonlyMap<string, string>;
  readonly fallbackDir: string | undefined;
  readonly problems: RestProblem[];
}

/** The uri of a data value: the upload's uri for a local path, else the reference as written. */
export function dataUri(path: string, baseDir: string | undefined, at: string, ctx: ValueContext): string | undefined {
  const absolute = localAbsolutePath(path, baseDir, ctx.fallbackDir);
  if (absolute === undefined) return path;
  const uri = ctx.data.get(absolute);
  if (uri === undefined) ctx.problems.push({ severity: "error", path: at, message: `the local data '${path}' was not uploaded (no uri for ${absolute})` });
  return uri;
}

type Side = "job" | "node";

function literal(side: Side, value: string): RestMap {
  return side === "job" ? { jobInputType: "literal", value } : { job_input_type: "literal", value };
}

function asset(side: Side, type: string, uri: string, mode: string | undefined): RestMap {
  const out: RestMap = side === "job" ? { jobInputType: type, uri } : { job_input_type: type, uri };
  const restMode = inputMode(mode);
  if (restMode !== undefined) out["mode"] = restMode;
  return out;
}

/**
 * One input in REST form, or undefined when it is left out: empty literals (the service rejects
 * them; the SDK drops them), invalid bindings (the checks report those) and unuploaded data.
 */
export function restInput(side: Side, binding: BindingModel, baseDir: string | undefined, at: string, ctx: ValueContext): RestMap | undefined {
  switch (binding.kind) {
    case "literal": {
      const text = literalText(binding.value);
      return text === "" ? undefined : literal(side, text);
    }
    case "parent_input":
      return literal(side, `\${{parent.inputs.${binding.input}}}`);
    case "node_output":
      return literal(side, `\${{parent.jobs.${binding.node}.outputs.${binding.output}}}`);
    case "data": {
      if (binding.path === undefined) {
        ctx.problems.push({ severity: "error", path: at, message: "a data input needs a path" });
        return undefined;
      }
      const uri = dataUri(binding.path, binding.baseDir ?? baseDir, at, ctx);
      return uri === undefined ? undefined : asset(side, binding.type, uri, binding.mode);
    }
    case "raw": {
      const value = binding.value;
      if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
        const text = literalText(value);
        return text === "" ? undefined : literal(side, text);
      }
      if (typeof value === "object" && value !== null && !Array.isArray(value)) {
        const map = value as Record<string, unknown>;
        const type = typeof map["type"] === "string" ? map["type"] : "uri_folder";
        const path = typeof map["path"] === "string" ? map["path"] : undefined;
        if (path !== undefined && !isPrimitiveKind(type)) {
          const uri = dataUri(path, baseDir, at, ctx);
          return uri === undefined ? undefined : asset(side, type, uri, typeof map["mode"] === "string" ? map["mode"] : undefined);
        }
        if (map["value"] !== undefined && (typeof map["value"] === "string" || typeof map["value"] === "number" || typeof map["value"] === "boolean")) {
          return literal(side, literalText(map["value"]));
        }
      }
      ctx.problems.push({ severity: "error", path: at, message: "this input value has no REST form (use a literal, a binding or a {type, path} data value)" });
      return undefined;
    }
    case "invalid":
      return undefined;
  }
}

/** A pipeline input's default as a job input value. */
export function defaultBinding(type: string, value: Scalar, baseDir: string | undefined): BindingModel {
  if (typeof value === "string" && !isPrimitiveKind(type)) return { kind: "data", type, path: value, ...(baseDir !== undefined ? { baseDir } : {}) };
  return { kind: "literal", value };
}
