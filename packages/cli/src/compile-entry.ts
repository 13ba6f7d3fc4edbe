/**
 * The path from a TypeScript entry file to YAML documents that `compile`, `validate` (and later
 * `run`) share: type-check the entry, run it, compile every pipeline job it exports.
 */
import { join } from "node:path";
import { compile, type Diagnostic, type EmittedDocument } from "@pipewright/compiler";
import type { PipelineJob } from "@pipewright/dsl";
import { loadEntry } from "./entry/load-entry.js";
import { isTypeCheckable, typeCheckEntry } from "./entry/type-check.js";

export interface CompileEntryOptions {
  /** Absolute output folder the YAML is meant for (local paths in it are written relative to it). */
  readonly outDir: string;
  /** Components inline in the pipeline job file. @default false */
  readonly inline?: boolean;
  /** Type-check the entry (and the files it imports locally) before running it. @default true */
  readonly typeCheck?: boolean;
}

export interface CompiledJob {
  /** The export name. */
  readonly name: string;
  readonly job: PipelineJob;
  /** Paths relative to the output folder: `pipeline.yml`, or `<name>/pipeline.yml` when the entry exports several jobs. */
  readonly documents: readonly EmittedDocument[];
}

export interface EntryCompilation {
  /** Every diagnostic: TypeScript errors, load failures, then each job's, in export order. */
  readonly diagnostics: readonly Diagnostic[];
  /** Empty when there is any error diagnostic, so nothing half-valid is ever written. */
  readonly jobs: readonly CompiledJob[];
  /** Stack trace of an error the entry threw, for `--verbose`. */
  readonly stack?: string;
}

/** One job: its files at the top of the output folder. Several: one sub-folder per export name. */
export async function compileEntry(entryFile: string, options: CompileEntryOptions): Promise<EntryCompilation> {
  if (options.typeCheck !== false && isTypeCheckable(entryFile)) {
    const typeErrors = await typeCheckEntry(entryFile);
    // A program that does not type-check is not run: its TypeScript errors are the report.
    if (typeErrors.some((d) => d.severity === "error")) return { diagnostics: typeErrors, jobs: [] };
  }

  const loaded = await loadEntry(entryFile);
  if (loaded.diagnostics.length) {
    return { diagnostics: loaded.diagnostics, jobs: [], ...(loaded.stack ? { stack: loaded.stack } : {}) };
  }

  const several = loaded.jobs.length > 1;
  const diagnostics: Diagnostic[] = [];
  const jobs: CompiledJob[] = [];
  for (const { name, job } of loaded.jobs) {
    const outDir = several ? join(options.outDir, name) : options.outDir;
    const result = compile(job.model, { outDir, inline: options.inline ?? false });
    diagnostics.push(...result.diagnostics);
    const documents = several
      ? result.documents.map((document) => ({ ...document, path: `${name}/${document.path}` }))
      : result.documents;
    jobs.push({ name, job, documents });
  }
  return { diagnostics, jobs: diagnostics.some((d) => d.severity === "error") ? [] : jobs };
}
