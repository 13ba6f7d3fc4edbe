/**
 * `data`, `models`, `environments` and `components` of the Azure ML client, on the interfaces the
 * local registry implements. A definition is checked before any request (PW4504 with its
 * diagnostics); local files go through the backend's uploads, deduplicated by content hash; the
 * version is the given one or the container's next. Versions never change: the same content
 * again returns the existing version without sending anything, other content is PW4610.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import {
  canonicalJson,
  checkAsset,
  dataVersionBody,
  environmentVersionBody,
  modelVersionBody,
  namedComponentBody,
  sameAssetContent,
  type AssetVersionBody,
} from "@pipewright/compiler";
import type { DataAssetModel, EnvironmentAssetModel, ModelAssetModel } from "@pipewright/dsl";
import type { AssetCreateOptions, AssetGetOptions, AssetListOptions, AssetOperations, ComponentDefinition } from "../registry/assets-operations.js";
import { componentDefinition } from "../registry/local-assets-operations.js";
import { checkDefinition, localPath, withBaseDir } from "../registry/prepare-asset.js";
import { definitionError } from "../registry/registry-error.js";
import type { AzureComponentsOperations } from "./azure-components.js";
import { AzureError } from "./azure-error.js";
import { AssetsApi, notFoundError, type VersionedSegment } from "./assets-api.js";
import {
  componentRecord,
  CONTENT_HASH_PROPERTY,
  dataRecord,
  environmentRecord,
  modelRecord,
  type AzureAssetRecord,
  type AzureComponentRecord,
  type AzureDataRecord,
  type AzureEnvironmentRecord,
  type AzureModelRecord,
} from "./assets-records.js";
import { datastoreContainer } from "./download.js";
import type { Uploader } from "./uploads.js";
import { asMap, str, type JsonMap } from "./workspace-api.js";

/** What a definition becomes once checked and uploaded: its name, version and body for a version. */
interface Prepared {
  readonly name: string;
  readonly version: string | undefined;
  readonly body: (version: string) => AssetVersionBody;
}

export interface AzureAssetsContext {
  readonly assets: AssetsApi;
  readonly uploader: Uploader;
  /** Relative paths of definitions without a baseDir resolve here. */
  readonly cwd: string;
}

/** The body with pipewright's content hash among its properties (computed without the version). */
function withHash(prepared: Prepared, version: string): { body: AssetVersionBody; hash: string } {
  const unversioned = prepared.body("").properties;
  const hash = `sha256:${createHash("sha256").update(canonicalJson(unversioned)).digest("hex")}`;
  const body = prepared.body(version);
  const properties = { ...asMap(body.properties["properties"]), [CONTENT_HASH_PROPERTY]: hash };
  return { body: { properties: { ...body.properties, properties } }, hash };
}

abstract class AzureVersionedOperations<TDefinition, TRecord extends AzureAssetRecord> implements AssetOperations<TDefinition, TRecord> {
  constructor(
    protected readonly ctx: AzureAssetsContext,
    private readonly segment: VersionedSegment,
    private readonly label: string,
    private readonly toRecord: (resource: JsonMap, name: string) => TRecord,
  ) {}

  /** Checks (no request), then uploads; throws PW4504 with the definition's diagnostics. */
  protected abstract prepare(definition: TDefinition): Promise<Prepared>;

  async createOrUpdate(definition: TDefinition, options: AssetCreateOptions = {}): Promise<TRecord> {
    const labels = (options.labels ?? []).filter((l) => l !== "latest");
    if (labels.length > 0) throw new AzureError("PW4602", `Azure ML keeps no labels but latest; ${labels.join(", ")} cannot be set on a ${this.label} (drop --label)`);
    const prepared = await this.prepare(definition);
    const { name } = prepared;
    if (prepared.version !== undefined) {
      const existing = await this.ctx.assets.version(this.segment, name, prepared.version);
      if (existing) {
        if (this.same(prepared, existing)) return { ...this.toRecord(existing, name), created: false };
        throw new AzureError("PW4610", `${this.label} ${name}:${prepared.version} already exists in workspace ${this.workspace} with other content; versions never change: give another version, or leave the version out for the next one`);
      }
      return this.put(prepared, prepared.version);
    }
    const latest = (await this.ctx.assets.versions(this.segment, name, { top: 1 }))[0];
    if (latest && this.same(prepared, latest)) return { ...this.toRecord(latest, name), created: false };
    const container = await this.ctx.assets.container(this.segment, name);
    const next = str(asMap(container?.["properties"])["nextVersion"]) ?? "1";
    return this.put(prepared, next);
  }

