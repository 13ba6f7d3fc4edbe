/**
 * The local workspace registry: data, models, environments and components, versioned as Azure
 * ML versions them. A version is explicit or the next integer after the highest numeric one;
 * it never changes (registering it again with other content is PW4501, with the same content
 * returns the existing version); `@latest` is the newest version not archived; other labels
 * point at one version each. Files live content-addressed in `blobs/sha256/`; a registration
 * checks everything first, stores its blob whole, then writes its row in one transaction.
 */
import type { ComponentAssetModel, ComponentModel, DataAssetModel, EnvironmentAssetModel, ModelAssetModel } from "@pipewright/dsl";
import { join } from "node:path";
import { canonicalJson, sha256 } from "../local/content-hash.js";
import { describeSelector, type AssetSelector } from "./asset-reference.js";
import { BlobStore } from "./blob-store.js";
import { checkDefinition, prepareEnvironment, prepareFiles, withBaseDir, type PreparedContent, type StoredFields } from "./prepare-asset.js";
import { loadStoredComponent, prepareComponent } from "./prepare-component.js";
import type { AssetRecord, AssetRecordOf, RegistryKind } from "./records.js";
import { RegistryDb, type VersionRow } from "./registry-db.js";
import { RegistryError } from "./registry-error.js";

export type RegistrableDefinition = DataAssetModel | ModelAssetModel | EnvironmentAssetModel | ComponentAssetModel;

export type DefinitionOf<K extends RegistryKind> = Extract<RegistrableDefinition, { kind: K }>;

export interface RegisterOptions {
  /** Labels to point at this version (moved from other versions). `latest` is implicit. */
  readonly labels?: readonly string[];
  /** Folder relative paths resolve against when the definition has no baseDir. @default process.cwd() */
  readonly baseDir?: string;
}

export interface ListOptions {
  /** Include archived versions. @default false */
  readonly includeArchived?: boolean;
}

export const REGISTRY_FILE = "registry.db";
const LABEL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;
const LABELS: Readonly<Record<RegistryKind, string>> = { data: "data asset", model: "model", environment: "environment", component: "component" };

interface StoredRecord {
  readonly fields: StoredFields;
  readonly description?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly properties: Readonly<Record<string, unknown>>;
}

export class LocalRegistry {
  readonly db: RegistryDb;
  readonly blobs: BlobStore;

  /** Opens (creating if needed) the registry of the workspace folder `root` (`.pipewright/`). */
  constructor(readonly root: string) {
    this.db = new RegistryDb(join(root, REGISTRY_FILE));
    this.blobs = new BlobStore(root);
    this.blobs.sweepStaging();
  }

