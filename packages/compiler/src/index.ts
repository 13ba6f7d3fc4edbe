export { validateAzureDocument, formatIssuePath } from "./schema/validate.js";
export type {
  AzureSchemaIssue, AzureSchemaKind, AzureValidateOptions, AzureValidationResult,
} from "./schema/validate.js";
export { detectDocumentKind } from "./schema/detect-kind.js";
export type { AzureDocumentKind } from "./schema/detect-kind.js";
export { COMPONENT_NAME_PATTERN, NODE_NAME_PATTERN } from "./schema/patterns.js";
