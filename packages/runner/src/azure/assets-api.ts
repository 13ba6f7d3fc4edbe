/**
 * The ARM calls of workspace assets and resources, on top of the backend's `WorkspaceApi` (same
 * HTTP pipeline, api-version and workspace id): versioned assets (data, models, environments,
 * components), datastores, computes, and the polling of long-running creations.
 */
import type { HttpMethods } from "@azure/core-rest-pipeline";
import { AzureError } from "./azure-error.js";
import type { JsonResponse } from "./http.js";
import { asMap, str, type JsonMap, type WorkspaceApi } from "./workspace-api.js";

/** URL segment of each versioned asset kind. */
export type VersionedSegment = "data" | "models" | "environments" | "components";

const enc = encodeURIComponent;

export class AssetsApi {
  constructor(readonly api: WorkspaceApi) {}

  private async getOrUndefined(url: string): Promise<JsonMap | undefined> {
    const response = await this.api.http.send("GET", url, { allow: [404] });
    return response.status === 404 ? undefined : asMap(response.body);
  }

  /** Every item of a list, following nextLink verbatim. */
  async list(firstUrl: string): Promise<JsonMap[]> {
    const out: JsonMap[] = [];
    let next: string | undefined = firstUrl;
    while (next !== undefined) {
      const page: JsonMap = asMap((await this.api.http.send("GET", next)).body);
      for (const item of (page["value"] as unknown[] | undefined) ?? []) out.push(asMap(item));
      next = str(page["nextLink"]);
    }
    return out;
  }

  // --- versioned assets ---
  version(kind: VersionedSegment, name: string, version: string): Promise<JsonMap | undefined> {
    return this.getOrUndefined(this.api.url(`/${kind}/${enc(name)}/versions/${enc(version)}`));
  }

  container(kind: VersionedSegment, name: string): Promise<JsonMap | undefined> {
    return this.getOrUndefined(this.api.url(`/${kind}/${enc(name)}`));
  }

  containers(kind: VersionedSegment): Promise<JsonMap[]> {
    return this.list(this.api.url(`/${kind}`));
  }

  /** Versions of a name, newest first (`$top` limits). */
  async versions(kind: VersionedSegment, name: string, options: { top?: number; archived?: boolean } = {}): Promise<JsonMap[]> {
    const query: Record<string, string> = { $orderBy: "createdtime desc", listViewType: options.archived ? "All" : "ActiveOnly" };
    if (options.top !== undefined) query["$top"] = String(options.top);
    const response = await this.api.http.send("GET", this.api.url(`/${kind}/${enc(name)}/versions`, query), { allow: [404] });
    if (response.status === 404) return [];
    const page = asMap(response.body);
    const first = ((page["value"] as unknown[] | undefined) ?? []).map(asMap);
    const next = str(page["nextLink"]);
    return options.top !== undefined || next === undefined ? first : [...first, ...(await this.list(next))];
  }

  async putVersion(kind: VersionedSegment, name: string, version: string, body: unknown): Promise<JsonMap> {
    return asMap((await this.api.http.send("PUT", this.api.url(`/${kind}/${enc(name)}/versions/${enc(version)}`), { body, code: "PW4602" })).body);
  }

  // --- datastores ---
  datastore(name: string): Promise<JsonMap | undefined> {
    return this.getOrUndefined(this.api.url(`/datastores/${enc(name)}`));
  }

  datastores(): Promise<JsonMap[]> {
    return this.list(this.api.url("/datastores"));
  }

  async putDatastore(name: string, body: unknown): Promise<JsonMap> {
    return asMap((await this.api.http.send("PUT", this.api.url(`/datastores/${enc(name)}`), { body })).body);
  }

  // --- computes ---
  compute(name: string): Promise<JsonMap | undefined> {
    return this.getOrUndefined(this.api.url(`/computes/${enc(name)}`));
  }

  computes(): Promise<JsonMap[]> {
    return this.list(this.api.url("/computes"));
  }

  putCompute(name: string, body: unknown): Promise<JsonResponse> {
    return this.api.http.send("PUT", this.api.url(`/computes/${enc(name)}`), { body });
  }

  // --- workspaces (resource-group scope) ---
  workspaceUrl(resourceGroup: string, name: string): string {
    const url = new URL(`${this.api.endpoint.replace(/\/+$/, "")}/subscriptions/${enc(this.api.scope.subscriptionId)}/resourceGroups/${enc(resourceGroup)}/providers/Microsoft.MachineLearningServices/workspaces/${enc(name)}`);
    url.searchParams.set("api-version", this.api.apiVersion);
    return url.toString();
  }

  send(method: HttpMethods, url: string, body?: unknown): Promise<JsonResponse> {
    return this.api.http.send(method, url, body === undefined ? {} : { body });
  }
}

/** Where a long-running operation reports its state: Azure-AsyncOperation, else Location. */
export function operationUrl(response: JsonResponse): string | undefined {
  return response.headers.get("azure-asyncoperation") ?? response.headers.get("location") ?? undefined;
}

export function retryAfterMs(response: JsonResponse): number | undefined {
  const seconds = Number(response.headers.get("retry-after") ?? "");
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

export function notFoundError(what: string, workspace: string): AzureError {
  return new AzureError("PW4602", `no ${what} in workspace ${workspace}`, { status: 404 });
}