  register<K extends RegistryKind>(definition: DefinitionOf<K>, options?: RegisterOptions): AssetRecordOf<K>;
  register(definition: RegistrableDefinition, options: RegisterOptions = {}): AssetRecord {
    const kind = definition.kind as RegistryKind | string;
    if (kind !== "data" && kind !== "model" && kind !== "environment" && kind !== "component") {
      throw new RegistryError("PW4506", `a ${kind} definition is not a versioned asset; the local registry holds data, models, environments and components`);
    }
    const baseDir = options.baseDir ?? process.cwd();
    const labels = options.labels ?? [];
    const name = definition.kind === "component" ? definition.component.name : definition.name;
    for (const label of labels) {
      if (label === "latest" || !LABEL_PATTERN.test(label)) {
        throw new RegistryError("PW4505", `label ${JSON.stringify(label)} cannot be set on ${LABELS[definition.kind]} ${name}: labels are letters, digits, '.', '-' and '_', and 'latest' always means the newest version`);
      }
    }
    const prepared = this.prepare(definition, baseDir);
    const { staged } = prepared;
    try {
      const blob = staged ? this.blobs.hashOf(staged) : undefined;
      const stored: StoredRecord = {
        fields: prepared.fields,
        ...(definition.kind !== "component" && definition.description !== undefined ? { description: definition.description } : {}),
        ...(definition.kind === "component" && definition.component.description !== undefined ? { description: definition.component.description } : {}),
        tags: (definition.kind === "component" ? definition.component.tags : definition.tags) ?? {},
        properties: (definition.kind === "component" ? undefined : definition.properties) ?? {},
      };
      const contentHash = `sha256:${sha256(canonicalJson({ fields: prepared.fields, blob: blob ?? null }))}`;
      const explicit = definition.kind === "component" ? definition.component.version : definition.version;
      const existing = explicit !== undefined ? this.db.getVersion(definition.kind, name, explicit) : undefined;
      if (existing) {
        this.assertSameContent(existing, contentHash);
        if (staged) this.blobs.discard(staged);
        if (labels.length) this.db.transaction(() => labels.forEach((label) => this.db.setLabel(definition.kind, name, label, existing.version)));
        return this.recordOf(this.db.getVersion(definition.kind, name, existing.version) as VersionRow);
      }
      if (staged) this.blobs.commit(staged, blob);
      const version = this.db.transaction(() => {
        const chosen = explicit ?? this.nextVersion(definition.kind, name);
        const raced = this.db.getVersion(definition.kind, name, chosen);
        if (raced) {
          this.assertSameContent(raced, contentHash);
          return chosen;
        }
        this.db.insertVersion({ kind: definition.kind, name, version: chosen, contentHash, blob, createdAt: Date.now(), recordJson: JSON.stringify(stored) });
        for (const label of labels) this.db.setLabel(definition.kind, name, label, chosen);
        return chosen;
      });
      return this.recordOf(this.db.getVersion(definition.kind, name, version) as VersionRow);
    } catch (error) {
      if (staged) this.blobs.discard(staged);
      throw error;
    }
  }

  /** One version: by version (archived ones too), by label, or the latest. */
  get<K extends RegistryKind>(kind: K, name: string, selector?: AssetSelector): AssetRecordOf<K>;
  get(kind: RegistryKind, name: string, selector: AssetSelector = { label: "latest" }): AssetRecord {
    const row = this.find(kind, name, selector);
    if (row) return this.recordOf(row);
    throw this.unknown(kind, name, selector);
  }

  /** `get` without throwing. */
  tryGet<K extends RegistryKind>(kind: K, name: string, selector?: AssetSelector): AssetRecordOf<K> | undefined;
  tryGet(kind: RegistryKind, name: string, selector: AssetSelector = { label: "latest" }): AssetRecord | undefined {
    const row = this.find(kind, name, selector);
    return row ? this.recordOf(row) : undefined;
  }

  /** Every version of `name` (oldest first), or the latest version of each name. */
  list<K extends RegistryKind>(kind: K, name?: string, options?: ListOptions): Array<AssetRecordOf<K>>;
  list(kind: RegistryKind, name?: string, options: ListOptions = {}): AssetRecord[] {
    const include = options.includeArchived === true;
    if (name !== undefined) return this.db.versions(kind, name).filter((row) => include || !row.archived).map((row) => this.recordOf(row));
    const out: AssetRecord[] = [];
    for (const each of this.db.names(kind)) {
      const row = this.db.latest(kind, each, include);
      if (row) out.push(this.recordOf(row));
    }
    return out;
  }

  /** Hides a version from `list` and `@latest`; it still resolves by its version. */
  archive<K extends RegistryKind>(kind: K, name: string, version: string): AssetRecordOf<K>;
  archive(kind: RegistryKind, name: string, version: string): AssetRecord {
    return this.setArchived(kind, name, version, true);
  }

  restore<K extends RegistryKind>(kind: K, name: string, version: string): AssetRecordOf<K>;
  restore(kind: RegistryKind, name: string, version: string): AssetRecord {
    return this.setArchived(kind, name, version, false);
  }

  /** A stored component, ready to run: loaded from its YAML with its code inside the blob. */
  loadComponent(name: string, selector?: AssetSelector): ComponentModel {
    const record = this.get("component", name, selector);
    return loadStoredComponent(record.file, record.version);
  }

  close(): void {
    this.db.close();
  }

  private setArchived(kind: RegistryKind, name: string, version: string, archived: boolean): AssetRecord {
    if (!this.db.getVersion(kind, name, version)) throw this.unknown(kind, name, { version });
    this.db.transaction(() => this.db.setArchived(kind, name, version, archived));
    return this.recordOf(this.db.getVersion(kind, name, version) as VersionRow);
  }