  async get(name: string, options: AssetGetOptions = {}): Promise<TRecord> {
    if (options.version !== undefined && options.label !== undefined) throw new AzureError("PW4602", "give a version or a label, not both");
    if (options.version !== undefined) {
      const found = await this.ctx.assets.version(this.segment, name, options.version);
      if (!found) throw notFoundError(`${this.label} ${name}:${options.version}`, this.workspace);
      return this.toRecord(found, name);
    }
    if (options.label !== undefined && options.label !== "latest") throw new AzureError("PW4602", `Azure ML keeps no labels but latest; ask for ${name}@latest or a version`);
    const latest = (await this.ctx.assets.versions(this.segment, name, { top: 1 }))[0];
    if (!latest) throw notFoundError(`${this.label} named ${name}`, this.workspace);
    return this.toRecord(latest, name);
  }

  async list(name?: string, options: AssetListOptions = {}): Promise<TRecord[]> {
    const archived = options.includeArchived === true;
    if (name !== undefined) {
      const versions = (await this.ctx.assets.versions(this.segment, name, { archived })).map((r) => this.toRecord(r, name)).reverse();
      // Oldest first; the service's order is by creation time, which ties at its resolution.
      return versions.sort((a, b) => a.createdAt - b.createdAt || numericOrder(a.version, b.version));
    }
    const out: TRecord[] = [];
    for (const container of await this.ctx.assets.containers(this.segment)) {
      const containerName = str(container["name"]) ?? "";
      const latest = (await this.ctx.assets.versions(this.segment, containerName, { top: 1, archived }))[0];
      // Anonymous versions (what job submissions register) are not assets a user lists.
      if (latest && asMap(latest["properties"])["isAnonymous"] !== true) out.push(this.toRecord(latest, containerName));
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  archive(name: string, version: string): Promise<TRecord> {
    return this.setArchived(name, version, true);
  }

  restore(name: string, version: string): Promise<TRecord> {
    return this.setArchived(name, version, false);
  }

  private async setArchived(name: string, version: string, isArchived: boolean): Promise<TRecord> {
    const found = await this.ctx.assets.version(this.segment, name, version);
    if (!found) throw notFoundError(`${this.label} ${name}:${version}`, this.workspace);
    const { provisioningState: _state, environmentType: _type, ...properties } = asMap(found["properties"]);
    return this.toRecord(await this.ctx.assets.putVersion(this.segment, name, version, { properties: { ...properties, isArchived } }), name);
  }

  private get workspace(): string {
    return this.ctx.assets.api.scope.workspaceName;
  }

  private same(prepared: Prepared, resource: JsonMap): boolean {
    const version = str(resource["name"]) ?? "";
    const stored = asMap(resource["properties"]);
    const storedHash = str(asMap(stored["properties"])[CONTENT_HASH_PROPERTY]);
    const { body, hash } = withHash(prepared, version);
    return storedHash !== undefined ? storedHash === hash : sameAssetContent(body, stored);
  }

  private async put(prepared: Prepared, version: string): Promise<TRecord> {
    const { body } = withHash(prepared, version);
    const resource = await this.ctx.assets.putVersion(this.segment, prepared.name, version, body);
    return { ...this.toRecord(resource, prepared.name), created: true };
  }
}

function numericOrder(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  return Number.isInteger(x) && Number.isInteger(y) ? x - y : 0;
}

/** A local file or folder becomes its uploaded `azureml://datastores/...` URI; URIs stay as given. */
async function uploadedUri(ctx: AzureAssetsContext, path: string, baseDir: string): Promise<string> {
  const local = localPath(path, baseDir);
  return local === undefined ? path : ctx.uploader.data(local, undefined);
}

/** Data and models: checked, their local path uploaded (once per content), then the version body. */
async function preparePathAsset<T extends DataAssetModel | ModelAssetModel>(
  ctx: AzureAssetsContext,
  definition: T,
  label: string,
  body: (located: T, uri: string) => AssetVersionBody,
): Promise<Prepared> {
  const located = withBaseDir(definition, ctx.cwd);
  checkDefinition(located, label);
  const uri = await uploadedUri(ctx, located.path, located.baseDir ?? ctx.cwd);
  return { name: located.name, version: located.version, body: () => body(located, uri) };
}

export class AzureDataOperations extends AzureVersionedOperations<DataAssetModel, AzureDataRecord> {
  constructor(ctx: AzureAssetsContext) {
    super(ctx, "data", "data asset", dataRecord);
  }

  protected prepare(definition: DataAssetModel): Promise<Prepared> {
    return preparePathAsset(this.ctx, definition, "data asset", dataVersionBody);
  }
}

export class AzureModelOperations extends AzureVersionedOperations<ModelAssetModel, AzureModelRecord> {
  constructor(ctx: AzureAssetsContext) {
    super(ctx, "models", "model", modelRecord);
  }

  protected prepare(definition: ModelAssetModel): Promise<Prepared> {
    return preparePathAsset(this.ctx, definition, "model", modelVersionBody);
  }
}

export class AzureEnvironmentOperations extends AzureVersionedOperations<EnvironmentAssetModel, AzureEnvironmentRecord> {
  constructor(ctx: AzureAssetsContext) {
    super(ctx, "environments", "environment", environmentRecord);
  }

  protected async prepare(definition: EnvironmentAssetModel): Promise<Prepared> {
    const located = withBaseDir(definition, this.ctx.cwd);
    checkDefinition(located, "environment");
    const baseDir = located.baseDir ?? this.ctx.cwd;
    const conda = typeof located.condaFile === "string" ? readFileSync(localPath(located.condaFile, baseDir) ?? located.condaFile, "utf8") : undefined;
    let contextUri: string | undefined;
    if (located.build !== undefined) {
      const folder = localPath(located.build.path, baseDir);
      contextUri = folder === undefined ? located.build.path : await this.blobUrl(await this.ctx.uploader.data(folder, undefined));
    }
    const resolved = { ...(conda !== undefined ? { condaText: conda } : {}), ...(contextUri !== undefined ? { contextUri } : {}) };
    return { name: located.name, version: located.version, body: () => environmentVersionBody(located, resolved) };
  }

  /** `azureml://datastores/<ds>/paths/<p>` as the blob URL a build context is given by. */
  private async blobUrl(uri: string): Promise<string> {
    const match = /^azureml:\/\/datastores\/([^/]+)\/paths\/(.*)$/.exec(uri);
    if (!match) return uri;
    const { container } = await datastoreContainer(this.ctx.assets.api, match[1]);
    return `${container.url.split("?")[0] ?? ""}/${match[2] ?? ""}`;
  }
}

/**
 * Components registered under their own name and version. The component is first registered the
 * way a job registers it (anonymous, by content hash, with its code uploaded once), and the named
 * version is that spec under the component's name.
 */
export class AzureComponentOperations extends AzureVersionedOperations<ComponentDefinition, AzureComponentRecord> {
  constructor(
    ctx: AzureAssetsContext,
    private readonly anonymous: AzureComponentsOperations,
  ) {
    super(ctx, "components", "component", componentRecord);
  }

  protected async prepare(definition: ComponentDefinition): Promise<Prepared> {
    const asset = componentDefinition(definition);
    const diagnostics = checkAsset(asset);
    if (diagnostics.some((d) => d.severity === "error")) throw definitionError(`component ${asset.component.name}`, diagnostics);
    const registered = await this.anonymous.createOrUpdate(asset.component);
    const resource = await this.ctx.assets.version("components", registered.name, registered.version);
    if (!resource) throw new AzureError("PW4602", `component ${asset.component.name}: its anonymous version ${registered.version} was not found after registering it`);
    const spec = asMap(resource["properties"]);
    const name = asset.component.name;
    return { name, version: asset.component.version, body: (version) => namedComponentBody({ properties: spec }, name, version) };
  }
}

export type { AzureDataRecord, AzureModelRecord, AzureEnvironmentRecord, AzureComponentRecord };
