/**
 * ARM ids inside one Azure ML workspace, and how names written in a pipeline (`azureml:cpu-cluster`,
 * `azureml:env:3`, `serverless`, `${{...}}`) become the ids the REST bodies carry (REST.md §2).
 * Pure string formatting.
 */

export interface WorkspaceScope {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly workspaceName: string;
}

export const PROVIDER = "Microsoft.MachineLearningServices";

/** `/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.MachineLearningServices/workspaces/{ws}` */
export function workspaceArmId(ws: WorkspaceScope): string {
  return `/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroup}/providers/${PROVIDER}/workspaces/${ws.workspaceName}`;
}

export function assetArmId(ws: WorkspaceScope, kind: "codes" | "components" | "environments" | "data" | "models", name: string, version: string): string {
  return `${workspaceArmId(ws)}/${kind}/${name}/versions/${version}`;
}

function isPassThrough(value: string): boolean {
  return value === "serverless" || value.includes("${{") || value.startsWith("/subscriptions/");
}

/** A compute name (`cpu-cluster` or `azureml:cpu-cluster`) as an ARM id; expressions and `serverless` pass. */
export function computeArmId(ws: WorkspaceScope, compute: string): string {
  if (isPassThrough(compute)) return compute;
  const bare = compute.replace(/^azureml:/, "");
  if (bare.startsWith("/subscriptions/")) return bare;
  return `${workspaceArmId(ws)}/computes/${bare}`;
}

/** A datastore name as an ARM id. */
export function datastoreArmId(ws: WorkspaceScope, datastore: string): string {
  if (isPassThrough(datastore)) return datastore;
  return `${workspaceArmId(ws)}/datastores/${datastore.replace(/^azureml:/, "")}`;
}

/**
 * `azureml:name:version` -> the asset's ARM id; labels (`name@latest`), registry URIs, curated
 * environments and ARM ids pass through as written (the service resolves them).
 */
export function assetReference(ws: WorkspaceScope, kind: "components" | "environments" | "codes", value: string): string {
  if (!value.startsWith("azureml:") || value.startsWith("azureml://")) return value;
  const bare = value.slice("azureml:".length);
  if (bare.startsWith("/subscriptions/")) return bare;
  const match = /^([^:@/]+):([^:@/]+)$/.exec(bare);
  if (!match || match[1] === undefined || match[2] === undefined) return value;
  return assetArmId(ws, kind, match[1], match[2]);
}
