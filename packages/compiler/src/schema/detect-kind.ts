// Classifies a parsed YAML document by its `$schema` URL, falling back to `type` and shape.
import { isRecord } from "./patterns.js";

export type AzureDocumentKind =
  | "command_component"
  | "pipeline_component"
  | "pipeline_job"
  | "command_job"
  | "sweep_job"
  | "parallel_component"
  | "spark_component"
  | "environment"
  | "data"
  | "model"
  | "schedule"
  | "other";

/** `$schema` file names (lower-cased, without `.schema.json`) and the kind each declares. */
const SCHEMA_KINDS: Readonly<Record<string, AzureDocumentKind>> = {
  commandcomponent: "command_component",
  pipelinecomponent: "pipeline_component",
  pipelinejob: "pipeline_job",
  commandjob: "command_job",
  sweepjob: "sweep_job",
  parallelcomponent: "parallel_component",
  sparkcomponent: "spark_component",
  environment: "environment",
  data: "data",
  model: "model",
  schedule: "schedule",
};

const DATA_TYPES = ["uri_file", "uri_folder", "mltable"];
const MODEL_TYPES = ["custom_model", "mlflow_model", "triton_model"];
/** Keys only jobs have; components never carry them. */
const JOB_ONLY_KEYS = ["compute", "experiment_name", "settings", "limits", "services", "identity", "status"];
/** Keys only components have; jobs never carry them. */
const COMPONENT_ONLY_KEYS = ["version", "is_deterministic", "additional_includes"];

function kindFromSchemaUrl(url: unknown): AzureDocumentKind | undefined {
  if (typeof url !== "string") return undefined;
  const file = url.split(/[/\\]/).pop() ?? "";
  const match = /^([A-Za-z]+)\.schema\.json$/.exec(file);
  if (!match?.[1]) return undefined;
  return SCHEMA_KINDS[match[1].toLowerCase()] ?? "other";
}

function has(doc: Record<string, unknown>, keys: ReadonlyArray<string>): boolean {
  return keys.some((key) => key in doc);
}

function kindFromShape(doc: Record<string, unknown>): AzureDocumentKind {
  const type = typeof doc["type"] === "string" ? doc["type"].toLowerCase() : undefined;
  if (type === "pipeline") {
    if (has(doc, JOB_ONLY_KEYS) || "component" in doc || !("name" in doc)) return "pipeline_job";
    return "pipeline_component";
  }
  if (type === "command" || (type === undefined && typeof doc["command"] === "string")) {
    if (has(doc, COMPONENT_ONLY_KEYS)) return "command_component";
    if (has(doc, JOB_ONLY_KEYS) || type === undefined) return "command_job";
    return "name" in doc ? "command_component" : "command_job";
  }
  if (type === "sweep") return "sweep_job";
  if (type === "parallel" && "task" in doc && !has(doc, JOB_ONLY_KEYS)) return "parallel_component";
  if (type === "spark" && "name" in doc && !has(doc, JOB_ONLY_KEYS)) return "spark_component";
  if (type !== undefined && "path" in doc && !("jobs" in doc)) {
    if (DATA_TYPES.includes(type)) return "data";
    if (MODEL_TYPES.includes(type)) return "model";
  }
  if ("trigger" in doc && "create_job" in doc) return "schedule";
  if (type === undefined && has(doc, ["image", "build"]) && !("command" in doc)) return "environment";
  return "other";
}

/**
 * What kind of Azure ML document a parsed YAML value is. A recognised `$schema` URL decides;
 * otherwise `type` and the keys present do (SDK test fixtures often omit `$schema`).
 * Conda files, deployments, AutoML/spark jobs and anything unrecognised are "other".
 */
export function detectDocumentKind(doc: unknown): AzureDocumentKind {
  if (!isRecord(doc)) return "other";
  return kindFromSchemaUrl(doc["$schema"]) ?? kindFromShape(doc);
}
