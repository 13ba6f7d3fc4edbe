// The public entry point: validate a parsed Azure ML YAML document against one schema.
import { commandComponent } from "./command-component.js";
import { pipelineComponent } from "./pipeline-component.js";
import { pipelineJob } from "./pipeline-job.js";
import { checkValue, type Check, type SchemaMode } from "./schema-kit.js";

export type AzureSchemaKind = "command_component" | "pipeline_component" | "pipeline_job";

export interface AzureValidateOptions {
  /**
   * Validate a component that Azure loads anonymously (referenced by path from a node): its
   * `name` is optional and the registered-name rule is not applied. Ignored for pipeline jobs.
   * @default false
   */
  readonly anonymous?: boolean;
  /**
   * Judge the document as a file pipewright emits rather than one Azure loads: unknown keys are
   * rejected everywhere, enums must be lowercase, and keys Azure silently ignores are errors.
   * @default false
   */
  readonly strict?: boolean;
}

export interface AzureSchemaIssue {
  /** Dotted path into the document (`jobs.train.inputs.data`, `true_block[0]`); `""` is the document. */
  readonly path: string;
  /** The same path as keys and list indexes, for mapping back to a YAML node. */
  readonly segments: ReadonlyArray<string | number>;
  readonly message: string;
}

export type AzureValidationResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly issues: ReadonlyArray<AzureSchemaIssue> };

const SIMPLE_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

export function formatIssuePath(segments: ReadonlyArray<string | number>): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (SIMPLE_KEY.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

const cache = new Map<string, Check>();

function schemaFor(kind: AzureSchemaKind, options: AzureValidateOptions): Check {
  const mode: SchemaMode = { strict: options.strict === true };
  const anonymous = kind !== "pipeline_job" && options.anonymous === true;
  const key = `${kind}/${mode.strict ? "strict" : "azure"}/${anonymous ? "anonymous" : "registered"}`;
  let schema = cache.get(key);
  if (!schema) {
    if (kind === "command_component") schema = commandComponent(mode, { anonymous });
    else if (kind === "pipeline_component") schema = pipelineComponent(mode, { anonymous });
    else schema = pipelineJob(mode);
    cache.set(key, schema);
  }
  return schema;
}

const KIND_TEXT: Record<AzureSchemaKind, string> = {
  command_component: "command component",
  pipeline_component: "pipeline component",
  pipeline_job: "pipeline job",
};

/**
 * Checks a parsed YAML document against pipewright's schema of one Azure ML CLI v2 format.
 * Pure; never throws for bad input. Cross-node rules (bindings that name real nodes and ports,
 * cycles) belong to the compiler's graph checks, not here.
 */
export function validateAzureDocument(
  doc: unknown,
  kind: AzureSchemaKind,
  options: AzureValidateOptions = {},
): AzureValidationResult {
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    return { ok: false, issues: [{ path: "", segments: [], message: `a ${KIND_TEXT[kind]} document is a YAML mapping` }] };
  }
  const found = checkValue(schemaFor(kind, options), doc);
  if (found.length === 0) return { ok: true };
  const issues = found.map((issue) => ({
    path: formatIssuePath(issue.segments),
    segments: issue.segments,
    message: issue.message,
  }));
  return { ok: false, issues };
}
