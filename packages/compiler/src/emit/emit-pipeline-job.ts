/**
 * The Azure ML CLI v2 YAML emitter: a pipeline job model to `pipeline.yml` plus one file per
 * distinct component under `components/`, referenced by relative path (`az ml job create -f`).
 *
 * Inline mode writes command components inline under each node's `component:`. Azure does not
 * accept an inline pipeline component in a pipeline node (FIELDS.md §5), so nested pipelines
 * still get a file under `components/` (with their own command components inline) and an info
 * diagnostic (PW3001) says so.
 *
 * A component kept in place (OpaqueComponentModel.sourceFile: a prompt flow, which depends on
 * its own folder) is not written: nodes name its source file by a path relative to their file.
 *
 * Pure and deterministic: the same model and options give byte-identical documents.
 */
import { isPrimitiveKind, type ComponentModel, type PipelineJobModel } from "@pipewright/dsl";
import { posix } from "node:path";
import type { EmittedDocument } from "../compile-types.js";
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import { ComponentFiles, inPlaceRef, keptInPlace } from "./component-files.js";
import { renderComponent } from "./components.js";
import {
  bindingValue,
  outputSettings,
  plainMap,
  put,
  putExtra,
  settings,
  structuredCopy,
  type PathScope,
  type YamlMap,
} from "./fields.js";
import { renderJobs } from "./nodes.js";
import { relocatePath, toPosix } from "./paths.js";
import { SCHEMA_URLS, yamlText } from "./yaml-text.js";

export interface EmitOptions {
  /** Absolute folder the documents are meant for; relative paths are computed from it. */
  readonly outDir: string;
  /** Command components inline in the pipeline file. @default false */
  readonly inline?: boolean;
  /** Sub-folder of `outDir` for this job's files. @default "" */
  readonly prefix?: string;
}

export interface EmitResult {
  /** `pipeline.yml` first, then component files sorted by path. */
  readonly documents: readonly EmittedDocument[];
  readonly diagnostics: readonly Diagnostic[];
}

export const PIPELINE_FILE = "pipeline.yml";
export const COMPONENTS_FOLDER = "components";

export function emitPipelineJob(job: PipelineJobModel, options: EmitOptions): EmitResult {
  const prefix = toPosix(options.prefix ?? "").replace(/^\.?\/+|\/+$/g, "");
  const outDir = rootedFolder(options.outDir);
  const jobPath = prefix ? `${prefix}/${PIPELINE_FILE}` : PIPELINE_FILE;
  const componentsPath = prefix ? `${prefix}/${COMPONENTS_FOLDER}` : COMPONENTS_FOLDER;
  const jobDir = posix.join(outDir, prefix);
  const componentsDir = posix.join(outDir, componentsPath);
  const inline = options.inline === true;
  const diagnostics: Diagnostic[] = [];

  const files = new ComponentFiles(inline, componentsDir).collect(job.pipeline, job.asComponent === true);
  const inlineRenders = new Map<string, Map<ComponentModel, unknown>>();
  /** How a node in a file in `fileDir` names its component. */
  const componentRef = (fileDir: string) => {
    const cache = inlineRenders.get(fileDir) ?? new Map<ComponentModel, unknown>();
    inlineRenders.set(fileDir, cache);
    const ref = (component: ComponentModel): unknown => {
      let rendered = cache.get(component);
      if (rendered === undefined) {
        const source = keptInPlace(component);
        if (source !== undefined) rendered = inPlaceRef(source, fileDir);
        else if (files.needsFile(component)) rendered = relocatePath(`./${files.fileName(component)}`, componentsDir, fileDir);
        else rendered = renderComponent(component, { standalone: false, fileDir, componentRef: ref, diagnostics });
        cache.set(component, rendered);
      }
      return rendered;
    };
    return ref;
  };

  const documents: EmittedDocument[] = [
    { path: jobPath, kind: "pipeline_job", content: yamlText(renderPipelineJob(job, jobDir, componentRef(jobDir), diagnostics)) },
  ];
  const componentDocuments: EmittedDocument[] = [];
  for (const { component, fileName } of files.distinct()) {
    const path = `${componentsPath}/${fileName}`;
    const content = renderComponent(component, {
      standalone: true,
      fileDir: componentsDir,
      componentRef: componentRef(componentsDir),
      diagnostics,
    });
    const kind = component.type === "command" ? "command_component" : component.type === "pipeline" ? "pipeline_component" : "component";
    componentDocuments.push({ path, kind, content: yamlText(content) });
    if (inline && component.type === "pipeline") {
      diagnostics.push(
        diagnostic(
          "PW3001",
          `pipeline component '${component.name}' is written to ${path}: Azure ML does not accept a pipeline component inline in a node`,
          { path: component.name, location: component.location },
        ),
      );
    }
  }
  return { documents: [...documents, ...componentDocuments], diagnostics };
}

