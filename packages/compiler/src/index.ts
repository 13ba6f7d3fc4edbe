export { validateAzureDocument, formatIssuePath } from "./schema/validate.js";
export type {
  AzureSchemaIssue, AzureSchemaKind, AzureValidateOptions, AzureValidationResult,
} from "./schema/validate.js";
export { detectDocumentKind } from "./schema/detect-kind.js";
export type { AzureDocumentKind } from "./schema/detect-kind.js";
export { COMPONENT_NAME_PATTERN, NODE_NAME_PATTERN } from "./schema/patterns.js";
export { compile } from "./compile.js";
export type { CompileOptions, CompileResult, EmittedDocument, DocumentKind } from "./compile-types.js";
export type { Diagnostic, Severity } from "./diagnostics/diagnostic.js";
export { emitPipelineJob, PIPELINE_FILE, COMPONENTS_FOLDER } from "./emit/emit-pipeline-job.js";
export type { EmitOptions, EmitResult } from "./emit/emit-pipeline-job.js";
