/**
 * Azure ML YAML as an entry: `pipewright validate pipeline.yml` (and `compile`) load the file
 * with the compiler's loader and then make every check a TypeScript entry gets. A component file
 * is checked on its own, as the one node of a pipeline that passes every port through.
 */
import { readFileSync, statSync } from "node:fs";
import { basename, extname } from "node:path";
import { compile, diagnostic, loadYamlDocument, type Diagnostic, type LoadHost } from "@pipewright/compiler";
import type { BindingModel, ComponentModel, NodeOutputModel, PipelineJobModel } from "@pipewright/dsl";
import type { CompileEntryOptions, CompiledJob, EntryCompilation } from "../compile-entry.js";

export function isYamlEntry(file: string): boolean {
  return /\.ya?ml$/i.test(file);
}

/** Reads files for the loader; a folder or an unreadable file is "no such file". */
export const fileSystemHost: LoadHost = {
  readFile(path) {
    try {
      return statSync(path).isFile() ? readFileSync(path, "utf8") : undefined;
    } catch {
      return undefined;
    }
  },
};

export interface YamlEntryOptions extends CompileEntryOptions {
  /** What to do with a component file: check it (validate), or refuse it (compile needs a job). */
  readonly components: "check" | "reject";
}

export function compileYamlEntry(file: string, options: YamlEntryOptions): EntryCompilation {
  const loaded = loadYamlDocument(file, fileSystemHost);
  const name = basename(file, extname(file));
  const document = loaded.document;
  if (!document || loaded.diagnostics.some((d) => d.severity === "error")) return { diagnostics: loaded.diagnostics, jobs: [] };
  if (document.kind === "component" && options.components === "reject") {
    const refused = diagnostic(
      "PW3105",
      `${file} is a component, not a pipeline job; compile a pipeline job that uses it (or run 'pipewright validate' to check the component).`,
      { location: { file, line: 1, column: 1 } },
    );
    return { diagnostics: [...loaded.diagnostics, refused], jobs: [] };
  }
  const job = document.kind === "pipeline_job" ? document.model : passThroughJob(document.model);
  const result = compile(job, { outDir: options.outDir, inline: options.inline ?? false });
  const diagnostics: Diagnostic[] = [...loaded.diagnostics, ...result.diagnostics];
  const compiled: CompiledJob = { name, job: { kind: "pipeline_job", model: job }, documents: result.documents };
  return { diagnostics, jobs: diagnostics.some((d) => d.severity === "error") ? [] : [compiled] };
}

/** A pipeline with the component's own ports, whose one node passes each of them through. */
function passThroughJob(component: ComponentModel): PipelineJobModel {
  const inputs: Record<string, BindingModel> = {};
  for (const input of Object.keys(component.inputs)) inputs[input] = { kind: "parent_input", input };
  const outputs: Record<string, NodeOutputModel> = {};
  for (const output of Object.keys(component.outputs)) outputs[output] = { bindTo: output };
  const at = component.location ? { location: component.location } : {};
  return {
    type: "pipeline_job",
    settings: { defaultCompute: "azureml:validate" },
    inputs: {},
    outputs: {},
    pipeline: {
      type: "pipeline",
      name: component.name || "component",
      // Optional here: a component on its own is not missing values for its inputs.
      inputs: Object.fromEntries(Object.entries(component.inputs).map(([name, port]) => [name, { ...port, optional: true }])),
      outputs: component.outputs,
      jobs: [{ name: "component", type: component.type, component, inputs, outputs, ...at }],
      ...(component.baseDir ? { baseDir: component.baseDir } : {}),
    },
    ...(component.baseDir ? { baseDir: component.baseDir } : {}),
  };
}