function rootedFolder(folder: string): string {
  const path = toPosix(folder);
  return posix.isAbsolute(path) ? posix.normalize(path) : posix.join("/", path);
}

/**
 * $schema, type, name, display_name, description, experiment_name, tags, properties, compute,
 * settings, inputs, outputs, (unmodelled keys), jobs (or `component:` for a job that names its
 * pipeline as a component).
 */
function renderPipelineJob(
  job: PipelineJobModel,
  jobDir: string,
  componentRef: (component: ComponentModel) => unknown,
  diagnostics: Diagnostic[],
): YamlMap {
  const scope: PathScope = { baseDir: job.baseDir, fileDir: jobDir };
  const out: YamlMap = { $schema: SCHEMA_URLS.pipeline_job, type: "pipeline" };
  put(out, "name", job.name);
  put(out, "display_name", job.displayName);
  put(out, "description", job.description);
  put(out, "experiment_name", job.experimentName);
  put(out, "tags", plainMap(job.tags));
  put(out, "properties", job.properties && structuredCopy(job.properties));
  put(out, "compute", job.compute);
  put(out, "settings", settings(job.settings));
  put(out, "inputs", jobInputs(job, scope));
  put(out, "outputs", jobOutputs(job));
  putExtra(out, job.extra);
  // A job that names its pipeline as a component keeps that form (its file is under components/).
  if (job.asComponent === true) {
    out["component"] = componentRef(job.pipeline);
    return out;
  }
  out["jobs"] = renderJobs(job.pipeline.jobs, {
    componentRef,
    fileDir: jobDir,
    baseDir: job.pipeline.baseDir,
    path: job.pipeline.name,
    diagnostics,
  });
  return out;
}

/**
 * Job inputs: the values bound by `.job()`, then the defaults of pipeline inputs left unbound
 * (nodes read them as `${{parent.inputs.x}}`, which needs a job-level value).
 */
function jobInputs(job: PipelineJobModel, scope: PathScope): YamlMap | undefined {
  const out: YamlMap = {};
  for (const [name, binding] of Object.entries(job.inputs)) put(out, name, bindingValue(binding, scope));
  for (const [name, port] of Object.entries(job.pipeline.inputs)) {
    if (name in out || port.default === undefined) continue;
    const isData = !isPrimitiveKind(port.type);
    out[name] =
      isData && typeof port.default === "string"
        ? { type: port.type, path: relocatePath(port.default, job.pipeline.baseDir, scope.fileDir) }
        : port.default;
  }
  return Object.keys(out).length ? out : undefined;
}

/**
 * Job outputs: every output the pipeline declares, with the settings given to `.job()`. The
 * `type` is written unless it is uri_folder, Azure's default for an output; an output with
 * nothing to say is written empty (`name:`), which declares it.
 */
function jobOutputs(job: PipelineJobModel): YamlMap | undefined {
  const out: YamlMap = {};
  const declared = job.pipeline.outputs;
  const names = [...Object.keys(declared), ...Object.keys(job.outputs).filter((name) => !(name in declared))];
  for (const name of names) {
    const settingsModel = job.outputs[name] ?? {};
    const type = settingsModel.type ?? (declared[name] && declared[name].type !== "uri_folder" ? declared[name].type : undefined);
    const mode = settingsModel.mode ?? declared[name]?.mode;
    out[name] = outputSettings({ ...settingsModel, ...(type === undefined ? {} : { type }), ...(mode === undefined ? {} : { mode }) });
  }
  return names.length ? out : undefined;
}
