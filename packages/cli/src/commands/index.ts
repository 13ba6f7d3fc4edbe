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
  { name: "submit", summary: "Submit a pipeline job to Azure ML (--watch to follow it)", load: () => import("./submit.js") },
  { name: "watch", summary: "Follow an Azure ML job until it ends, streaming its steps' logs", load: () => import("./watch.js") },
  { name: "jobs", summary: "List, show, cancel or print the logs of Azure ML jobs", load: () => import("./jobs.js") },
  { name: "download", summary: "Download an Azure ML job's outputs", load: () => import("./download.js") },
  { name: "emulator", summary: "Start a local Azure ML emulator for offline tests", load: () => import("./emulator.js") },
  { name: "import", summary: "Generate typed DSL TypeScript from Azure ML YAML (components and pipeline jobs)", load: () => import("./import.js") },
  { name: "data", summary: "Register, list, show and archive data asset versions in the local workspace registry", load: () => import("./data.js") },
  { name: "model", summary: "Register, list, show and archive model versions in the local workspace registry", load: () => import("./model.js") },
  { name: "environment", summary: "Register, list, show and archive environment versions in the local workspace registry", load: () => import("./environment.js") },
  { name: "component", summary: "Register, list, show and archive component versions in the local workspace registry", load: () => import("./component.js") },
  { name: "datastore", summary: "Name local folders that azureml://datastores/<name>/paths/... resolve in", load: () => import("./datastore.js") },
  { name: "compute", summary: "Record compute definitions locally, or (--azure) create (waiting with progress), list and show Azure ML computes", load: () => import("./compute.js") },
  { name: "workspace", summary: "Create a local workspace folder, or (--azure) an Azure ML workspace", load: () => import("./workspace.js") },
];
