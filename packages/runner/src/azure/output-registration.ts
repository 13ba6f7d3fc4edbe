/**
 * Job outputs named as assets (`outputs: { model: { name: "clf", version: "3" } }`). The stable
 * REST API (2025-12-01) has no assetName/assetVersion on a job output, so submission keeps the
 * wish in the job's own properties (`pipewright.outputAssets`), and once the job has Completed the
 * watcher (or `jobs.registerOutputs`) registers a data version, or a model version for a model
 * output type, pointing at the output's datastore URI. Registering is idempotent: a version
 * already pointing at that URI is returned as it is, so a restarted watcher registers nothing twice.
 */
import type { DataAssetModel, ModelAssetModel, PipelineJobModel } from "@pipewright/dsl";
import type { RunEvent } from "../events/run-events.js";
import { AssetsApi } from "./assets-api.js";
import { AzureDataOperations, AzureModelOperations, type AzureAssetsContext } from "./assets-operations.js";
import type { AzureDataRecord, AzureModelRecord } from "./assets-records.js";
import { AzureError } from "./azure-error.js";
import type { Uploader } from "./uploads.js";
import { asMap, str, type WorkspaceApi } from "./workspace-api.js";

/** The job property that carries the outputs to register (JSON: output -> {name, version?, type}). */
export const OUTPUT_ASSETS_PROPERTY = "pipewright.outputAssets";

const MODEL_TYPES = new Set(["mlflow_model", "custom_model", "triton_model"]);

interface OutputAsset {
  readonly name: string;
  readonly version?: string;
  readonly type: string;
}

export interface RegisteredOutput {
  readonly job: string;
  readonly output: string;
  readonly kind: "data" | "model";
  readonly name: string;
  readonly version: string;
  /** `azureml:<name>:<version>`. */
  readonly id: string;
  /** The output's datastore URI the version points at. */
  readonly path: string;
  /** False when a version pointing at this output already existed. */
  readonly created: boolean;
}

export interface OutputRegistrationOptions {
  /** Told about each output registered (or found registered) when the watched job completes. */
  readonly onOutputRegistered?: (registered: RegisteredOutput) => void;
  /** Told when registering failed; without it the error ends the stream. */
  readonly onOutputRegistrationError?: (error: Error) => void;
}

/** The property value for a job's named outputs, or undefined when it names none. */
export function outputAssetsProperty(job: PipelineJobModel): string | undefined {
  const wanted: Record<string, OutputAsset> = {};
  for (const [output, settings] of Object.entries(job.outputs)) {
    if (settings.name === undefined) continue;
    const type = settings.type ?? job.pipeline.outputs[output]?.type ?? "uri_folder";
    wanted[output] = { name: settings.name, ...(settings.version !== undefined ? { version: settings.version } : {}), type };
  }
  return Object.keys(wanted).length ? JSON.stringify(wanted) : undefined;
}

/** The submission body with the named outputs recorded in its properties (a copy). */
export function withOutputAssets<T extends { readonly properties: Record<string, unknown> }>(body: T, job: PipelineJobModel): T {
  const value = outputAssetsProperty(job);
  if (value === undefined) return body;
  return { ...body, properties: { ...body.properties, properties: { ...asMap(body.properties["properties"]), [OUTPUT_ASSETS_PROPERTY]: value } } };
}

function wantedOutputs(properties: Record<string, unknown>): Record<string, OutputAsset> {
  const text = str(asMap(properties["properties"])[OUTPUT_ASSETS_PROPERTY]);
  if (text === undefined) return {};
  try {
    return JSON.parse(text) as Record<string, OutputAsset>;
  } catch {
    return {};
  }
}

/** Registers the named outputs of a Completed job (PW4615 when it is not Completed). */
export async function registerJobOutputs(api: WorkspaceApi, uploader: Uploader, job: string, cwd: string = process.cwd()): Promise<RegisteredOutput[]> {
  const resource = await api.getJob(job);
  if (!resource || resource["properties"] === undefined) throw new AzureError("PW4604", `no job named '${job}' in workspace ${api.scope.workspaceName}`);
  const properties = asMap(resource["properties"]);
  const wanted = wantedOutputs(properties);
  if (!Object.keys(wanted).length) return [];
  const status = str(properties["status"]) ?? "Unknown";
  if (status !== "Completed") {
    throw new AzureError("PW4615", `job ${job} is ${status}; its named outputs (${Object.keys(wanted).join(", ")}) are registered once it has Completed`);
  }
  const ctx: AzureAssetsContext = { assets: new AssetsApi(api), uploader, cwd };
  const data = new AzureDataOperations(ctx);
  const models = new AzureModelOperations(ctx);
  const outputs = asMap(properties["outputs"]);
  const out: RegisteredOutput[] = [];
  for (const [output, asset] of Object.entries(wanted)) {
    const uri = str(asMap(outputs[output])["uri"]) ?? `azureml://datastores/workspaceblobstore/paths/azureml/${job}/${output}/`;
    const isModel = MODEL_TYPES.has(asset.type);
    const common = { name: asset.name, path: uri, description: `Output ${output} of job ${job}`, tags: { "pipewright.job": job, "pipewright.output": output } };
    const version = asset.version !== undefined ? { version: asset.version } : {};
    // Without a version, one already pointing at this output is the registration (a restarted watcher).
    const existing =
      asset.version === undefined ? (await (isModel ? models.list(asset.name) : data.list(asset.name)).catch(() => [])).find((record) => record.path === uri) : undefined;
    const record: AzureDataRecord | AzureModelRecord =
      existing ??
      (isModel
        ? await models.createOrUpdate({ kind: "model", type: asset.type, ...common, ...version } as ModelAssetModel)
        : await data.createOrUpdate({ kind: "data", type: asset.type, ...common, ...version } as DataAssetModel));
    out.push({ job, output, kind: isModel ? "model" : "data", name: record.name, version: record.version, id: record.id, path: record.path, created: existing === undefined && record.created !== false });
  }
  return out;
}

/** The watcher's events, registering the job's named outputs before `job_finished` (completed) is passed on. */
export async function* registeringOutputs(events: AsyncIterable<RunEvent>, register: () => Promise<RegisteredOutput[]>, options: OutputRegistrationOptions): AsyncGenerator<RunEvent> {
  for await (const event of events) {
    if (event.type === "job_finished" && event.status === "completed") {
      try {
        for (const registered of await register()) options.onOutputRegistered?.(registered);
      } catch (error) {
        if (!options.onOutputRegistrationError) throw error;
        options.onOutputRegistrationError(error instanceof Error ? error : new Error(String(error)));
      }
    }
    yield event;
  }
}
