export { MLClient, LocalMLClient } from "./client/ml-client.js";
export type { LocalClientOptions } from "./client/ml-client.js";
export { LocalJobsOperations } from "./client/local-jobs.js";
export type { LocalCreateJobOptions } from "./client/local-jobs.js";
export type { JobsOperations, CreateJobOptions, ListJobsFilter, StreamOptions } from "./client/jobs-operations.js";
export type { RunEvent, RunEventType, IgnoredSettingEvent } from "./events/run-events.js";
export { isTerminalEvent } from "./events/run-events.js";
export { LocalWorkspace, findProjectRoot, workspaceFolder, DEFAULT_WORKSPACE_FOLDER } from "./workspace/workspace.js";
export { JOB_STATUSES, STEP_STATUSES } from "./workspace/records.js";
export type { JobRecord, JobStatus, StepRecord, StepStatus, AttemptRecord, OutputRecord, MetricRecord } from "./workspace/records.js";
export { planJob } from "./local/plan.js";
export type { PlanOptions } from "./local/plan.js";
export type { ExecutionPlan, PlannedStep, StepInput, StepOutput, DataSource, IgnoredSetting } from "./local/plan-types.js";
export { LocalExecutor } from "./local/executor.js";
export type { LocalRunOptions } from "./local/executor.js";
export { StepSchedule } from "./local/schedule.js";
export { startLocalJob, resumeLocalJob, generateJobName } from "./local/start-job.js";
export type { StartJobOptions, StartedRun } from "./local/start-job.js";
export { renderCommand } from "./local/command-line.js";
export { RunnerError, isRunnerError } from "./local/errors.js";
export type { RunnerCode } from "./local/errors.js";
export { explainReuse, renderReuseExplanation } from "./local/explain-reuse.js";
export type { ReuseExplanation } from "./local/explain-reuse.js";
export { METRICS_ENV } from "./local/metrics.js";
export { CompositeReporter, report, formatDuration } from "./reporters/reporter.js";
export type { Reporter, ReporterOutput } from "./reporters/reporter.js";
export { PlainReporter } from "./reporters/plain-reporter.js";
export { JsonLinesReporter } from "./reporters/json-reporter.js";
export { LiveReporter } from "./reporters/live-reporter.js";
export type { LiveReporterOptions } from "./reporters/live-reporter.js";
export { startEmulator, DEFAULT_EMULATOR_WORKSPACE } from "./azure-emulator/emulator.js";
export type { EmulatorOptions, RunningEmulator, EmulatorWorkspace } from "./azure-emulator/emulator.js";
export { ManualClock, systemClock } from "./azure-emulator/clock.js";
export type { EmulatorClock } from "./azure-emulator/clock.js";
export type { Fault, FaultMatch, FaultPlan, ScriptedFault, RequestScope } from "./azure-emulator/faults.js";
export { EMULATOR_OUTCOME_TAG, EMULATOR_ERROR_TAG } from "./azure-emulator/job-simulation.js";
export type { EmulatorLifecycleOptions, EmulatorStepBehaviour, EmulatorStepContext } from "./azure-emulator/job-simulation.js";
export type { EmulatorStateView, EmulatorRequestLogEntry, EmulatorJobSnapshot, EmulatorStepSnapshot, EmulatorAssetSnapshot, EmulatorBlobSnapshot } from "./azure-emulator/emulator-state.js";
export type { EmulatorAuthOptions } from "./azure-emulator/auth.js";
export type { TlsMaterial } from "./azure-emulator/tls-certificate.js";
export { KNOWN_STABLE_API_VERSIONS } from "./azure-emulator/request-validation.js";
export { loadAzureMlSpecCheck } from "./azure-emulator/spec-check.js";
export type { AzureMlSpecCheck } from "./azure-emulator/spec-check.js";
export type { SpecIssue, ValidationMode } from "./azure-emulator/spec-validator.js";
export { AzureMLClient } from "./azure/azure-ml-client.js";
export type { FromConfigOptions } from "./azure/azure-ml-client.js";
export { AzureJobsOperations, createAzureJobs } from "./azure/azure-jobs.js";
export type { AzureClientOptions, AzureCreateJobOptions, AzureListJobsFilter, StepLog } from "./azure/azure-jobs.js";
export { AzureComponentsOperations } from "./azure/azure-components.js";
export type { RegisteredComponent } from "./azure/azure-components.js";
export { AzureError, isAzureError } from "./azure/azure-error.js";
export type { AzureCode } from "./azure/azure-error.js";
export { resolveWorkspace, findWorkspaceConfig, readWorkspaceConfig } from "./azure/workspace-config.js";
export type { WorkspaceCoordinates, WorkspaceHints } from "./azure/workspace-config.js";
export { DEFAULT_API_VERSION, ARM_SCOPE, ML_SCOPE, DEFAULT_ARM_ENDPOINT } from "./azure/constants.js";
export { pollDelayMs } from "./azure/watch.js";
export type { WatchOptions } from "./azure/watch.js";
export { MemoryWatchStore, FileWatchStore } from "./azure/watch-state.js";
export type { WatchState, WatchStateStore, WatchStepState } from "./azure/watch-state.js";
export { redactSecrets, displayUrl } from "./azure/redact.js";
export type { AzureJobRecord } from "./azure/azure-records.js";
export type { DownloadOptions, DownloadedOutput } from "./azure/download.js";
export { newJobName } from "./azure/submit.js";
export type { SubmitResult } from "./azure/submit.js";
export type { RetrySettings } from "./azure/http.js";
export { LocalRegistry, REGISTRY_FILE } from "./registry/local-registry.js";
export type { RegistrableDefinition, DefinitionOf, RegisterOptions, ListOptions } from "./registry/local-registry.js";
export { BlobStore } from "./registry/blob-store.js";
export { LocalAssetResolver } from "./registry/asset-resolver.js";
export type { AssetResolver, OutputRegistration } from "./registry/asset-resolver.js";
export { RegistryError, isRegistryError } from "./registry/registry-error.js";
export { parseAssetReference, parseShortReference, isAssetReference } from "./registry/asset-reference.js";
export type { AssetSelector, ParsedReference } from "./registry/asset-reference.js";
export { REGISTRY_KINDS } from "./registry/records.js";
export type {
  RegistryKind,
  AssetRecord,
  AssetRecordOf,
  DataAssetRecord,
  ModelAssetRecord,
  EnvironmentAssetRecord,
  ComponentAssetRecord,
  DatastoreRecord,
} from "./registry/records.js";
export { LocalAssetOperations, LocalDatastoreOperations } from "./registry/local-assets-operations.js";
export type {
  AssetOperations,
  AssetCreateOptions,
  AssetGetOptions,
  AssetListOptions,
  ComponentDefinition,
  DataOperations,
  ModelOperations,
  EnvironmentOperations,
  ComponentOperations,
  DatastoreOperations,
  DatastoreCreateOptions,
  LocalDatastoreDefinition,
} from "./registry/assets-operations.js";
export { chooseCredential, isLoopbackEndpoint } from "./azure/credentials.js";
export type { CredentialChoice } from "./azure/credentials.js";
export { AzureDataOperations, AzureModelOperations, AzureEnvironmentOperations, AzureComponentOperations } from "./azure/assets-operations.js";
export type { AzureAssetsContext } from "./azure/assets-operations.js";
export { AssetsApi } from "./azure/assets-api.js";
export { CONTENT_HASH_PROPERTY } from "./azure/assets-records.js";
export type {
  AzureAssetRecord,
  AzureDataRecord,
  AzureModelRecord,
  AzureEnvironmentRecord,
  AzureComponentRecord,
  AzureDatastoreRecord,
  AzureComputeRecord,
  AzureWorkspaceRecord,
} from "./azure/assets-records.js";
export { AzureDatastoreOperations } from "./azure/datastores-operations.js";
export type { AzureDatastoreCreateOptions, SecretSources } from "./azure/datastores-operations.js";
export { AzureComputeOperations } from "./azure/computes-operations.js";
export type { AzureComputeCreateOptions } from "./azure/computes-operations.js";
export { AzureWorkspaceOperations } from "./azure/workspaces-operations.js";
export type { AzureWorkspaceCreateOptions } from "./azure/workspaces-operations.js";
export type { CreationPoller, OperationProgress, PollOptions, LroSettings } from "./azure/assets-lro.js";
export type {
  ComputeOperations,
  ComputeRecord,
  ComputeCreateOptions,
  WorkspaceOperations,
  WorkspaceRecord,
} from "./client/resource-operations.js";
export { LocalComputeOperations, LocalWorkspaceOperations, CompletedOperation } from "./registry/local-resources.js";
export type { LocalComputeRecord, LocalWorkspaceRecord, LocalOutcome } from "./registry/local-resources.js";
export { OUTPUT_ASSETS_PROPERTY, outputAssetsProperty, registerJobOutputs } from "./azure/output-registration.js";
export type { RegisteredOutput, OutputRegistrationOptions } from "./azure/output-registration.js";
