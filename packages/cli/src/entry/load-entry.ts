/**
 * Runs a TypeScript (or JavaScript) entry file and collects the pipeline jobs it exports.
 *
 * The convention: every export whose value is a pipeline job (`pipeline(...).job(...)`) is a job
 * to compile or run, named by its export name (`export const nightly = taxi.job(...)` is the job
 * `nightly`; a default export is named `default`). Other exports are ignored.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { isPipelineJob, type PipelineJob, type SourceLocation } from "@pipewright/dsl";
import { entryDiagnostic, type EntryDiagnostic } from "./entry-diagnostic.js";

export interface EntryJob {
  /** The export name. */
  readonly name: string;
  readonly job: PipelineJob;
}

export interface LoadedEntry {
  /** In the order of the module's export names (sorted, as a module namespace lists them). */
  readonly jobs: readonly EntryJob[];
  /** PW1013 when the file failed to load, PW1014 when it exports no pipeline job. */
  readonly diagnostics: readonly EntryDiagnostic[];
  /** The thrown error's stack, for `--verbose`. */
  readonly stack?: string;
}

/**
 * Imports `entryFile` (absolute path) through the tsx loader the CLI registered at start-up, so
 * TypeScript entries need no build step.
 */
export async function loadEntry(entryFile: string): Promise<LoadedEntry> {
  const file = resolve(entryFile);
  let namespace: Record<string, unknown>;
  // What the entry prints while it loads goes to stderr: stdout is the CLI's (e.g. one JSON object).
  const { log, info } = console;
  console.log = console.info = (...values: unknown[]) => console.error(...values);
  try {
    namespace = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    return loadFailure(file, error);
  } finally {
    console.log = log;
    console.info = info;
  }

  const jobs: EntryJob[] = [];
  const pipelines: string[] = [];
  for (const [name, value] of Object.entries(namespace)) {
    if (isPipelineJob(value)) jobs.push({ name, job: value });
    else if (isPipelineComponent(value)) pipelines.push(name);
  }
  if (jobs.length) return { jobs, diagnostics: [] };

  const hint = pipelines.length
    ? ` It exports the pipeline${pipelines.length > 1 ? "s" : ""} ${pipelines.map((n) => `'${n}'`).join(", ")}, which ` +
      `${pipelines.length > 1 ? "are components, not jobs" : "is a component, not a job"}: bind its inputs and export the result, ` +
      `e.g. \`export const job = ${pipelines[0]}.job({ ... })\`.`
    : " Export one, e.g. `export const job = myPipeline.job({ raw: uriFolder(\"./data\") })`; every export whose value is a pipeline job is compiled, named by its export name.";
  return {
    jobs: [],
    diagnostics: [entryDiagnostic("PW1014", `the entry file exports no pipeline job.${hint}`, { file, line: 1, column: 1 })],
  };
}

function isPipelineComponent(value: unknown): boolean {
  return typeof value === "function" && (value as { kind?: unknown }).kind === "pipeline_component";
}

function loadFailure(file: string, error: unknown): LoadedEntry {
  const stack = error instanceof Error ? error.stack : undefined;
  const at = (location: SourceLocation | undefined) => location ?? { file, line: 1, column: 1 };

  const syntax = syntaxErrorOf(error);
  if (syntax) {
    return {
      jobs: [],
      diagnostics: [entryDiagnostic("PW1013", `syntax error: ${syntax.message}. Fix the syntax and run again.`, at(syntax.location))],
      ...(stack ? { stack } : {}),
    };
  }
  if (isModuleNotFound(error)) {
    const message = error instanceof Error ? error.message : String(error);
    const what = existsSync(file) ? "the entry file imports a module that cannot be found" : "the entry file does not exist";
    return {
      jobs: [],
      diagnostics: [entryDiagnostic("PW1013", `${what}: ${message}. Check the import path (relative imports need their file extension, e.g. './steps.js') and that the package is installed.`, at(undefined))],
      ...(stack ? { stack } : {}),
    };
  }
  const thrown = error instanceof Error ? `${error.name}: ${error.message}` : `the value ${describe(error)}`;
  return {
    jobs: [],
    diagnostics: [
      entryDiagnostic(
        "PW1013",
        `the entry file threw while loading, so no pipeline could be built: ${thrown}. The location is the first line of your own code in its stack trace.`,
        at(firstUserFrame(stack)),
      ),
    ],
    ...(stack ? { stack } : {}),
  };
}

/** esbuild's "Transform failed ... file:line:col: ERROR: msg" (tsx) or Node's own SyntaxError. */
function syntaxErrorOf(error: unknown): { message: string; location?: SourceLocation } | undefined {
  if (!(error instanceof Error)) return undefined;
  const esbuild = /^(.+?):(\d+):(\d+): ERROR: (.+)$/m.exec(error.message);
  if (error.message.startsWith("Transform failed") && esbuild) {
    return {
      message: esbuild[4] ?? error.message,
      location: { file: resolve(esbuild[1] ?? ""), line: Number(esbuild[2]), column: Number(esbuild[3]) + 1 },
    };
  }
  if (error.name === "SyntaxError") {
    // Node puts "file:line" on the stack's first line for a module that does not parse.
    const head = /^(\/.+|[A-Za-z]:\\.+|file:\/\/.+):(\d+)$/m.exec(error.stack?.split("\n")[0] ?? "");
    return head
      ? { message: error.message, location: { file: toPath(head[1] ?? ""), line: Number(head[2]), column: 1 } }
      : { message: error.message };
  }
  return undefined;
}

function isModuleNotFound(error: unknown): boolean {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND";
}

const FRAME = /\(?((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?\s*$/;

/** The first stack frame in the user's code: not Node's, not a package's, not pipewright's. */
function firstUserFrame(stack: string | undefined): SourceLocation | undefined {
  for (const line of (stack ?? "").split("\n").slice(1)) {
    const match = FRAME.exec(line.trim());
    if (!match) continue;
    const file = toPath(match[1] ?? "");
    const normalized = file.replace(/\\/g, "/");
    if (!normalized.startsWith("/") && !/^[A-Za-z]:\//.test(normalized)) continue;
    if (normalized.includes("/node_modules/") || /\/packages\/(dsl|compiler|runner|cli)\/src\//.test(normalized)) continue;
    return { file, line: Number(match[2]), column: Number(match[3]) };
  }
  return undefined;
}

function toPath(file: string): string {
  return file.startsWith("file://") ? decodeURIComponent(new URL(file).pathname) : file;
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
