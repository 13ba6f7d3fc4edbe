/**
 * Step outputs are written to a staging path next to their final place and renamed into place
 * only when the step succeeds, so a failed or killed step never leaves a partial output that a
 * later step or a reuse could read.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import type { LocalWorkspace } from "../workspace/workspace.js";
import { RunnerError } from "./errors.js";
import type { StepOutput } from "./plan-types.js";

const DATASTORE_URI = /^azureml:\/\/datastores\/([^/]+)\/paths\/(.*)$/;
const FILE_KINDS: ReadonlySet<string> = new Set(["uri_file", "string", "number", "integer", "boolean"]);

export function isFileOutput(type: string): boolean {
  return FILE_KINDS.has(type);
}

/** Where an output ends up: its `path` setting if it names a local place, else the job folder. */
export function outputTarget(workspace: LocalWorkspace, jobFolder: string, stepId: string, name: string, output: StepOutput, baseDir: string): string {
  // Beside the step's logs: port names cannot contain '-' or start with '.', so they never
  // collide with attempt-N.log, pw-metrics.jsonl, work-dir/ or .staging folders.
  const fallback = join(jobFolder, "steps", ...stepId.split("/"), name);
  if (output.path === undefined) return fallback;
  // `${{name}}` and `${{output_name}}` as Azure expands them in output paths.
  const path = output.path.replace(/\$\{\{\s*name\s*\}\}/g, basename(jobFolder)).replace(/\$\{\{\s*output_name\s*\}\}/g, name);
  const datastore = DATASTORE_URI.exec(path);
  if (datastore) {
    const folder = workspace.tryDatastoreFolder(datastore[1] ?? "");
    if (!folder) {
      throw new RunnerError("PW4004", `output path '${path}' names the datastore '${datastore[1]}', which this workspace does not map; map it with workspace.setDatastore()`, { path: `${stepId}/outputs/${name}` });
    }
    const target = resolve(folder, (datastore[2] ?? "").replace(/\/+$/, ""));
    if (relative(folder, target).startsWith("..") || target === folder) {
      throw new RunnerError("PW4006", `output path '${path}' points outside the datastore folder ${folder}`, { path: `${stepId}/outputs/${name}` });
    }
    return target;
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(path) && !path.startsWith("file:")) return fallback;
  const localPath = path.startsWith("file:") ? path.slice(5) : path;
  return isAbsolute(localPath) ? localPath : resolve(baseDir, localPath);
}

/** Where an attempt stages an output before it is renamed to `target`. */
export function stagingPath(target: string, attempt: number): string {
  return join(dirname(target), `.${basename(target)}.staging-${attempt}`);
}

/** A fresh staging path beside the target: a folder for folder kinds, a file path for uri_file. */
export function stageOutput(target: string, type: string, attempt: number, freshFolder?: string): string {
  const folder = dirname(target);
  const prefix = `.${basename(target)}.staging-`;
  const staging = stagingPath(target, attempt);
  // Leftovers of attempts whose runner was killed: never outputs, so never kept. Only a folder
  // that existed before can hold any (the caller says which folder it has just created).
  if (folder !== freshFolder && mkdirSync(folder, { recursive: true }) === undefined) {
    for (const entry of readdirSync(folder)) {
      if (entry.startsWith(prefix)) rmSync(join(folder, entry), { recursive: true, force: true });
    }
  }
  if (!isFileOutput(type)) mkdirSync(staging);
  return staging;
}

/** Moves a staged output into place; returns an error sentence when the step wrote no file. */
export function commitOutput(staging: string, target: string, type: string, name: string): string | undefined {
  try {
    // The common case in one system call; the checks below only run when it fails.
    renameSync(staging, target);
    return undefined;
  } catch (error) {
    if (!existsSync(staging)) return `the step did not write its ${type} output '${name}'`;
    if (!existsSync(target)) throw error;
  }
  // An earlier attempt (or run of a resumed job) left the target: replace it.
  const old = `${staging}.old`;
  rmSync(old, { recursive: true, force: true });
  renameSync(target, old);
  renameSync(staging, target);
  rmSync(old, { recursive: true, force: true });
  return undefined;
}

export function discardOutput(staging: string): void {
  rmSync(staging, { recursive: true, force: true });
}
