import type { Diagnostic } from "./diagnostics/diagnostic.js";

export type DocumentKind = "pipeline_job" | "command_component" | "pipeline_component" | "component";

/** One emitted YAML file. */
export interface EmittedDocument {
  /** Relative to the output folder, forward slashes: `pipeline.yml`, `components/train.yml`. */
  readonly path: string;
  readonly kind: DocumentKind;
  /** The YAML text, starting with its `$schema` line. */
  readonly content: string;
}

export interface CompileOptions {
  /**
   * Absolute output folder. Local paths (code folders, data) are written relative to the file
   * that contains them, so it must be known; nothing is written there by the compiler.
   */
  readonly outDir: string;
  /** Everything in one pipeline job file, components inline. @default false */
  readonly inline?: boolean;
  /** Folder prefix for this job's files when several jobs share one output folder. @default "" */
  readonly prefix?: string;
}

export interface CompileResult {
  readonly diagnostics: readonly Diagnostic[];
  /** Empty when there are error diagnostics: never a half-written output. */
  readonly documents: readonly EmittedDocument[];
}
