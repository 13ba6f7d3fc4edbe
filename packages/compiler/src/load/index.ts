export { loadComponent, loadPipelineJob, loadYamlDocument } from "./load.js";
export type { LoadResult, LoadedDocument, DocumentLoadResult } from "./load.js";
export { DEFAULT_LOAD_LIMITS } from "./host.js";
export type { LoadHost, LoadLimits, LoadOptions } from "./host.js";
export { isNodeOnlyComponent, NODE_ONLY } from "./nodes.js";
