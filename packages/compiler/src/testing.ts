/**
 * Assertions on your own pipelines, the way cdk8s's `Testing.synth` lets chart authors test
 * charts: compile a job in memory and get its diagnostics and parsed YAML documents back.
 *
 *   const out = Testing.synth(job);
 *   expect(out.errors).to.deep.equal([]);
 *   expect(out.pipeline["settings"]).to.deep.include({ default_compute: "azureml:cpu" });
 */
import type { PipelineJobModel } from "@pipewright/dsl";
import { parse } from "yaml";
import { compile } from "./compile.js";
import type { Diagnostic } from "./diagnostics/diagnostic.js";
import { PIPELINE_FILE } from "./emit/emit-pipeline-job.js";

export interface SynthResult {
  readonly diagnostics: readonly Diagnostic[];
  /** The error diagnostics alone. */
  readonly errors: readonly Diagnostic[];
  /** Every emitted file, by relative path, parsed. Empty when there are errors. */
  readonly files: Readonly<Record<string, Record<string, unknown>>>;
  /** The parsed pipeline job document (`pipeline.yml`); empty when there are errors. */
  readonly pipeline: Readonly<Record<string, unknown>>;
  /** Every emitted file's text, by relative path. */
  readonly text: Readonly<Record<string, string>>;
}

export interface SynthOptions {
  /** Emit everything into the one pipeline file. @default false */
  readonly inline?: boolean;
  /** The output folder paths are made relative to. @default "/pipewright-testing/out" */
  readonly outDir?: string;
}

function synth(job: { readonly model: PipelineJobModel } | PipelineJobModel, options: SynthOptions = {}): SynthResult {
  const model = "model" in job ? job.model : job;
  const result = compile(model, { outDir: options.outDir ?? "/pipewright-testing/out", inline: options.inline ?? false });
  const files: Record<string, Record<string, unknown>> = {};
  const text: Record<string, string> = {};
  for (const document of result.documents) {
    text[document.path] = document.content;
    files[document.path] = parse(document.content) as Record<string, unknown>;
  }
  return {
    diagnostics: result.diagnostics,
    errors: result.diagnostics.filter((d) => d.severity === "error"),
    files,
    pipeline: files[PIPELINE_FILE] ?? {},
    text,
  };
}

export const Testing = { synth } as const;
