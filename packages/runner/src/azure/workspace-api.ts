/**
 * The Azure ML REST calls the backend makes (REST.md §7.1), one method each, against one
 * workspace: ARM routes under the workspace's id with the one api-version, and the run-history
 * data plane found through the workspace's discovery document.
 */
import { workspaceArmId, type WorkspaceScope } from "@pipewright/compiler";
import { AzureError } from "./azure-error.js";
import type { AzureHttp, JsonResponse } from "./http.js";

export type JsonMap = Record<string, unknown>;

export function asMap(value: unknown): JsonMap {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonMap) : {};
}

export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export class WorkspaceApi {
  readonly armId: string;
  #dataPlane: Promise<string> | undefined;

  constructor(
    readonly http: AzureHttp,
    readonly endpoint: string,
    readonly scope: WorkspaceScope,
    readonly apiVersion: string,
  ) {
    this.armId = workspaceArmId(scope);
  }

  /** `{endpoint}{workspace id}{path}?api-version=...&query` */
  url(path: string, query: Readonly<Record<string, string>> = {}): string {
    const url = new URL(`${this.endpoint.replace(/\/+$/, "")}${this.armId}${path}`);
    url.searchParams.set("api-version", this.apiVersion);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    return url.toString();
  }

  private enc(segment: string): string {
    return encodeURIComponent(segment);
  }

  async workspace(): Promise<JsonMap> {
    return asMap((await this.http.send("GET", this.url(""))).body);
  }

  /** The run-history base URL (`api` of the discovery document). */
  dataPlane(): Promise<string> {
    this.#dataPlane ??= (async () => {
      const ws = await this.workspace();
      const discoveryUrl = str(asMap(ws["properties"])["discoveryUrl"]);
      if (discoveryUrl === undefined) throw new AzureError("PW4602", `the workspace ${this.scope.workspaceName} has no discoveryUrl`);
      const doc = asMap((await this.http.sendAnonymous("GET", discoveryUrl)).body);
      const api = str(doc["api"]) ?? str(doc["history"]);
      if (api === undefined) throw new AzureError("PW4602", "the workspace's discovery document names no `api` endpoint");
      return api.replace(/\/+$/, "");
    })();
    this.#dataPlane.catch(() => {
      this.#dataPlane = undefined;
    });
    return this.#dataPlane;
  }

  // --- code ---
  async findCodeByHash(sha256: string, hashVersion: string, anyName: string): Promise<string | undefined> {
    const response = await this.http.send("GET", this.url(`/codes/${this.enc(anyName)}/versions`, { hash: sha256, hashVersion }), { allow: [404] });
    if (response.status === 404) return undefined;
    const first = asMap((asMap(response.body)["value"] as unknown[] | undefined)?.[0]);
    return str(first["id"]);
  }

  async startPendingUpload(name: string, version: string): Promise<{ blobUri: string; sasUri: string }> {
    const response = await this.http.send("POST", this.url(`/codes/${this.enc(name)}/versions/${this.enc(version)}/startPendingUpload`), {
      body: { pendingUploadType: "TemporaryBlobReference" },
      code: "PW4605",
    });
    const ref = asMap(asMap(response.body)["blobReferenceForConsumption"]);
    const blobUri = str(ref["blobUri"]);
    const sasUri = str(asMap(ref["credential"])["sasUri"]);
    if (blobUri === undefined || sasUri === undefined) throw new AzureError("PW4605", `startPendingUpload for code ${name}:${version} returned no blob reference`);
    return { blobUri, sasUri };
  }

  async putCodeVersion(name: string, version: string, body: unknown): Promise<string> {
    const response = await this.http.send("PUT", this.url(`/codes/${this.enc(name)}/versions/${this.enc(version)}`), { body });
    return str(asMap(response.body)["id"]) ?? `${this.armId}/codes/${name}/versions/${version}`;
  }

  // --- components ---
  async componentVersionExists(name: string, version: string): Promise<boolean> {
    const response = await this.http.send("GET", this.url(`/components/${this.enc(name)}/versions/${this.enc(version)}`), { allow: [404] });
    return response.status !== 404;
  }

  async putComponentVersion(name: string, version: string, body: unknown): Promise<JsonMap> {
    return asMap((await this.http.send("PUT", this.url(`/components/${this.enc(name)}/versions/${this.enc(version)}`), { body })).body);
  }

  // --- datastores ---
  async datastore(name: string | undefined): Promise<JsonMap> {
    if (name !== undefined) return asMap((await this.http.send("GET", this.url(`/datastores/${this.enc(name)}`))).body);
    const page = asMap((await this.http.send("GET", this.url("/datastores", { isDefault: "true" }))).body);
    const first = (page["value"] as unknown[] | undefined)?.[0];
    if (first === undefined) throw new AzureError("PW4605", `the workspace ${this.scope.workspaceName} has no default datastore`);
    return asMap(first);
  }

  async datastoreSecrets(name: string): Promise<JsonMap> {
    return asMap((await this.http.send("POST", this.url(`/datastores/${this.enc(name)}/listSecrets`), { code: "PW4605" })).body);
  }

  // --- jobs ---
  async putJob(name: string, body: unknown, headers: Readonly<Record<string, string>>): Promise<JsonMap> {
    return asMap((await this.http.send("PUT", this.url(`/jobs/${this.enc(name)}`), { body, headers, code: "PW4603" })).body);
  }

  async getJob(name: string): Promise<JsonMap | undefined> {
    const response = await this.http.send("GET", this.url(`/jobs/${this.enc(name)}`), { allow: [404] });
    return response.status === 404 ? undefined : asMap(response.body);
  }

  /** Every job, following nextLink verbatim. */
  async *listJobs(): AsyncGenerator<JsonMap> {
    let next: string | undefined = this.url("/jobs");
    while (next !== undefined) {
      const page: JsonMap = asMap((await this.http.send("GET", next)).body);
      for (const item of (page["value"] as unknown[] | undefined) ?? []) yield asMap(item);
      next = str(page["nextLink"]);
    }
  }

  async cancelJob(name: string): Promise<JsonResponse> {
    return this.http.send("POST", this.url(`/jobs/${this.enc(name)}/cancel`));
  }

  // --- run history (data plane) ---
  private async runUrl(runId: string, suffix: string): Promise<string> {
    return `${await this.dataPlane()}/history/v1.0${this.armId}/runs/${this.enc(runId)}${suffix}`;
  }

  async runDetails(runId: string): Promise<JsonMap | undefined> {
    const response = await this.http.send("GET", await this.runUrl(runId, "/details"), { allow: [404] });
    return response.status === 404 ? undefined : asMap(response.body);
  }

  async runChildren(runId: string): Promise<JsonMap[]> {
    const out: JsonMap[] = [];
    let next: string | undefined = await this.runUrl(runId, "/children");
    while (next !== undefined) {
      const response: JsonResponse = await this.http.send("GET", next, { allow: [404] });
      if (response.status === 404) break;
      const page = asMap(response.body);
      for (const item of (page["value"] as unknown[] | undefined) ?? []) out.push(asMap(item));
      next = str(page["nextLink"]);
    }
    return out;
  }

  /** A log file (SAS URL): its text, or "" when it is not there yet. */
  async logText(sasUrl: string): Promise<string> {
    const response = await this.http.sendAnonymous("GET", sasUrl, { allow: [404], headers: { accept: "*/*" } });
    if (response.status === 404) return "";
    return response.text;
  }
}
