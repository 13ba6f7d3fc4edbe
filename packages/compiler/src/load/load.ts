/**
 * The loader's entry points: Azure ML YAML files into the same model the DSL builds. Pure: file
 * contents come from `host.readFile`. Never throws; every problem is a coded diagnostic that
 * points into the YAML (file:line:col).
 */
import type { ComponentModel, PipelineJobModel } from "@pipewright/dsl";
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import { detectDocumentKind, type AzureDocumentKind } from "../schema/detect-kind.js";
import { loadComponentValue } from "./components.js";
import { createContext, type LoadContext } from "./context.js";
import { openFile, resolveLocal } from "./files.js";
import type { LoadHost, LoadOptions } from "./host.js";
import { loadPipelineJobValue } from "./pipeline-job.js";
import { isMap } from "./reader.js";

export interface LoadResult<T> {
  /** Present when the file could be read as this kind, even if some parts have errors. */
  readonly model?: T;
  readonly diagnostics: readonly Diagnostic[];
}

export type LoadedDocument =
  | { readonly kind: "pipeline_job"; readonly model: PipelineJobModel }
  | { readonly kind: "component"; readonly model: ComponentModel };

export interface DocumentLoadResult {
  /** What the file is, by its `$schema`, `type` and keys (undefined when unreadable). */
  readonly documentKind?: AzureDocumentKind;
  readonly document?: LoadedDocument;
  readonly diagnostics: readonly Diagnostic[];
}

const COMPONENT_KINDS: readonly AzureDocumentKind[] = ["command_component", "pipeline_component", "parallel_component", "spark_component"];

/** Loads a pipeline job or a component file, whichever it is. `path` is absolute (posix). */
export function loadYamlDocument(path: string, host: LoadHost, options: LoadOptions = {}): DocumentLoadResult {
  return guarded(() => {
    const ctx = createContext(host, options);
    const file = resolveLocal("/", path);
    const scope = openFile(ctx, file);
    if (!scope) return { diagnostics: ctx.diagnostics };
    const value = scope.source.value;
    const documentKind = detectDocumentKind(value);
    if (documentKind === "pipeline_job" && isMap(value)) {
      // On the stack too, so a node naming the job's own file is reported as a cycle at once.
      ctx.stack.push(file);
      const model = loadPipelineJobValue(scope, value);
      ctx.stack.pop();
      return finish(ctx, documentKind, model && { kind: "pipeline_job", model });
    }
    if (COMPONENT_KINDS.includes(documentKind)) {
      ctx.stack.push(file);
      const model = loadComponentValue(scope, value, []);
      ctx.stack.pop();
      if (model) ctx.components.set(file, model);
      return finish(ctx, documentKind, model && { kind: "component", model });
    }
    ctx.diagnostics.push(
      diagnostic("PW3105", `${file} is ${describeKind(documentKind, value)}, not a pipeline job or a component; pipewright cannot load it yet.`, {
        location: { file, line: 1, column: 1 },
      }),
    );
    return { documentKind, diagnostics: ctx.diagnostics };
  }, path);
}

/** Loads a component file (command, pipeline, or another kind kept opaque). */
export function loadComponent(path: string, host: LoadHost, options: LoadOptions = {}): LoadResult<ComponentModel> {
  const result = loadYamlDocument(path, host, options);
  if (result.document?.kind === "component") return { model: result.document.model, diagnostics: result.diagnostics };
  return { diagnostics: expecting(result, "a component", "loadPipelineJob") };
}

/** Loads a pipeline job file and every component file it references. */
export function loadPipelineJob(path: string, host: LoadHost, options: LoadOptions = {}): LoadResult<PipelineJobModel> {
  const result = loadYamlDocument(path, host, options);
  if (result.document?.kind === "pipeline_job") return { model: result.document.model, diagnostics: result.diagnostics };
  return { diagnostics: expecting(result, "a pipeline job", "loadComponent") };
}

function expecting(result: DocumentLoadResult, wanted: string, other: string): readonly Diagnostic[] {
  if (!result.document) return result.diagnostics;
  const file = result.document.model.location?.file ?? "the file";
  return [
    ...result.diagnostics,
    diagnostic("PW3105", `${file} is ${result.document.kind === "pipeline_job" ? "a pipeline job" : "a component"}, not ${wanted}; use ${other} for it.`, {
      location: { file, line: 1, column: 1 },
    }),
  ];
}

function finish(ctx: LoadContext, documentKind: AzureDocumentKind, document: LoadedDocument | undefined): DocumentLoadResult {
  return document ? { documentKind, document, diagnostics: ctx.diagnostics } : { documentKind, diagnostics: ctx.diagnostics };
}

function describeKind(kind: AzureDocumentKind, value: unknown): string {
  const schema = isMap(value) && typeof value["$schema"] === "string" ? /([A-Za-z]+)\.schema\.json$/.exec(value["$schema"])?.[1] : undefined;
  const labels: Partial<Record<AzureDocumentKind, string>> = {
    command_job: "a standalone command job (wrap it in a pipeline job to load it)",
    sweep_job: "a standalone sweep job",
    environment: "an environment definition",
    data: "a data asset definition",
    model: "a model asset definition",
    schedule: "a schedule",
  };
  const label = labels[kind];
  if (label) return label;
  if (schema) return `a '${schema}' document`;
  if (isMap(value) && ("dependencies" in value || "channels" in value)) return "a conda environment file";
  if (!isMap(value)) return "not a YAML mapping";
  return "a YAML file of unknown kind";
}

/** The last line of defence: a bug in the loader becomes a diagnostic, never a crash. */
function guarded(load: () => DocumentLoadResult, path: string): DocumentLoadResult {
  try {
    return load();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      diagnostics: [
        diagnostic("PW3115", `${path} could not be loaded: ${message}. This is a pipewright bug; please report it with the file.`, {
          location: { file: path, line: 1, column: 1 },
        }),
      ],
    };
  }
}
