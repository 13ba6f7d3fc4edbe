export { secret, isSecretRef, secretPlaceholder, tryParseSecretPlaceholder, toCredentialValue } from "./secret.js";
export type { SecretRef, InlineSecret, CredentialValue } from "./secret.js";
export {
  COMPUTE_TYPES,
  COMPUTE_TIERS,
  DATASTORE_TYPES,
  DATA_ASSET_TYPES,
  MODEL_ASSET_TYPES,
} from "./asset-model.js";
export type {
  WorkspaceModel,
  ComputeType,
  ComputeTier,
  NetworkSettingsModel,
  AmlComputeModel,
  ComputeInstanceModel,
  KubernetesComputeModel,
  VirtualMachineComputeModel,
  ComputeModel,
  DatastoreType,
  AccountKeyCredentialModel,
  SasCredentialModel,
  ServicePrincipalCredentialModel,
  CertificateCredentialModel,
  StorageCredentialModel,
  TenantCredentialModel,
  DatastoreCredentialModel,
  AzureBlobDatastoreModel,
  AzureFileDatastoreModel,
  AzureDataLakeGen1DatastoreModel,
  AzureDataLakeGen2DatastoreModel,
  DatastoreModel,
  DataAssetType,
  ModelAssetType,
  DataAssetModel,
  ModelAssetModel,
  EnvironmentAssetModel,
  ComponentAssetModel,
  AssetModel,
  AssetKind,
} from "./asset-model.js";
export { workspace } from "./workspace.js";
export type { WorkspaceSpec } from "./workspace.js";
export { SERVERLESS, amlCompute, computeInstance, kubernetesCompute, attachedVm } from "./compute.js";
export type {
  AmlComputeSpec,
  ComputeInstanceSpec,
  KubernetesComputeSpec,
  AttachedVmSpec,
  NetworkSettingsSpec,
} from "./compute.js";
export {
  azureBlobDatastore,
  azureFileDatastore,
  azureDataLakeGen1Datastore,
  azureDataLakeGen2Datastore,
} from "./datastore.js";
export type {
  StorageCredentialSpec,
  TenantCredentialSpecs,
  AzureBlobDatastoreSpec,
  AzureFileDatastoreSpec,
  AzureDataLakeGen1DatastoreSpec,
  AzureDataLakeGen2DatastoreSpec,
} from "./datastore.js";
export { data, model, environment, curatedEnvironment } from "./versioned.js";
export type { DataSpec, ModelSpec, EnvironmentAssetSpec } from "./versioned.js";
export { registerComponent } from "./component-asset.js";
export type { DefinitionSpec } from "./common.js";
