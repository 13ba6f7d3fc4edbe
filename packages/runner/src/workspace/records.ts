/** What the local workspace keeps, as plain records (the same shapes an Azure backend returns). */

export const JOB_STATUSES = ["running", "completed", "failed", "canceled"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const STEP_STATUSES = ["not_started", "running", "completed", "failed", "canceled", "skipped"] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export interface JobRecord {
  readonly name: string;
  readonly displayName?: string;
  /** The pipeline component's name. */
  readonly pipeline: string;
  readonly experiment?: string;
  readonly status: JobStatus;
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
  readonly endedAt?: number;
  /** The job's folder in the workspace (logs, outputs, snapshots). */
  readonly folder: string;
  /** Job outputs and the paths holding them, once the job has finished. */
  readonly outputs: Readonly<Record<string, string>>;
  readonly error?: string;
  /** Pid of the runner process while the job runs. */
  readonly runnerPid?: number;
}

export interface StepRecord {
  readonly job: string;
  readonly id: string;
  readonly component: string;
  readonly status: StepStatus;
  /** Set when the outputs of an earlier identical step were used instead of running it. */
  readonly reusedFrom?: { readonly job: string; readonly step: string };
  /** Why it was skipped, not reused, or failed. */
  readonly reason?: string;
  readonly fingerprint?: string;
  readonly deterministic: boolean;
  readonly startedAt?: number;
  readonly endedAt?: number;
  readonly exitCode?: number;
  readonly attempts: number;
  readonly codeSnapshot?: string;
}

export interface AttemptRecord {
  readonly job: string;
  readonly step: string;
  readonly attempt: number;
  readonly startedAt: number;
  readonly endedAt?: number;
  readonly exitCode?: number;
  readonly signal?: string;
  readonly pid?: number;
  readonly logPath: string;
  readonly stoppedFor?: string;
}

export interface OutputRecord {
  readonly job: string;
  readonly step: string;
  readonly name: string;
  readonly type: string;
  readonly path: string;
  readonly contentHash: string;
}

export interface MetricRecord {
  readonly job: string;
  readonly step: string;
  readonly name: string;
  readonly value: number | string;
  /** The training step/epoch the value belongs to, when the step gave one. */
  readonly metricStep?: number;
  readonly time: number;
}
