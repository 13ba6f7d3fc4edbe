/**
 * A long-running creation (a compute, a workspace) as a poller, like the SDK's `begin_*` calls:
 * the PUT has been accepted; `pollUntilDone()` polls the Azure-AsyncOperation (or Location) URL,
 * honouring Retry-After unless the client set its own interval, reports each state to
 * `onProgress`, and resolves with the created resource (PW4611 when the operation failed).
 */
import { setTimeout as delay } from "node:timers/promises";
import { AzureError } from "./azure-error.js";
import { retryAfterMs, type AssetsApi } from "./assets-api.js";
import type { JsonResponse } from "./http.js";
import { asMap, str } from "./workspace-api.js";
import type { CreationPoller, PollOptions } from "../client/resource-operations.js";

export type { CreationPoller, OperationProgress, PollOptions } from "../client/resource-operations.js";

export interface LroSettings {
  /** Fixed wait between polls; @default the service's Retry-After, else 5 s */
  readonly pollMs?: number;
  /** @default a timer */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const FINAL = new Set(["succeeded", "failed", "canceled", "cancelled"]);

export class CreationOperation<T> implements CreationPoller<T> {
  #status = "InProgress";
  #result: Promise<T> | undefined;

  constructor(
    private readonly assets: AssetsApi,
    private readonly what: string,
    readonly operationUrl: string | undefined,
    private readonly firstResponse: JsonResponse,
    private readonly fetchResult: () => Promise<T>,
    private readonly settings: LroSettings = {},
  ) {
    if (operationUrl === undefined) this.#status = "Succeeded";
  }

  get status(): string {
    return this.#status;
  }

  isDone(): boolean {
    return FINAL.has(this.#status.toLowerCase());
  }

  pollUntilDone(options: PollOptions = {}): Promise<T> {
    this.#result ??= this.#poll(options);
    return this.#result;
  }

  async #poll(options: PollOptions): Promise<T> {
    const sleep = this.settings.sleep ?? ((ms: number, signal?: AbortSignal) => delay(ms, undefined, signal ? { signal } : {}));
    let wait = this.settings.pollMs ?? retryAfterMs(this.firstResponse) ?? 5000;
    let polls = 0;
    let error: string | undefined;
    while (this.operationUrl !== undefined && !this.isDone()) {
      await sleep(wait, options.signal);
      const response = await this.assets.send("GET", this.operationUrl);
      polls += 1;
      const body = asMap(response.body);
      // Azure-AsyncOperation answers {status}; a Location URL answers 202 until done.
      this.#status = str(body["status"]) ?? (response.status === 202 ? "InProgress" : "Succeeded");
      error = str(asMap(body["error"])["message"]);
      options.onProgress?.({ what: this.what, status: this.#status, polls });
      wait = this.settings.pollMs ?? retryAfterMs(response) ?? wait;
    }
    if (this.#status.toLowerCase() !== "succeeded") {
      throw new AzureError("PW4611", `creating ${this.what} ended ${this.#status}${error !== undefined ? `: ${error}` : ""}`);
    }
    return this.fetchResult();
  }
}
