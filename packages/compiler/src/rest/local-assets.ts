/**
 * What a pipeline job needs uploaded before it can be submitted: each distinct local code folder
 * and each local data input (job inputs, node inputs, data defaults of pipeline inputs), as
 * absolute paths. The runner uploads them and hands back their ids; `compileRestBodies` then
 * puts those ids where the paths were. Pure: no file is read.
 */
import { isPrimitiveKind, type ComponentModel, type ComponentReferenceModel, type NodeModel, type PipelineJobModel } from "@pipewright/dsl";
import { isAbsolute, join, normalize } from "node:path";
import { isLocalPath } from "../emit/paths.js";

export interface RestProblem {
  readonly severity: "error" | "warning";
  /** Node path such as `train_pipeline/train/inputs/data`. */
  readonly path: string;
  readonly message: string;
}

export interface LocalCodeFolder {
  /** Absolute folder. */
  readonly path: string;
  /**
   * `additional_includes`, absolute, copied into the snapshot's root beside the folder's files
   * (empty when there are none). The same folder with other includes is another snapshot.
   */
  readonly includes: readonly LocalInclude[];
  /** What `RestResolution.code` is keyed by: `codeSnapshotKey(path, includes)`. */
  readonly key: string;
  /** Names of the components that use it. */
  readonly components: readonly string[];
  /** Files declaring those components, where known (for error messages). */
  readonly declaredIn: readonly string[];
}

export interface LocalInclude {
  /** Absolute file or folder. */
  readonly path: string;
  /** As written in `additional_includes`. */
  readonly written: string;
}

/** The key of a code snapshot: its folder, and its additional includes when it has any. */
export function codeSnapshotKey(folder: string, includes: readonly { readonly path: string }[] = []): string {
  return includes.length === 0 ? folder : [folder, ...includes.map((include) => include.path)].join("\n+ ");
}

/**
 * The code folder of a component with its `additional_includes` (each resolved against the
 * component's folder, as Azure ML resolves them against the component's YAML file). A component
 * with includes but no `code` uses its own folder as code, as the Azure ML SDK does.
 */
export function componentCodeSnapshot(
  component: ComponentModel,
  fallbackDir: string | undefined,
): { folder?: string; written?: string; includes: LocalInclude[]; problems: string[] } {
  const declared = (component as { code?: unknown }).code ?? (component.type !== "command" && component.type !== "pipeline" ? (component as { body?: Readonly<Record<string, unknown>> }).body?.["code"] : undefined);
  const list = component.type === "command" ? ((component as { additionalIncludes?: readonly string[] }).additionalIncludes ?? []) : [];
  const written = typeof declared === "string" ? declared : list.length > 0 ? "." : undefined;
  const problems: string[] = [];
  const includes: LocalInclude[] = [];
  for (const include of list) {
    const path = localAbsolutePath(include, component.baseDir, fallbackDir);
    if (path !== undefined) includes.push({ path, written: include });
    else problems.push(isLocalPath(include) ? `the additional include '${include}' cannot be resolved: the component has no folder to resolve it against` : `the additional include '${include}' is not a local path; only local files and folders can be included`);
  }
  const folder = written === undefined ? undefined : localAbsolutePath(written, component.baseDir, fallbackDir);
  return { ...(folder !== undefined ? { folder } : {}), ...(written !== undefined ? { written } : {}), includes, problems };
}

export interface LocalDataInput {
  /** Absolute file or folder. */
  readonly path: string;
  /** uri_file, uri_folder, mltable... */
  readonly type: string;
  /** The datastore named by the input. @default the workspace's default datastore */
  readonly datastore?: string;
  /** Where it is used, e.g. `job/inputs/raw`. */
  readonly usedAt: readonly string[];
}

export interface LocalAssets {
  /** Sorted by path. */
  readonly codeFolders: readonly LocalCodeFolder[];
  /** Sorted by path. */
  readonly data: readonly LocalDataInput[];
  readonly problems: readonly RestProblem[];
}

/**
 * An absolute local path for `path` written relative to `baseDir` (else `fallbackDir`), or
 * undefined when it is not a local path (an `azureml:` reference, a URL, an expression).
 */
export function localAbsolutePath(path: string, baseDir: string | undefined, fallbackDir: string | undefined): string | undefined {
  if (!isLocalPath(path)) return undefined;
  const bare = path.startsWith("file:") ? path.slice("file:".length) : path;
  if (isAbsolute(bare)) return stripSlash(normalize(bare));
  const base = baseDir ?? fallbackDir;
  if (base === undefined) return undefined;
  return stripSlash(join(base, bare));
}

