/**
 * Every verb, one line each. A verb's module exports `command: CommandDefinition` and is loaded
 * only when that verb runs, so `pipewright --help` stays fast.
 */
import type { CommandEntry } from "../command.js";

export const COMMANDS: readonly CommandEntry[] = [
  { name: "compile", summary: "Compile the pipeline jobs a TypeScript entry exports into Azure ML YAML", load: () => import("./compile.js") },
  { name: "validate", summary: "Check the pipeline jobs a TypeScript entry exports, writing nothing", load: () => import("./validate.js") },
];
