/**
 * What the local registry returns: one record per asset version, shaped like the Azure ML SDK's
 * asset objects (name, version, type, path...) plus what the local registry knows about it
 * (its content hash, labels, whether it is archived).
 */

export const REGISTRY_KINDS = ["data", "model", "environment", "component"] as const;
export type RegistryKind = (typeof REGISTRY_KINDS)[number];

interface AssetRecordBase {
  readonly name: string;
  readonly version: string;
  /** `azureml:<name>:<version>`, the reference a job uses to pin this version. */
  readonly id: string;
  readonly description?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly properties: Readonly<Record<string, unknown>>;
  /** Labels other than `latest` pointing at this version. */
  readonly labels: readonly string[];
  /** Archived versions are left out of `list` and `@latest` but still resolve by version. */
  readonly archived: boolean;
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
  /** `sha256:<hex>` of what the version is; registering the same content again is a no-op. */
  readonly contentHash: string;
  /** The content-addressed blob holding the version's files, when it has any. */
  readonly blob?: string;
}

export interface DataAssetRecord extends AssetRecordBase {
  readonly kind: "data";
  readonly type: string;
  /** The stored file or folder (absolute), or the URI as registered (datastore, http). */
  readonly path: string;
}

export interface ModelAssetRecord extends AssetRecordBase {
  readonly kind: "model";
  readonly type: string;
  readonly path: string;
}

export interface EnvironmentAssetRecord extends AssetRecordBase {
  readonly kind: "environment";
  readonly image?: string;
  /** The stored conda file (absolute). */
  readonly condaFile?: string;
  /** The stored docker build context (absolute) and its Dockerfile inside it. */
  readonly build?: { readonly path: string; readonly dockerfilePath?: string };
  readonly osType?: string;
}

export interface ComponentAssetRecord extends AssetRecordBase {
  readonly kind: "component";
  /** `command` or `pipeline`. */
  readonly type: string;
  readonly displayName?: string;
  /** The stored component YAML (absolute); its code folders are stored beside it. */
  readonly file: string;
}

export type AssetRecord = DataAssetRecord | ModelAssetRecord | EnvironmentAssetRecord | ComponentAssetRecord;

export type AssetRecordOf<K extends RegistryKind> = Extract<AssetRecord, { kind: K }>;

/** A local datastore: a named folder that `azureml://datastores/<name>/paths/<p>` resolves in. */
export interface DatastoreRecord {
  readonly name: string;
  readonly path: string;
  /** One of the datastores every Azure ML workspace has, given a folder in the workspace. */
  readonly builtin: boolean;
}
