/**
 * The resource parts of the client both backends share, shaped like the Azure ML SDK's
 * `ml_client.computes` and `ml_client.workspaces`: creations are long-running (`begin*` returns a
 * poller, awaited with `pollUntilDone({ onProgress })`). The Azure backend sends them to Azure;
 * the local backend records the definitions (a poller that is done at once) and keeps running
 * jobs on this machine. Code written against these interfaces works with either client.
 */
import type { ComputeModel, WorkspaceModel } from "@pipewright/dsl";

export interface OperationProgress {
  /** What is being created, e.g. `compute cpu-cluster`. */
  readonly what: string;
  /** InProgress, Succeeded, Failed, Canceled (the service's words). */
  readonly status: string;
  /** Polls made so far. */
  readonly polls: number;
}

export interface PollOptions {
  readonly onProgress?: (progress: OperationProgress) => void;
  readonly signal?: AbortSignal;
}

export interface CreationPoller<T> {
  /** The URL polled (Azure-AsyncOperation or Location); undefined when the creation finished at once. */
  readonly operationUrl: string | undefined;
  /** The service's status at the last poll. */
  readonly status: string;
  isDone(): boolean;
  pollUntilDone(options?: PollOptions): Promise<T>;
}

/** What every backend says about a compute. */
export interface ComputeRecord {
  readonly name: string;
  /** amlcompute, computeinstance, kubernetes, virtualmachine (or the service's word). */
  readonly type: string;
  /** Creating, Succeeded, Failed... (a local record is always Succeeded). */
  readonly provisioningState: string;
  readonly location?: string;
  readonly size?: string;
  readonly minInstances?: number;
  readonly maxInstances?: number;
  readonly description?: string;
  readonly tags: Readonly<Record<string, string>>;
}

export interface ComputeCreateOptions {
  /** The environment `secret.env(...)` reads (Azure reads secrets only at creation). @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface ComputeOperations<TRecord extends ComputeRecord = ComputeRecord, TOptions extends ComputeCreateOptions = ComputeCreateOptions> {
  /** Creates the compute, or updates it to the definition; the poller resolves with its record. */
  beginCreateOrUpdate(definition: ComputeModel, options?: TOptions): Promise<CreationPoller<TRecord>>;
  get(name: string): Promise<TRecord>;
  list(): Promise<TRecord[]>;
}

/** What every backend says about a created workspace. */
export interface WorkspaceRecord {
  readonly name: string;
  readonly displayName?: string;
  readonly location?: string;
  readonly provisioningState: string;
}

export interface WorkspaceOperations<TRecord extends WorkspaceRecord = WorkspaceRecord, TOptions extends object = object> {
  /** Creates the workspace; the client keeps working on its own workspace. */
  beginCreate(definition: WorkspaceModel, options?: TOptions): Promise<CreationPoller<TRecord>>;
}
