export {
  DATA_KINDS,
  PRIMITIVE_KINDS,
  PORT_KINDS,
  IO_MODES,
  INPUT_MODES,
  OUTPUT_MODES,
  isDataKind,
  isPrimitiveKind,
  isPortKind,
  isKindAssignable,
} from "./kinds.js";
export type {
  DataKind,
  PrimitiveKind,
  PortKind,
  IoMode,
  InputModeFor,
  OutputMode,
  PrimitiveValue,
} from "./kinds.js";
export { captureLocation } from "./location.js";
export type { SourceLocation } from "./location.js";
export type {
  Scalar,
  Extra,
  InputPortModel,
  OutputPortModel,
  InlineEnvironmentModel,
  EnvironmentModel,
  ResourcesModel,
  DistributionModel,
  ServiceModel,
  CommandComponentModel,
  PipelineComponentModel,
  OpaqueComponentModel,
  ComponentModel,
  ComponentReferenceModel,
  BindingModel,
  DataBindingModel,
  NodeOutputModel,
  NodeModel,
  ModelProblem,
  PipelineSettingsModel,
  JobOutputModel,
  PipelineJobModel,
} from "./model.js";
export { Input, Output } from "./ports.js";
export type {
  InputSpec,
  OutputSpec,
  AnyInputSpec,
  AnyOutputSpec,
  DataInputOptions,
  NumberInputOptions,
  StringInputOptions,
  BooleanInputOptions,
  DataOutputOptions,
  PrimitiveOutputOptions,
} from "./ports.js";
export { uriFile, uriFolder, mltable, customModel, mlflowModel, tritonModel, isRef } from "./refs.js";
export type { OutputRef, PipelineInputRef, DataRef, DataRefOptions } from "./refs.js";
export type {
  Prettify,
  KindOf,
  BooleanText,
  InputValue,
  CallInputs,
  NodeOutputs,
  PipelineInputs,
  PipelineOutputs,
  JobInputValue,
  JobInputs,
} from "./call-types.js";
export type {
  EnvironmentSpec,
  ResourcesSpec,
  DistributionSpec,
  ServiceSpec,
  OutputSettings,
  NodeOptions,
  UndeclaredInputValue,
  PipelineSettingsSpec,
} from "./options.js";
export { command } from "./command.js";
export type { CommandSpec, CommandComponent, CommandPorts } from "./command.js";
export { componentRef } from "./component-ref.js";
export type { ComponentRef, ComponentRefSpec } from "./component-ref.js";
export { pipeline, isPipelineJob } from "./pipeline.js";
export type { PipelineSpec, Pipeline, PipelineJob, JobOptions } from "./pipeline.js";
export { ComponentCalledOutsidePipelineError } from "./node.js";
export type { Node } from "./node.js";
export {
  secret,
  isSecretRef,
  secretPlaceholder,
  tryParseSecretPlaceholder,
  toCredentialValue,
} from "./assets/secret.js";
export type { SecretRef, InlineSecret, CredentialValue } from "./assets/secret.js";
export {
  COMPUTE_TYPES,
  COMPUTE_TIERS,
  DATASTORE_TYPES,
  DATA_ASSET_TYPES,
  MODEL_ASSET_TYPES,
} from "./assets/asset-model.js";
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
} from "./assets/asset-model.js";
export { workspace } from "./assets/workspace.js";
export type { WorkspaceSpec } from "./assets/workspace.js";
export {
  SERVERLESS,
  amlCompute,
  computeInstance,
  kubernetesCompute,
  attachedVm,
} from "./assets/compute.js";
export type {
  AmlComputeSpec,
  ComputeInstanceSpec,
  KubernetesComputeSpec,
  AttachedVmSpec,
  NetworkSettingsSpec,
} from "./assets/compute.js";
export {
  azureBlobDatastore,
  azureFileDatastore,
  azureDataLakeGen1Datastore,
  azureDataLakeGen2Datastore,
} from "./assets/datastore.js";
export type {
  StorageCredentialSpec,
  TenantCredentialSpecs,
  AzureBlobDatastoreSpec,
  AzureFileDatastoreSpec,
  AzureDataLakeGen1DatastoreSpec,
  AzureDataLakeGen2DatastoreSpec,
} from "./assets/datastore.js";
export { data, model, environment, curatedEnvironment } from "./assets/versioned.js";
export type { DataSpec, ModelSpec, EnvironmentAssetSpec } from "./assets/versioned.js";
export { registerComponent } from "./assets/component-asset.js";
export type { DefinitionSpec } from "./assets/common.js";
