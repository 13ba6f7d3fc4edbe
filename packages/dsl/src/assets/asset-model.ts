/**
 * The resources and assets of an Azure ML workspace as plain, frozen data: what the asset
 * definition functions build and what the compiler's asset loader reads back from
 * `az ml <kind> create -f` YAML. Field names are camelCase; `location` is always where the
 * definition was declared (file:line:col), and the Azure region is `region` (YAML `location`).
 * `extra` keeps keys pipewright does not model, so a file loaded and written back loses nothing.
 */
import type { SourceLocation } from "../location.js";
import type { ComponentModel, Extra } from "../model.js";
import type { CredentialValue } from "./secret.js";

interface Definition {
  readonly name: string;
  readonly description?: string;
  readonly tags?: Readonly<Record<string, string>>;
  /** Absolute folder that relative local paths in this definition resolve against. */
  readonly baseDir?: string;
  readonly location?: SourceLocation;
  readonly extra?: Extra;
}

/** A workspace, for creation only (`az ml workspace create -f`). */
export interface WorkspaceModel extends Definition {
  readonly kind: "workspace";
  readonly displayName?: string;
  /** Azure region (YAML `location`). */
  readonly region?: string;
  readonly resourceGroup?: string;
  readonly hbiWorkspace?: boolean;
}

export const COMPUTE_TYPES = ["amlcompute", "computeinstance", "kubernetes", "virtualmachine"] as const;
export type ComputeType = (typeof COMPUTE_TYPES)[number];

export const COMPUTE_TIERS = ["dedicated", "low_priority"] as const;
export type ComputeTier = (typeof COMPUTE_TIERS)[number];

interface ComputeCommon extends Definition {
  readonly kind: "compute";
  /** Azure region (YAML `location`). */
  readonly region?: string;
}

export interface NetworkSettingsModel {
  readonly vnetName?: string;
  readonly subnet?: string;
}

/** A compute cluster (`amlCompute.schema.json`). */
export interface AmlComputeModel extends ComputeCommon {
  readonly type: "amlcompute";
  readonly size?: string;
  readonly minInstances?: number;
  readonly maxInstances?: number;
  /** Seconds a node may be idle before the cluster scales down. */
  readonly idleTimeBeforeScaleDown?: number;
  readonly tier?: string;
  readonly sshPublicAccessEnabled?: boolean;
  readonly sshSettings?: {
    readonly adminUsername?: string;
    /** A public key: not a secret. */
    readonly sshKeyValue?: string;
    readonly adminPassword?: CredentialValue;
  };
  readonly networkSettings?: NetworkSettingsModel;
  readonly enableNodePublicIp?: boolean;
}

/** A compute instance (`computeInstance.schema.json`). */
export interface ComputeInstanceModel extends ComputeCommon {
  readonly type: "computeinstance";
  readonly size?: string;
  readonly idleTimeBeforeShutdownMinutes?: number;
  readonly sshPublicAccessEnabled?: boolean;
  readonly sshSettings?: { readonly sshKeyValue?: string };
  readonly createOnBehalfOf?: { readonly userTenantId: string; readonly userObjectId: string };
  readonly networkSettings?: NetworkSettingsModel;
  readonly enableNodePublicIp?: boolean;
}

/** An attached Kubernetes cluster (`kubernetesCompute.schema.json`). */
export interface KubernetesComputeModel extends ComputeCommon {
  readonly type: "kubernetes";
  /** ARM id of the AKS or Arc-connected cluster. */
  readonly resourceId: string;
  readonly namespace?: string;
}

/** A virtual machine attached over SSH (`vmCompute.schema.json`). */
export interface VirtualMachineComputeModel extends ComputeCommon {
  readonly type: "virtualmachine";
  /** ARM id of the virtual machine. */
  readonly resourceId: string;
  readonly sshSettings?: {
    readonly adminUsername?: string;
    readonly sshPort?: number;
    /** Path of a private key file, read by the CLI at creation; relative to `baseDir`. */
    readonly sshPrivateKeyFile?: string;
    readonly adminPassword?: CredentialValue;
  };
}

export type ComputeModel = AmlComputeModel | ComputeInstanceModel | KubernetesComputeModel | VirtualMachineComputeModel;

export const DATASTORE_TYPES = ["azure_blob", "azure_file", "azure_data_lake_gen1", "azure_data_lake_gen2"] as const;
export type DatastoreType = (typeof DATASTORE_TYPES)[number];

export interface AccountKeyCredentialModel {
  readonly type: "account_key";
  readonly accountKey: CredentialValue;
}

