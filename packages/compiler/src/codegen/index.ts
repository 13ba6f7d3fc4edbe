export { generateTypeScript } from "./generate.js";
export type { GenerateOptions, GenerateResult, GeneratedFile, GeneratedKind, ImportSource } from "./generate.js";