  private prepare(definition: RegistrableDefinition, baseDir: string): PreparedContent {
    if (definition.kind === "component") return prepareComponent(definition, baseDir, this.blobs);
    const located = withBaseDir(definition, baseDir);
    checkDefinition(located, LABELS[definition.kind]);
    const from = located.baseDir ?? baseDir;
    return located.kind === "environment" ? prepareEnvironment(located, from, this.blobs) : prepareFiles(located, from, this.blobs);
  }

  private find(kind: RegistryKind, name: string, selector: AssetSelector): VersionRow | undefined {
    if ("version" in selector) return this.db.getVersion(kind, name, selector.version);
    if (selector.label === "latest") return this.db.latest(kind, name, false);
    const version = this.db.labelVersion(kind, name, selector.label);
    return version === undefined ? undefined : this.db.getVersion(kind, name, version);
  }

  private nextVersion(kind: RegistryKind, name: string): string {
    let highest = 0;
    for (const row of this.db.versions(kind, name)) {
      if (/^\d+$/.test(row.version)) highest = Math.max(highest, Number(row.version));
    }
    return String(highest + 1);
  }

  private assertSameContent(row: VersionRow, contentHash: string): void {
    if (row.content_hash === contentHash) return;
    throw new RegistryError(
      "PW4501",
      `${LABELS[row.kind]} ${row.name}:${row.version} is already registered with different content, and versions never change; ` +
        `register the new content under another version (or leave the version out to get the next one)`,
    );
  }

  private unknown(kind: RegistryKind, name: string, selector: AssetSelector): RegistryError {
    const label = LABELS[kind];
    const versions = this.db.versions(kind, name);
    const wanted = describeSelector(name, selector);
    if (!versions.length) {
      return new RegistryError("PW4502", `no ${label} named '${name}' is registered in ${this.root} (asked for ${wanted}); register it with \`pipewright ${kind} create\``);
    }
    const shown = versions.map((row) => `${row.version}${row.archived ? " (archived)" : ""}`).join(", ");
    const why = "label" in selector && selector.label === "latest" ? "every version is archived" : "it has no such version or label";
    return new RegistryError("PW4502", `${label} '${wanted}' cannot be found in ${this.root}: ${why} (versions: ${shown})`);
  }

  private recordOf(row: VersionRow): AssetRecord {
    const stored = JSON.parse(row.record_json) as StoredRecord;
    const blobPath = row.blob !== null ? this.blobs.pathOf(row.blob) : undefined;
    const inBlob = (entry: string): string => (entry === "" ? (blobPath as string) : join(blobPath as string, entry));
    const base = {
      name: row.name,
      version: row.version,
      id: `azureml:${row.name}:${row.version}`,
      ...(stored.description !== undefined ? { description: stored.description } : {}),
      tags: stored.tags,
      properties: stored.properties,
      labels: this.db.labelsOf(row.kind, row.name, row.version),
      archived: row.archived !== 0,
      createdAt: row.created_at,
      contentHash: row.content_hash,
      ...(row.blob !== null ? { blob: row.blob } : {}),
    };
    const f = stored.fields;
    switch (f.kind) {
      case "data":
      case "model":
        return { ...base, kind: f.kind, type: f.type, path: f.entry !== undefined ? inBlob(f.entry) : (f.uri ?? "") };
      case "environment":
        return {
          ...base,
          kind: "environment",
          ...(f.image !== undefined ? { image: f.image } : {}),
          ...(f.condaEntry !== undefined ? { condaFile: inBlob(f.condaEntry) } : {}),
          ...(f.buildEntry !== undefined ? { build: { path: inBlob(f.buildEntry), ...(f.dockerfilePath !== undefined ? { dockerfilePath: f.dockerfilePath } : {}) } } : {}),
          ...(f.osType !== undefined ? { osType: f.osType } : {}),
        };
      case "component":
        return { ...base, kind: "component", type: f.type, ...(f.displayName !== undefined ? { displayName: f.displayName } : {}), file: inBlob(f.entry) };
    }
  }
}
