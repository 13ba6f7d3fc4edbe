/**
 * The asset parts of the client, shaped like the Azure ML SDK's `ml_client.data`, `.models`,
 * `.environments`, `.components` and `.datastores`. The local workspace implements them over
 * its registry; the Azure ML backend implements the same interfaces with its own records.
 */
import type {
  ComponentAssetModel,
  ComponentModel,
  DataAssetModel,
  DatastoreModel,
  EnvironmentAssetModel,
  ModelAssetModel,
} from "@pipewright/dsl";
import type { ComponentAssetRecord, DataAssetRecord, DatastoreRecord, EnvironmentAssetRecord, ModelAssetRecord } from "./records.js";

export interface AssetCreateOptions {
  /** Labels to point at the new (or existing identical) version; `latest` is implicit. */
  readonly labels?: readonly string[];
}

/** Which version `get` returns: one of them, or the latest when neither is given. */
export interface AssetGetOptions {
  readonly version?: string;
  readonly label?: string;
}

export interface AssetListOptions {
  /** Include archived versions. @default false */
  readonly includeArchived?: boolean;
}

export interface AssetOperations<TDefinition, TRecord> {
  /**
   * Registers a version: the given one, or the next integer. A version never changes: the same
   * content again returns the existing version, other content is an error.
   */
  createOrUpdate(definition: TDefinition, options?: AssetCreateOptions): Promise<TRecord>;
  get(name: string, options?: AssetGetOptions): Promise<TRecord>;
  /** With a name: its versions, oldest first. Without: the latest version of each name. */
  list(name?: string, options?: AssetListOptions): Promise<TRecord[]>;
  /** Hides a version from `list` and `@latest`; it still resolves by version. */
  archive(name: string, version: string): Promise<TRecord>;
  restore(name: string, version: string): Promise<TRecord>;
}

/** A component to register: `registerComponent(c)`, a component (`command(...)`) or its model. */
export type ComponentDefinition = ComponentAssetModel | ComponentModel | { readonly model: ComponentModel };

export type DataOperations<TRecord = DataAssetRecord> = AssetOperations<DataAssetModel, TRecord>;
export type ModelOperations<TRecord = ModelAssetRecord> = AssetOperations<ModelAssetModel, TRecord>;
export type EnvironmentOperations<TRecord = EnvironmentAssetRecord> = AssetOperations<EnvironmentAssetModel, TRecord>;
export type ComponentOperations<TRecord = ComponentAssetRecord> = AssetOperations<ComponentDefinition, TRecord>;

/** A local datastore: a name for a folder on this machine. */
export interface LocalDatastoreDefinition {
  readonly name: string;
  /** The folder (absolute, or relative to the client's working folder). */
  readonly path: string;
}

export interface DatastoreCreateOptions {
  /** For an Azure datastore definition used locally: the folder that stands in for it. @default `<workspace>/datastores/<name>` */
  readonly path?: string;
}

export interface DatastoreOperations<TDefinition = LocalDatastoreDefinition | DatastoreModel, TRecord = DatastoreRecord> {
  createOrUpdate(definition: TDefinition, options?: DatastoreCreateOptions): Promise<TRecord>;
  get(name: string): Promise<TRecord>;
  list(): Promise<TRecord[]>;
}