export interface SasCredentialModel {
  readonly type: "sas";
  readonly sasToken: CredentialValue;
}

interface TenantCredential {
  readonly tenantId: string;
  readonly clientId: string;
  readonly authorityUrl?: string;
  readonly resourceUrl?: string;
}

export interface ServicePrincipalCredentialModel extends TenantCredential {
  readonly type: "service_principal";
  readonly clientSecret: CredentialValue;
}

export interface CertificateCredentialModel extends TenantCredential {
  readonly type: "certificate";
  readonly certificate: CredentialValue;
  readonly thumbprint: string;
}

export type StorageCredentialModel = AccountKeyCredentialModel | SasCredentialModel;
export type TenantCredentialModel = ServicePrincipalCredentialModel | CertificateCredentialModel;
export type DatastoreCredentialModel = StorageCredentialModel | TenantCredentialModel;

interface DatastoreCommon extends Definition {
  readonly kind: "datastore";
}

/** Identity-based access when `credentials` is absent. */
export interface AzureBlobDatastoreModel extends DatastoreCommon {
  readonly type: "azure_blob";
  readonly accountName: string;
  readonly containerName: string;
  readonly protocol?: string;
  readonly endpoint?: string;
  readonly credentials?: StorageCredentialModel;
}

export interface AzureFileDatastoreModel extends DatastoreCommon {
  readonly type: "azure_file";
  readonly accountName: string;
  readonly fileShareName: string;
  readonly protocol?: string;
  readonly endpoint?: string;
  readonly credentials?: StorageCredentialModel;
}

export interface AzureDataLakeGen1DatastoreModel extends DatastoreCommon {
  readonly type: "azure_data_lake_gen1";
  readonly storeName: string;
  readonly credentials?: TenantCredentialModel;
}

export interface AzureDataLakeGen2DatastoreModel extends DatastoreCommon {
  readonly type: "azure_data_lake_gen2";
  readonly accountName: string;
  readonly filesystem: string;
  readonly protocol?: string;
  readonly endpoint?: string;
  readonly credentials?: TenantCredentialModel;
}

export type DatastoreModel =
  | AzureBlobDatastoreModel
  | AzureFileDatastoreModel
  | AzureDataLakeGen1DatastoreModel
  | AzureDataLakeGen2DatastoreModel;

export const DATA_ASSET_TYPES = ["uri_file", "uri_folder", "mltable"] as const;
export type DataAssetType = (typeof DATA_ASSET_TYPES)[number];

export const MODEL_ASSET_TYPES = ["custom_model", "mlflow_model", "triton_model"] as const;
export type ModelAssetType = (typeof MODEL_ASSET_TYPES)[number];

interface VersionedDefinition extends Definition {
  /** Absent: Azure picks the next version. Numbers in YAML become strings. */
  readonly version?: string;
  readonly properties?: Readonly<Record<string, unknown>>;
}

export interface DataAssetModel extends VersionedDefinition {
  readonly kind: "data";
  /** A data type; a string outside DATA_ASSET_TYPES only when loaded from YAML. Absent: Azure's default (uri_folder). */
  readonly type?: string;
  /** Local path (relative to `baseDir`), `azureml://datastores/...`, http(s), wasbs, abfss... */
  readonly path: string;
}

export interface ModelAssetModel extends VersionedDefinition {
  readonly kind: "model";
  /** Absent: Azure's default (custom_model). */
  readonly type?: string;
  readonly path: string;
}

export interface EnvironmentAssetModel extends VersionedDefinition {
  readonly kind: "environment";
  readonly image?: string;
  /** Path to a conda YAML file (relative to `baseDir`) or the conda spec inline. */
  readonly condaFile?: string | Readonly<Record<string, unknown>>;
  /** A docker build context folder (relative to `baseDir`) and its Dockerfile inside it. */
  readonly build?: { readonly path: string; readonly dockerfilePath?: string };
  readonly osType?: string;
}

/** A component registered on its own (`az ml component create -f`). */
export interface ComponentAssetModel {
  readonly kind: "component";
  /** A command component, or a pipeline component whose command components are written inline. */
  readonly component: ComponentModel;
  readonly location?: SourceLocation;
}

export type AssetModel =
  | WorkspaceModel
  | ComputeModel
  | DatastoreModel
  | DataAssetModel
  | ModelAssetModel
  | EnvironmentAssetModel
  | ComponentAssetModel;

export type AssetKind = AssetModel["kind"];
