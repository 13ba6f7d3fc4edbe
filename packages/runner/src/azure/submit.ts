/**
 * Submitting a pipeline job: uploads (each code folder once per content hash, local data),
 * anonymous components registered only when the workspace lacks them, then one PUT of the job
 * under a name chosen here, so a retried PUT can never create a second job.
 */
import { withOutputAssets } from "./output-registration.js";
import { randomBytes } from "node:crypto";
import { applyInputOverrides, collectLocalAssets, compileRestBodies, type LocalCodeFolder, type RestProblem, type WorkspaceScope } from "@pipewright/compiler";
import type { PipelineJobModel } from "@pipewright/dsl";
import { AzureError } from "./azure-error.js";
import { checkComputes } from "./compute-check.js";
import type { Uploader } from "./uploads.js";
import type { JsonMap, WorkspaceApi } from "./workspace-api.js";

export interface SubmitSettings {
  readonly name?: string | undefined;
  readonly overrides?: Readonly<Record<string, string>> | undefined;
  readonly overridesBaseDir?: string | undefined;
  readonly forceRerun?: boolean | undefined;
  readonly experimentName?: string | undefined;
  /** Where relative paths of models without a folder resolve. */
  readonly fallbackDir?: string | undefined;
}

export interface SubmitResult {
  readonly name: string;
  readonly resource: JsonMap;
  readonly warnings: readonly RestProblem[];
  /** Component versions PUT by this submission (those the workspace already had are not). */
  readonly registered: readonly string[];
}

const JOB_NAME = /^[a-zA-Z0-9][a-zA-Z0-9\-_]{0,254}$/;

/** `<pipeline>_<time>_<random>`: unique, and valid as an ARM job name. */
export function newJobName(pipeline: string, now: number = Date.now()): string {
  const stem = pipeline.replace(/[^a-zA-Z0-9_-]/g, "_").replace(/^[^a-zA-Z0-9]+/, "").slice(0, 200) || "job";
  return `${stem}_${now.toString(36)}_${randomBytes(3).toString("hex")}`;
}

function failOn(problems: readonly RestProblem[], what: string): RestProblem[] {
  const errors = problems.filter((p) => p.severity === "error");
  if (errors.length > 0) {
    throw new AzureError("PW4603", `${what}:\n${errors.map((p) => `  ${p.path}: ${p.message}`).join("\n")}`);
  }
  return problems.filter((p) => p.severity !== "error");
}

async function inBatches<T, R>(items: readonly T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(work))));
  return out;
}

/** `component 'x' (declared in file.yml): ` for an include error's message. */
export function includeContext(folder: LocalCodeFolder): string {
  const names = folder.components.map((name) => `'${name}'`).join(", ");
  return `component${folder.components.length === 1 ? "" : "s"} ${names}${folder.declaredIn.length ? ` (declared in ${folder.declaredIn.join(", ")})` : ""}: `;
}

export async function submitPipelineJob(api: WorkspaceApi, uploader: Uploader, input: PipelineJobModel, settings: SubmitSettings): Promise<SubmitResult> {
  const warnings: RestProblem[] = [];
  let model = input;
  if (settings.overrides && Object.keys(settings.overrides).length > 0) {
    const applied = applyInputOverrides(model, settings.overrides, settings.overridesBaseDir ?? settings.fallbackDir);
    warnings.push(...failOn(applied.problems, "the --set values do not fit the pipeline"));
    model = applied.job;
  }
  if (settings.forceRerun) model = { ...model, settings: { ...model.settings, forceRerun: true } };
  if (settings.experimentName !== undefined) model = { ...model, experimentName: settings.experimentName };
  const name = settings.name ?? model.name ?? newJobName(model.pipeline.name);
  if (!JOB_NAME.test(name)) throw new AzureError("PW4603", `'${name}' is not a valid Azure ML job name: letters, digits, '-' and '_', starting with a letter or digit, at most 255 characters`);

  // Like the SDK: a compute that does not exist stops the submission before any upload.
  await checkComputes(api, model);
  const assets = collectLocalAssets(model, settings.fallbackDir);
  warnings.push(...failOn(assets.problems, "the pipeline job has local paths that cannot be uploaded"));
  const codeIds = await inBatches(assets.codeFolders, 4, (folder) => uploader.codeVersion(folder.path, folder.includes, includeContext(folder)));
  const dataUris = await inBatches(assets.data, 4, (item) => uploader.data(item.path, item.datastore));
  const scope: WorkspaceScope = api.scope;
  const bodies = compileRestBodies(model, {
    workspace: scope,
    resolution: {
      code: new Map(assets.codeFolders.map((folder, i) => [folder.key, codeIds[i] ?? ""])),
      data: new Map(assets.data.map((item, i) => [item.path, dataUris[i] ?? ""])),
    },
    ...(settings.fallbackDir !== undefined ? { fallbackDir: settings.fallbackDir } : {}),
  });
  warnings.push(...failOn(bodies.problems, "the pipeline job cannot be written as an Azure ML REST body"));

  const registered: string[] = [];
  for (const component of bodies.components) {
    if (await api.componentVersionExists(component.name, component.version)) continue;
    await api.putComponentVersion(component.name, component.version, component.body);
    registered.push(component.id);
  }
  // Outputs named as assets have no place in the stable REST body: kept in the job's properties for the watcher.
  const resource = await api.putJob(name, withOutputAssets(bodies.job, model), await api.http.mlTokenHeader());
  return { name, resource, warnings, registered };
}
