/** The asset operations over the local registry, and local datastores over the workspace's folder mapping. */
import { ASSET_NAME_PATTERN, checkAsset, diagnostic, type Diagnostic } from "@pipewright/compiler";
import type { ComponentAssetModel, ComponentModel, DatastoreModel } from "@pipewright/dsl";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { RunnerError } from "../local/errors.js";
import type { LocalWorkspace } from "../workspace/workspace.js";
import type {
  AssetCreateOptions,
  AssetGetOptions,
  AssetListOptions,
  AssetOperations,
  ComponentDefinition,
  DatastoreCreateOptions,
  DatastoreOperations,
  LocalDatastoreDefinition,
} from "./assets-operations.js";
import type { AssetSelector } from "./asset-reference.js";
import type { DefinitionOf, LocalRegistry } from "./local-registry.js";
import type { AssetRecordOf, DatastoreRecord, RegistryKind } from "./records.js";
import { definitionError } from "./registry-error.js";

export class LocalAssetOperations<K extends RegistryKind, TDefinition = DefinitionOf<K>> implements AssetOperations<TDefinition, AssetRecordOf<K>> {
  constructor(
    private readonly registry: () => LocalRegistry,
    readonly kind: K,
    private readonly normalize: (definition: TDefinition) => DefinitionOf<K>,
    /** Relative paths of definitions without a baseDir resolve here. */
    private readonly cwd: string,
  ) {}

  async createOrUpdate(definition: TDefinition, options: AssetCreateOptions = {}): Promise<AssetRecordOf<K>> {
    return this.registry().register<K>(this.normalize(definition), { baseDir: this.cwd, ...(options.labels !== undefined ? { labels: options.labels } : {}) });
  }

  async get(name: string, options: AssetGetOptions = {}): Promise<AssetRecordOf<K>> {
    return this.registry().get(this.kind, name, selectorOf(options));
  }

  async list(name?: string, options: AssetListOptions = {}): Promise<Array<AssetRecordOf<K>>> {
    return this.registry().list(this.kind, name, options);
  }

  async archive(name: string, version: string): Promise<AssetRecordOf<K>> {
    return this.registry().archive(this.kind, name, version);
  }

  async restore(name: string, version: string): Promise<AssetRecordOf<K>> {
    return this.registry().restore(this.kind, name, version);
  }
}

export function selectorOf(options: AssetGetOptions): AssetSelector {
  if (options.version !== undefined && options.label !== undefined) {
    throw new RunnerError("PW4505", "give a version or a label, not both");
  }
  if (options.version !== undefined) return { version: options.version };
  return { label: options.label ?? "latest" };
}

export function componentDefinition(definition: ComponentDefinition): ComponentAssetModel {
  if ("kind" in definition && definition.kind === "component") return definition as ComponentAssetModel;
  const component: ComponentModel = "model" in definition ? (definition as { readonly model: ComponentModel }).model : (definition as ComponentModel);
  return { kind: "component", component, ...(component.location !== undefined ? { location: component.location } : {}) };
}

/** Datastores as named folders, kept in the workspace's own datastore mapping (the one runs read). */
export class LocalDatastoreOperations implements DatastoreOperations {
  constructor(
    private readonly workspace: LocalWorkspace,
    private readonly cwd: string,
  ) {}

  async createOrUpdate(definition: LocalDatastoreDefinition | DatastoreModel, options: DatastoreCreateOptions = {}): Promise<DatastoreRecord> {
    const diagnostics: Diagnostic[] = [];
    const where = { path: `datastore/${definition.name}` };
    let folder: string;
    if ("kind" in definition) {
      // An Azure datastore definition: its checks (names, secrets written inline) still apply.
      diagnostics.push(...checkAsset(definition));
      folder = options.path !== undefined ? this.absolute(options.path) : join(this.workspace.root, "datastores", definition.name);
      if (options.path === undefined && !diagnostics.length) mkdirSync(folder, { recursive: true });
    } else {
      if (!ASSET_NAME_PATTERN.test(definition.name)) {
        diagnostics.push(diagnostic("PW1501", `datastore name ${JSON.stringify(definition.name)} is outside Azure's rules: letters, digits, '-' and '_', starting with a letter or digit; rename it.`, where));
      }
      folder = this.absolute(options.path ?? definition.path);
    }
    if (!diagnostics.length && (!existsSync(folder) || !statSync(folder).isDirectory())) {
      diagnostics.push(diagnostic("PW1506", `datastore ${definition.name}: the folder ${folder} does not exist; create it or fix the path.`, where));
    }
    if (diagnostics.some((d) => d.severity === "error")) throw definitionError(`datastore ${definition.name}`, diagnostics);
    this.workspace.setDatastore(definition.name, folder);
    return { name: definition.name, path: folder, builtin: false };
  }

  async get(name: string): Promise<DatastoreRecord> {
    const mapped = this.workspace.store.getDatastore(name);
    if (mapped !== undefined) return { name, path: mapped, builtin: false };
    const builtin = this.workspace.tryDatastoreFolder(name);
    if (builtin !== undefined) return { name, path: builtin, builtin: true };
    throw new RunnerError("PW4004", `no datastore named '${name}' in ${this.workspace.root}; create one with \`pipewright datastore create --name ${name} --path <folder>\``);
  }

  async list(): Promise<DatastoreRecord[]> {
    const mapped = this.workspace.store.listDatastores().map((row) => ({ name: row.name, path: row.path, builtin: false }));
    const names = new Set(mapped.map((d) => d.name));
    const builtins: DatastoreRecord[] = [];
    for (const name of BUILTIN_DATASTORES) {
      const path = names.has(name) ? undefined : this.workspace.tryDatastoreFolder(name);
      if (path !== undefined) builtins.push({ name, path, builtin: true });
    }
    return [...mapped, ...builtins].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  private absolute(path: string): string {
    return isAbsolute(path) ? path : resolve(this.cwd, path);
  }
}

/** The datastores every Azure ML workspace has; the local workspace gives each a folder. */
const BUILTIN_DATASTORES = ["workspaceblobstore", "workspaceartifactstore", "workspacefilestore", "workspaceworkingdirectory"];