function stripSlash(path: string): string {
  return path.length > 1 ? path.replace(/[\\/]+$/, "") : path;
}

export function isComponentReference(component: ComponentModel | ComponentReferenceModel): component is ComponentReferenceModel {
  return component.type === "reference" && typeof (component as Partial<ComponentReferenceModel>).ref === "string";
}

/** Every local folder and data input the job uses; `fallbackDir` resolves paths of models without a baseDir. */
export function collectLocalAssets(job: PipelineJobModel, fallbackDir?: string): LocalAssets {
  const code = new Map<string, { path: string; includes: LocalInclude[]; components: Set<string>; files: Set<string> }>();
  const data = new Map<string, { type: string; datastore: string | undefined; usedAt: string[] }>();
  const problems: RestProblem[] = [];
  const jobBase = job.baseDir ?? fallbackDir;

  const addData = (path: string | undefined, type: string, datastore: string | undefined, baseDir: string | undefined, at: string): void => {
    if (path === undefined || isPrimitiveKind(type)) return;
    const absolute = localAbsolutePath(path, baseDir, jobBase);
    if (absolute === undefined) {
      if (isLocalPath(path)) problems.push({ severity: "error", path: at, message: `the local path '${path}' cannot be resolved: the job has no folder to resolve it against` });
      return;
    }
    const entry = data.get(absolute) ?? { type, datastore, usedAt: [] };
    entry.usedAt.push(at);
    data.set(absolute, entry);
  };

  const seen = new Set<ComponentModel>();
  const visitComponent = (component: ComponentModel, at: string): void => {
    if (seen.has(component)) return;
    seen.add(component);
    if (component.type !== "pipeline") {
      const snapshot = componentCodeSnapshot(component, jobBase);
      for (const message of snapshot.problems) problems.push({ severity: "error", path: at, message });
      if (snapshot.folder !== undefined) {
        const key = codeSnapshotKey(snapshot.folder, snapshot.includes);
        const entry = code.get(key) ?? { path: snapshot.folder, includes: snapshot.includes, components: new Set(), files: new Set() };
        entry.components.add(component.name);
        if (component.location?.file !== undefined) entry.files.add(component.location.file);
        code.set(key, entry);
      } else if (component.type === "command" && snapshot.written !== undefined && isLocalPath(snapshot.written)) {
        problems.push({ severity: "error", path: at, message: `the code folder '${snapshot.written}' cannot be resolved: the component has no folder to resolve it against` });
      }
    }
    if (component === job.pipeline) {
      // Data defaults of the job's own inputs become job input values when nothing binds them.
      for (const [name, port] of Object.entries(component.inputs)) {
        if (typeof port.default === "string" && !(name in job.inputs)) addData(port.default, port.type, undefined, component.baseDir, `${at}/inputs/${name}`);
      }
    }
    if (component.type === "pipeline") visitNodes((component as { jobs: readonly NodeModel[] }).jobs, component.baseDir, at);
  };
  const visitNodes = (nodes: readonly NodeModel[], baseDir: string | undefined, at: string): void => {
    for (const node of nodes) {
      const nodeAt = `${at}/${node.name}`;
      const callerDir = node.location?.file === undefined ? baseDir : node.location.file.replace(/\\/g, "/").replace(/\/[^/]*$/, "");
      for (const [name, binding] of Object.entries(node.inputs)) {
        if (binding.kind === "data") addData(binding.path, binding.type, binding.datastore, binding.baseDir ?? callerDir, `${nodeAt}/inputs/${name}`);
      }
      if (!isComponentReference(node.component)) visitComponent(node.component, nodeAt);
    }
  };

  for (const [name, binding] of Object.entries(job.inputs)) {
    if (binding.kind === "data") addData(binding.path, binding.type, binding.datastore, binding.baseDir ?? job.baseDir, `${job.pipeline.name}/inputs/${name}`);
  }
  visitComponent(job.pipeline, job.pipeline.name);

  return {
    codeFolders: [...code.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, entry]) => ({ path: entry.path, includes: entry.includes, key, components: [...entry.components].sort(), declaredIn: [...entry.files].sort() })),
    data: [...data.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([path, entry]) => ({ path, type: entry.type, ...(entry.datastore !== undefined ? { datastore: entry.datastore } : {}), usedAt: entry.usedAt })),
    problems,
  };
}
