/**
 * Every verb, one line each. A verb's module exports `command: CommandDefinition` and is loaded
 * only when that verb runs, so `pipewright --help` stays fast.
 */
import type { CommandEntry } from "../command.js";

export const COMMANDS: readonly CommandEntry[] = [
  { name: "compile", summary: "Compile the pipeline jobs a TypeScript entry exports into Azure ML YAML", load: () => import("./compile.js") },
  { name: "validate", summary: "Check the pipeline jobs a TypeScript entry exports, writing nothing", load: () => import("./validate.js") },
  { name: "run", summary: "Run a pipeline job on this machine, reusing unchanged steps", load: () => import("./run.js") },
  { name: "runs", summary: "List the jobs in the local workspace, or show one (--why <node> explains reuse)", load: () => import("./runs.js") },
  { name: "logs", summary: "Print (or --follow) the logs of a local job's steps", load: () => import("./logs.js") },
  { name: "cancel", summary: "Stop a running local job", load: () => import("./cancel.js") },
  { name: "import", summary: "Generate typed DSL TypeScript from Azure ML YAML (components and pipeline jobs)", load: () => import("./import.js") },
];
