/**
 * `JobsOperations` over an Azure ML workspace: the same interface as the local backend, so a
 * script switches by changing how its client is constructed. Plus what only Azure has: a job's
 * child steps (`list({ parent })`), downloads and remote logs.
 */
import { registerJobOutputs, registeringOutputs, type OutputRegistrationOptions, type RegisteredOutput } from "./output-registration.js";
import type { TokenCredential } from "@azure/core-auth";
import type { PipelineJob, PipelineJobModel } from "@pipewright/dsl";
import type { RunEvent } from "../events/run-events.js";
import { jobModelOf, type CreateJobOptions, type JobsOperations, type ListJobsFilter, type StreamOptions } from "../client/jobs-operations.js";
import { AzureError } from "./azure-error.js";
import { jobRecordFromResource, jobRecordFromRun, type AzureJobRecord } from "./azure-records.js";
import { DEFAULT_API_VERSION, DEFAULT_ARM_ENDPOINT } from "./constants.js";
import { downloadJobOutputs, type DownloadedOutput, type DownloadOptions } from "./download.js";
import { AzureHttp, type RetrySettings } from "./http.js";
import { submitPipelineJob, type SubmitResult } from "./submit.js";
import { Uploader } from "./uploads.js";
import { watchJob, type WatchOptions } from "./watch.js";
import type { WorkspaceCoordinates } from "./workspace-config.js";
import { asMap, str, WorkspaceApi } from "./workspace-api.js";

export interface AzureClientOptions {
  /** The ARM host: a sovereign cloud, or a local emulator. @default https://management.azure.com */
  readonly endpoint?: string;
  /** @default DEFAULT_API_VERSION (2024-04-01) */
  readonly apiVersion?: string;
  /** PEM certificate(s) to trust besides the system's (a local emulator's `ca`). */
  readonly ca?: string;
  readonly retry?: RetrySettings;
  /** Defaults for `jobs.stream`. */
  readonly watch?: WatchOptions;
  /** Folder that relative paths in job models without a folder resolve against. */
  readonly cwd?: string;
}

export interface AzureCreateJobOptions extends CreateJobOptions {
  /** @default the job's experiment name, else its pipeline's name */
  readonly experimentName?: string;
}

export interface AzureListJobsFilter extends ListJobsFilter {
  /** List the steps of this pipeline job instead (from run history). */
  readonly parent?: string;
}

export interface StepLog {
  readonly step: string;
  readonly file: string | undefined;
  readonly text: string;
}

export class AzureJobsOperations implements JobsOperations {
  readonly uploader: Uploader;

  constructor(
    readonly api: WorkspaceApi,
    private readonly defaults: { readonly watch?: WatchOptions; readonly cwd?: string } = {},
  ) {
    this.uploader = new Uploader(api);
  }

  /** Uploads, registers and submits the job; returns its record (status `running`). */
  async createOrUpdate(job: PipelineJob | PipelineJobModel, options: AzureCreateJobOptions = {}): Promise<AzureJobRecord> {
    return (await this.submit(job, options)).record;
  }

  /** createOrUpdate, with what the submission did (components registered, warnings). */
  async submit(job: PipelineJob | PipelineJobModel, options: AzureCreateJobOptions = {}): Promise<SubmitResult & { readonly record: AzureJobRecord }> {
    const result = await submitPipelineJob(this.api, this.uploader, jobModelOf(job), {
      name: options.name,
      overrides: options.overrides,
      overridesBaseDir: options.overridesBaseDir,
      forceRerun: options.forceRerun,
      experimentName: options.experimentName,
      fallbackDir: this.defaults.cwd,
    });
    return { ...result, record: jobRecordFromResource(result.resource) };
  }

  /** Watches the job; when it completes, its outputs named as assets are registered (see `registerOutputs`). */
  stream(name: string, options: StreamOptions & WatchOptions & OutputRegistrationOptions = {}): AsyncIterable<RunEvent> {
    const merged: WatchOptions = { ...this.defaults.watch, ...(options.pollMs !== undefined ? { minPollMs: options.pollMs } : {}), ...options };
    return registeringOutputs(watchJob(this.api, name, merged), () => this.registerOutputs(name), options);
  }

