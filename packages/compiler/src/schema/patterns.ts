// Name rules, reference forms and binding expressions of the Azure ML CLI v2 YAML formats
// (../shared/azureml/FIELDS.md §1, §4, §5). Kept apart from the zod schemas so emitters and
// loaders can reuse the same rules.

/** Registered component names: lowercase letter first, then lowercase letters, digits, `_`. */
export const COMPONENT_NAME_PATTERN = /^[a-z][a-z0-9_]*$/;

/** Node names under `jobs:`: a Python identifier that fully matches `[a-z_][a-z0-9_]*`. */
export const NODE_NAME_PATTERN = /^[a-z_][a-z0-9_]*$/;

/** Input/output keys: dot-separated segments (the dotted form is for grouped parameters). */
export const IO_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** A string that contains a `${{ ... }}` data-binding expression. */
export const DATA_BINDING_PATTERN = /\$\{\{\s*\S*?\s*\}\}/;

/** A node binding: `${{parent.jobs.<node>}}` refers to the node itself (control flow). */
export const NODE_BINDING_PATTERN = /^\$\{\{\s*parent\.jobs\.[A-Za-z_][A-Za-z0-9_]*\s*\}\}$/;

/** A node output bound to a pipeline output; the legacy form without `parent.` still loads. */
export const OUTPUT_BINDING_PATTERN = /^\$\{\{(?:parent\.)?outputs\.(.*?)\}\}$/;

/** A workspace asset reference (generic form). */
export const AZUREML_REF_PATTERN = /^azureml:.+/;

/** A registry asset reference; `feeds` is the SDK's internal variant. */
export const REGISTRY_REF_PATTERN = /^azureml:\/\/(?:registries|feeds)\/[^/]+\/[^/]+\/[^/]+(?:\/(?:versions|labels)\/[^/]+)?$/;

export const PARAMETER_TYPES = ["number", "integer", "boolean", "string"] as const;
export const DATA_TYPES = ["uri_file", "uri_folder", "mltable", "mlflow_model", "custom_model", "triton_model"] as const;
/** `path` is the legacy data port type, still accepted on component ports. */
export const PORT_DATA_TYPES = [...DATA_TYPES, "path"] as const;

/** `InputOutputModes` plus `link`, which only component ports accept. */
export const PORT_MODES = [
  "mount", "download", "upload", "ro_mount", "rw_mount", "eval_mount", "eval_download", "direct", "link",
] as const;

/** Job-level inputs and outputs: which `type` each kind takes and which `mode` it accepts. */
export const JOB_IO_KINDS = {
  data_input: { types: ["uri_file", "uri_folder"], modes: ["download", "ro_mount", "direct"] },
  mltable_input: { types: ["mltable"], modes: ["download", "ro_mount", "eval_mount", "eval_download", "direct"] },
  model_input: { types: ["custom_model", "mlflow_model", "triton_model"], modes: ["download", "ro_mount", "direct"] },
  output: {
    types: ["uri_file", "uri_folder", "custom_model", "mlflow_model", "mltable", "triton_model"],
    modes: ["mount", "upload", "rw_mount", "direct"],
  },
} as const;

export const DISTRIBUTION_TYPES = ["mpi", "pytorch", "tensorflow", "ray"] as const;

export const NODE_TYPES = [
  "command", "sweep", "parallel", "pipeline", "automl", "spark", "import", "data_transfer",
  "do_while", "if_else", "parallel_for",
] as const;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * An `azureml:` reference that names a version (`:<ver>`), a label (`@<label>`) or a full ARM id.
 * A bare `azureml:<name>` is accepted only where the default version is allowed.
 */
export function isVersionedAzuremlRef(value: string, allowDefaultVersion: boolean): boolean {
  if (!AZUREML_REF_PATTERN.test(value)) return false;
  if (value.startsWith("azureml://")) return REGISTRY_REF_PATTERN.test(value) || value.startsWith("azureml://datastores/");
  const body = value.slice("azureml:".length);
  if (body.startsWith("/subscriptions/")) return true;
  if (/^[^:@/\s]+(?::[^:@/\s]+|@[^:@/\s]+)$/.test(body)) return true;
  return allowDefaultVersion && /^[^:@/\s]+$/.test(body);
}
