/**
 * Computes are checked before anything is uploaded, as the Python SDK does first (REST.md §2
 * step 1): every compute the job names (the job's, `default_compute`, each node's, inside
 * pipeline components too) is looked up with `GET WS/computes/{name}`. A missing one stops the
 * submission with PW4614 naming it and where it is used. `serverless`, `${{...}}` expressions
 * and ARM ids of other workspaces pass through unchecked.
 */
import type { ComponentModel, NodeModel, PipelineJobModel } from "@pipewright/dsl";
import { AzureError } from "./azure-error.js";
import { asMap, str, type WorkspaceApi } from "./workspace-api.js";

export interface ComputeUse {
  /** The compute's name in this workspace. */
  readonly name: string;
  /** Where it is named, e.g. `train_pipeline/settings/default_compute`. */
  readonly usedAt: readonly string[];
}

/** The workspace's compute name behind a job's compute value, or undefined when it is not checked. */
export function computeNameOf(value: string, workspaceArmId: string): string | undefined {
  if (value === "serverless" || value.includes("${{")) return undefined;
  const bare = value.replace(/^azureml:/, "");
  if (!bare.startsWith("/")) return bare === "" ? undefined : bare;
  const prefix = `${workspaceArmId}/computes/`.toLowerCase();
  return bare.toLowerCase().startsWith(prefix) ? bare.slice(prefix.length).replace(/\/+$/, "") || undefined : undefined;
}

/** Every compute of the workspace the job names, in first-use order. */
export function computeUses(job: PipelineJobModel, workspaceArmId: string): ComputeUse[] {
  const uses = new Map<string, string[]>();
  const add = (value: string | undefined, at: string): void => {
    if (value === undefined) return;
    const name = computeNameOf(value, workspaceArmId);
    if (name !== undefined) uses.set(name, [...(uses.get(name) ?? []), at]);
  };
  const root = job.pipeline.name;
  add(job.compute, `${root}/compute`);
  add(job.settings.defaultCompute, `${root}/settings/default_compute`);
  const seen = new Set<ComponentModel>();
  const visit = (nodes: readonly NodeModel[], at: string): void => {
    for (const node of nodes) {
      const nodeAt = `${at}/${node.name}`;
      add(node.compute, `${nodeAt}/compute`);
      const component = node.component;
      if (component.type === "pipeline" && !seen.has(component as ComponentModel)) {
        seen.add(component as ComponentModel);
        const jobs = (component as { jobs?: readonly NodeModel[] }).jobs;
        if (jobs) visit(jobs, nodeAt);
      }
    }
  };
  visit(job.pipeline.jobs, root);
  return [...uses.entries()].map(([name, usedAt]) => ({ name, usedAt }));
}

/** Looks every named compute up; throws PW4614 for the first ones missing (all of them named). */
export async function checkComputes(api: WorkspaceApi, job: PipelineJobModel): Promise<void> {
  const uses = computeUses(job, api.armId);
  const found = await Promise.all(
    uses.map(async (use) => (await api.http.send("GET", api.url(`/computes/${encodeURIComponent(use.name)}`), { allow: [404] })).status !== 404),
  );
  const missing = uses.filter((_, i) => !found[i]);
  if (missing.length === 0) return;
  const known = await existingComputes(api);
  const lines = missing.map((use) => `  '${use.name}', used at ${use.usedAt.join(", ")}`);
  const fix = known === undefined ? "" : known.length === 0 ? "\nThe workspace has no computes: create one, or use `serverless`." : `\nThe workspace has: ${known.join(", ")} (or use \`serverless\`).`;
  throw new AzureError(
    "PW4614",
    `no compute named ${missing.map((use) => `'${use.name}'`).join(", ")} in workspace ${api.scope.workspaceName}; nothing was uploaded:\n${lines.join("\n")}${fix}`,
  );
}

/** Names of the workspace's computes (first page), for the error's fix; undefined if the list fails. */
async function existingComputes(api: WorkspaceApi): Promise<string[] | undefined> {
  try {
    const page = asMap((await api.http.send("GET", api.url("/computes"))).body);
    const items = Array.isArray(page["value"]) ? (page["value"] as unknown[]) : [];
    return items.map((item) => str(asMap(item)["name"])).filter((name): name is string => name !== undefined).sort();
  } catch {
    return undefined;
  }
}
