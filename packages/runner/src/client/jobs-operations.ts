/**
 * The jobs part of the client, shaped like the Azure ML SDK's `ml_client.jobs`. The local
 * workspace implements it now; the Azure ML backend implements the same interface, so a script
 * written against one runs against the other by changing only how the client is constructed.
 */
import type { PipelineJob, PipelineJobModel } from "@pipewright/dsl";
import type { RunEvent } from "../events/run-events.js";
import type { JobRecord, JobStatus } from "../workspace/records.js";

export interface CreateJobOptions {
  /** The job name. @default the job's own name, else a fresh unique one */
  readonly name?: string;
  /** Job input values as typed on a command line (`--set name=value`). */
  readonly overrides?: Readonly<Record<string, string>>;
  /** Folder that relative paths in `overrides` resolve against. @default the job's folder */
  readonly overridesBaseDir?: string;
  /** Run every step even when an earlier identical one could be reused. @default false */
  readonly forceRerun?: boolean;
}

export interface ListJobsFilter {
  readonly status?: JobStatus;
  /** @default no limit */
  readonly limit?: number;
}

export interface StreamOptions {
  /** How often to look for new events of a job run by another process, in ms. @default 200 */
  readonly pollMs?: number;
}

export interface JobsOperations {
  /** Starts a run of the job and returns its record (status `running`). */
  createOrUpdate(job: PipelineJob | PipelineJobModel, options?: CreateJobOptions): Promise<JobRecord>;
  /** Every event of the job from its start, then live ones, ending with `job_finished`. */
  stream(name: string, options?: StreamOptions): AsyncIterable<RunEvent>;
  get(name: string): Promise<JobRecord>;
  /** Newest first. */
  list(filter?: ListJobsFilter): Promise<JobRecord[]>;
  /** Asks the job to stop; running steps are stopped and the job ends `canceled`. */
  cancel(name: string): Promise<JobRecord>;
}

export function jobModelOf(job: PipelineJob | PipelineJobModel): PipelineJobModel {
  return "kind" in job && job.kind === "pipeline_job" ? job.model : (job as PipelineJobModel);
}
