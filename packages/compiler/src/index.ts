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
export { checkPipelineJob } from "./checks/index.js";
export type { CheckOptions } from "./checks/index.js";
export { CODES } from "./diagnostics/codes.js";
export type { DiagnosticCode } from "./diagnostics/codes.js";
export { diagnostic, hasErrors } from "./diagnostics/diagnostic.js";
export { compareDiagnostics, sortDiagnostics } from "./diagnostics/sort.js";
export { renderDiagnostics, summarizeDiagnostics } from "./diagnostics/render.js";
export type { RenderOptions } from "./diagnostics/render.js";
export { buildNodeGraph } from "./graph/node-graph.js";
export type { NodeGraph, NodeGraphSource } from "./graph/node-graph.js";
export { topologicalOrder, tryTopologicalOrder, NodeCycleError } from "./graph/topological-order.js";
export { findCycles, formatCyclePath } from "./graph/cycles.js";
export { loadComponent, loadPipelineJob, loadYamlDocument, DEFAULT_LOAD_LIMITS, isNodeOnlyComponent } from "./load/index.js";
export type { LoadResult, LoadedDocument, DocumentLoadResult, LoadHost, LoadLimits, LoadOptions } from "./load/index.js";
export {
  emitAsset,
  loadAsset,
  checkAsset,
  ASSET_NAME_PATTERN,
  WORKSPACE_NAME_PATTERN,
  COMPUTE_NAME_PATTERN,
  VERSION_PATTERN,
  isComputeName,
  isImageReference,
  ASSET_SCHEMAS,
  assetSchemaUrl,
} from "./assets/index.js";
export type {
  EmitAssetOptions,
  EmitAssetResult,
  AssetDocument,
  SecretPlacement,
  LoadAssetResult,
  CheckAssetOptions,
  AssetHost,
} from "./assets/index.js";
export { generateTypeScript } from "./codegen/index.js";
export type { GenerateOptions, GenerateResult, GeneratedFile, GeneratedKind, ImportSource } from "./codegen/index.js";
export {
  compileRestBodies,
  anonymousVersion,
  ANONYMOUS_COMPONENT_NAME,
  collectLocalAssets,
  localAbsolutePath,
  codeSnapshotKey,
  codeVersionBody,
  CODE_HASH_VERSION,
  applyInputOverrides,
  canonicalJson,
  md5Uuid,
  uuidFromHex,
  workspaceArmId,
  assetArmId,
  computeArmId,
  datastoreArmId,
  assetReference,
  dataVersionBody,
  modelVersionBody,
  environmentVersionBody,
  namedComponentBody,
  sameAssetContent,
  DEFAULT_DATA_TYPE,
  DEFAULT_MODEL_TYPE,
  datastoreBody,
  computeBody,
  workspaceBody,
} from "./rest/index.js";
export type {
  RestBodies,
  RestCompileOptions,
  RestResolution,
  RestComponentVersion,
  LocalAssets,
  LocalCodeFolder,
  LocalInclude,
  LocalDataInput,
  RestProblem,
  WorkspaceScope,
  AssetVersionBody,
  EnvironmentResolution,
  SecretLookup,
  ResourceBody,
  ComputeBodyOptions,
  WorkspaceBodyOptions,
} from "./rest/index.js";
export { yamlText } from "./emit/yaml-text.js";
