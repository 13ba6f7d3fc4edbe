/**
 * Handles that flow between nodes inside a pipeline body, and concrete data for job inputs.
 * They are interfaces (not structural expansions) so a type error names `OutputRef<"mltable">`.
 */
import type { DataKind, InputModeFor, PortKind } from "./kinds.js";
import { captureLocation, folderOf, type SourceLocation } from "./location.js";

/** An output of a node, usable as another node's input or as a pipeline output. */
export interface OutputRef<K extends PortKind = PortKind> {
  readonly __ref: "output";
  readonly kind: K;
  readonly node: string;
  readonly output: string;
  /** Which pipeline body created the node; wiring across bodies is a diagnostic. */
  readonly scope: number;
}

/** A pipeline's own input, seen from inside its body. */
export interface PipelineInputRef<K extends PortKind = PortKind> {
  readonly __ref: "pipeline_input";
  readonly kind: K;
  readonly input: string;
  readonly scope: number;
}

/** Concrete data: a local path, `azureml:` asset, datastore URI or http(s) URL. */
export interface DataRef<K extends DataKind = DataKind> {
  readonly __ref: "data";
  readonly kind: K;
  readonly path: string;
  readonly mode?: string;
  /** Folder a relative local path resolves against: the declaring file's folder. */
  readonly baseDir?: string;
  readonly location?: SourceLocation;
}

export interface DataRefOptions<K extends DataKind> {
  readonly mode?: InputModeFor<K>;
}

export type AnyRef = OutputRef | PipelineInputRef | DataRef;

function dataRef<K extends DataKind>(kind: K) {
  return (path: string, options?: DataRefOptions<K>): DataRef<K> => {
    const location = captureLocation();
    const ref: { -readonly [P in keyof DataRef<K>]: DataRef<K>[P] } = { __ref: "data", kind, path };
    if (options?.mode !== undefined) ref.mode = options.mode;
    if (location) {
      ref.baseDir = folderOf(location.file);
      ref.location = location;
    }
    return Object.freeze(ref);
  };
}

/** Data for a job input or a node input, e.g. `uriFolder("./data")` (relative to this file). */
export const uriFile = dataRef("uri_file");
export const uriFolder = dataRef("uri_folder");
export const mltable = dataRef("mltable");
export const customModel = dataRef("custom_model");
export const mlflowModel = dataRef("mlflow_model");
export const tritonModel = dataRef("triton_model");

export function isRef(value: unknown): value is AnyRef {
  return (
    typeof value === "object" &&
    value !== null &&
    "__ref" in value &&
    ["output", "pipeline_input", "data"].includes(String((value as { __ref: unknown }).__ref))
  );
}
