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
  OutputSettings,
  NodeOptions,
  PipelineSettingsSpec,
} from "./options.js";
export { command } from "./command.js";
export type { CommandSpec, CommandComponent, CommandPorts } from "./command.js";
export { pipeline, isPipelineJob } from "./pipeline.js";
export type { PipelineSpec, Pipeline, PipelineJob, JobOptions } from "./pipeline.js";
export { ComponentCalledOutsidePipelineError } from "./node.js";
export type { Node } from "./node.js";