  /** Registers a Completed job's outputs named as assets (data, or models for model types) at their URIs; idempotent. */
  registerOutputs(name: string): Promise<RegisteredOutput[]> {
    return registerJobOutputs(this.api, this.uploader, name, this.defaults.cwd);
  }

  async get(name: string): Promise<AzureJobRecord> {
    const resource = await this.api.getJob(name);
    if (!resource) throw new AzureError("PW4604", `no job named '${name}' in workspace ${this.api.scope.workspaceName}; \`pipewright jobs list\` shows the jobs`);
    if (resource["properties"] === undefined) throw new AzureError("PW4604", `'${name}' is a step of a pipeline job; \`pipewright jobs list --parent <pipeline job>\` shows steps`);
    return jobRecordFromResource(resource);
  }

  /** Newest first; with `parent`, that pipeline job's steps in the order they were created. */
  async list(filter: AzureListJobsFilter = {}): Promise<AzureJobRecord[]> {
    const out: AzureJobRecord[] = [];
    const limit = filter.limit ?? Infinity;
    if (filter.parent !== undefined) {
      await this.get(filter.parent);
      const children = (await this.api.runChildren(filter.parent)).sort((a, b) => Number(a["runNumber"] ?? 0) - Number(b["runNumber"] ?? 0));
      for (const child of children) {
        const record = jobRecordFromRun(child, filter.parent);
        if (filter.status === undefined || record.status === filter.status) out.push(record);
        if (out.length >= limit) break;
      }
      return out;
    }
    for await (const resource of this.api.listJobs()) {
      const record = jobRecordFromResource(resource);
      if (filter.status === undefined || record.status === filter.status) out.push(record);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Asks the service to cancel; the job goes CancelRequested, then Canceled. */
  async cancel(name: string): Promise<AzureJobRecord> {
    const record = await this.get(name);
    if (record.status !== "running") return record;
    await this.api.cancelJob(name);
    return this.get(name);
  }

  download(name: string, options: DownloadOptions = {}): Promise<DownloadedOutput[]> {
    return downloadJobOutputs(this.api, name, options);
  }

  /** Each step's log as it stands (or one step's). */
  async logs(name: string, step?: string): Promise<StepLog[]> {
    const job = await this.get(name);
    const runs = job.jobType === "Pipeline" ? await this.api.runChildren(name) : [{ runId: name, name }];
    const out: StepLog[] = [];
    for (const run of runs.sort((a, b) => Number(asMap(a)["runNumber"] ?? 0) - Number(asMap(b)["runNumber"] ?? 0))) {
      const node = str(asMap(asMap(run)["properties"])["azureml.nodeid"]) ?? str(asMap(run)["name"]) ?? "";
      if (step !== undefined && node !== step) continue;
      const details = await this.api.runDetails(str(asMap(run)["runId"]) ?? "");
      const files = asMap(details?.["logFiles"]);
      const file = Object.keys(files).sort().find((n) => /std_log/.test(n)) ?? Object.keys(files).sort()[0];
      const url = file === undefined ? undefined : str(files[file]);
      out.push({ step: node, file, text: url === undefined ? "" : await this.api.logText(url) });
    }
    if (step !== undefined && out.length === 0) throw new AzureError("PW4604", `job ${name} has no step '${step}' (yet)`);
    return out;
  }
}

export function createAzureJobs(credential: TokenCredential, workspace: WorkspaceCoordinates, options: AzureClientOptions = {}): AzureJobsOperations {
  const http = new AzureHttp({ credential, ...(options.retry ? { retry: options.retry } : {}), ...(options.ca !== undefined ? { ca: options.ca } : {}) });
  const api = new WorkspaceApi(http, options.endpoint ?? DEFAULT_ARM_ENDPOINT, workspace, options.apiVersion ?? DEFAULT_API_VERSION);
  return new AzureJobsOperations(api, { ...(options.watch ? { watch: options.watch } : {}), ...(options.cwd !== undefined ? { cwd: options.cwd } : {}) });
}
