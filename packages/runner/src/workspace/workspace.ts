/** The local workspace folder (`.pipewright/` at the project root): index, job folders, snapshots. */
import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { WorkspaceStore } from "./store.js";

export const DEFAULT_WORKSPACE_FOLDER = ".pipewright";

/** Datastores that exist in every Azure ML workspace get a folder here without being mapped. */
const BUILTIN_DATASTORES = ["workspaceblobstore", "workspaceartifactstore", "workspacefilestore", "workspaceworkingdirectory"];

export class LocalWorkspace {
  readonly store: WorkspaceStore;

  private constructor(readonly root: string) {
    this.store = new WorkspaceStore(root);
  }

  static open(root: string): LocalWorkspace {
    return new LocalWorkspace(resolve(root));
  }

  jobFolder(job: string): string {
    return join(this.root, "jobs", job);
  }

  get snapshotsFolder(): string {
    return join(this.root, "snapshots");
  }

  /** Maps `azureml://datastores/<name>/...` to a local folder. */
  setDatastore(name: string, path: string): void {
    this.store.setDatastore(name, resolve(path));
  }

  /** The local folder of a datastore, or undefined when it is neither mapped nor built in. */
  tryDatastoreFolder(name: string): string | undefined {
    const mapped = this.store.getDatastore(name);
    if (mapped) return mapped;
    return BUILTIN_DATASTORES.includes(name) ? join(this.root, "datastores", name) : undefined;
  }

  close(): void {
    this.store.close();
  }
}

/** The nearest folder at or above `from` holding package.json or .git; `from` itself otherwise. */
export function findProjectRoot(from: string): string {
  let folder = resolve(from);
  for (;;) {
    if (existsSync(join(folder, "package.json")) || existsSync(join(folder, ".git"))) return folder;
    const parent = dirname(folder);
    if (parent === folder) return resolve(from);
    folder = parent;
  }
}

/** Where the workspace lives: an explicit folder, or `.pipewright/` at the project root. */
export function workspaceFolder(options: { readonly workspace?: string; readonly projectDir?: string; readonly cwd: string }): string {
  if (options.workspace) return isAbsolute(options.workspace) ? options.workspace : resolve(options.cwd, options.workspace);
  return join(findProjectRoot(options.projectDir ?? options.cwd), DEFAULT_WORKSPACE_FOLDER);
}
