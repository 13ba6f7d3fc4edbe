/**
 * HTTP for the Azure ML backend, all through @azure/core-rest-pipeline: the default policies
 * (retry that honours Retry-After on 429/503, exponential back-off on 5xx and network errors,
 * client request ids, logging with header redaction) plus a bearer-token policy for ARM and the
 * data plane. Blob traffic goes through @azure/storage-blob pipelines built here too, so one
 * `ca` option makes every client trust a local emulator's certificate.
 */
import { Agent } from "node:https";
import type { TokenCredential } from "@azure/core-auth";
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  type HttpClient,
  type HttpMethods,
  type Pipeline,
  type PipelinePolicy,
} from "@azure/core-rest-pipeline";
import { AnonymousCredential, newPipeline, type StorageSharedKeyCredential, type Pipeline as StoragePipeline, type RequestPolicy, type RequestPolicyFactory, type WebResource } from "@azure/storage-blob";
import { AzureError, type AzureCode } from "./azure-error.js";
import { ARM_SCOPE, ML_SCOPE } from "./constants.js";
import { displayUrl, redactSecrets } from "./redact.js";

export interface RetrySettings {
  /** @default 6 */
  readonly maxRetries?: number;
  /** First back-off step. @default 800 */
  readonly retryDelayInMs?: number;
  /** @default 60000 */
  readonly maxRetryDelayInMs?: number;
}

export interface HttpSettings {
  readonly credential: TokenCredential;
  readonly retry?: RetrySettings;
  /** PEM certificate(s) to trust besides the system's (a local emulator's). */
  readonly ca?: string;
}

export interface JsonResponse {
  readonly status: number;
  readonly body: unknown;
  /** The body as text. */
  readonly text: string;
  readonly headers: { get(name: string): string | undefined };
}

export interface SendOptions {
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Statuses returned instead of thrown (e.g. 404 for "does it exist?"). */
  readonly allow?: readonly number[];
  /** Code of the error thrown for other failures. @default PW4602 */
  readonly code?: AzureCode;
}

function trustPolicy(agent: Agent): PipelinePolicy {
  return {
    name: "pipewrightTrustedCa",
    sendRequest(request, next) {
      request.agent = agent;
      return next(request);
    },
  };
}

export class AzureHttp {
  readonly #arm: Pipeline;
  readonly #anonymous: Pipeline;
  readonly #client: HttpClient = createDefaultHttpClient();
  readonly #agent: Agent | undefined;
  readonly #settings: HttpSettings;

  constructor(settings: HttpSettings) {
    this.#settings = settings;
    this.#agent = settings.ca !== undefined ? new Agent({ ca: settings.ca, keepAlive: false }) : undefined;
    const retryOptions = {
      maxRetries: settings.retry?.maxRetries ?? 6,
      retryDelayInMs: settings.retry?.retryDelayInMs ?? 800,
      maxRetryDelayInMs: settings.retry?.maxRetryDelayInMs ?? 60_000,
    };
    const make = (): Pipeline => {
      const pipeline = createPipelineFromOptions({ retryOptions, userAgentOptions: { userAgentPrefix: "pipewright" } });
      if (this.#agent) pipeline.addPolicy(trustPolicy(this.#agent));
      return pipeline;
    };
    this.#arm = make();
    this.#arm.addPolicy(bearerTokenAuthenticationPolicy({ credential: settings.credential, scopes: ARM_SCOPE }));
    this.#anonymous = make();
  }

  /** A call with the ARM bearer token (ARM routes and the run-history data plane). */
  send(method: HttpMethods, url: string, options: SendOptions = {}): Promise<JsonResponse> {
    return this.#send(this.#arm, method, url, options);
  }

  /** A call without credentials: discovery, and blob URLs that carry their own SAS. */
  sendAnonymous(method: HttpMethods, url: string, options: SendOptions = {}): Promise<JsonResponse> {
    return this.#send(this.#anonymous, method, url, options);
  }

  /** The `x-azureml-token` header a pipeline job PUT carries. */
  async mlTokenHeader(): Promise<Record<string, string>> {
    const token = await this.#settings.credential.getToken(ML_SCOPE);
    if (!token) throw new AzureError("PW4602", "the credential gave no token for https://ml.azure.com (needed to submit pipeline jobs)");
    return { "x-azureml-token": token.token };
  }

  /** A storage-blob pipeline (SAS in the URL, or a shared key) with the same trust and retries. */
  storagePipeline(credential?: StorageSharedKeyCredential | AnonymousCredential): StoragePipeline {
    const pipeline = newPipeline(credential ?? new AnonymousCredential(), {
      retryOptions: {
        maxTries: (this.#settings.retry?.maxRetries ?? 6) + 1,
        retryDelayInMs: this.#settings.retry?.retryDelayInMs ?? 800,
        maxRetryDelayInMs: this.#settings.retry?.maxRetryDelayInMs ?? 60_000,
      },
      userAgentOptions: { userAgentPrefix: "pipewright" },
    });
    const agent = this.#agent;
    if (agent) {
      const trust: RequestPolicyFactory = {
        create(next: RequestPolicy): RequestPolicy {
          return {
            sendRequest(request: WebResource) {
              request.agent = agent;
              return next.sendRequest(request);
            },
          };
        },
      };
      pipeline.factories.unshift(trust);
    }
    return pipeline;
  }

  async #send(pipeline: Pipeline, method: HttpMethods, url: string, options: SendOptions): Promise<JsonResponse> {
    const headers = createHttpHeaders({ accept: "application/json", ...options.headers });
    let body: string | undefined;
    if (options.body !== undefined) {
      headers.set("content-type", "application/json");
      body = JSON.stringify(options.body);
    }
    const request = createPipelineRequest({ url, method, headers, ...(body !== undefined ? { body } : {}) });
    let response;
    try {
      response = await pipeline.sendRequest(this.#client, request);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new AzureError(options.code ?? "PW4602", `${method} ${displayUrl(url)} failed after retries: ${redactSecrets(message)}`);
    }
    const text = response.bodyAsText ?? "";
    let parsed: unknown;
    if (text !== "") {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    const result: JsonResponse = { status: response.status, body: parsed, text, headers: { get: (name) => response.headers.get(name) } };
    if (response.status < 400 || options.allow?.includes(response.status)) return result;
    const error = typeof parsed === "object" && parsed !== null ? (parsed as { error?: { code?: unknown; message?: unknown } }).error : undefined;
    const serviceCode = typeof error?.code === "string" ? error.code : undefined;
    const serviceMessage = typeof error?.message === "string" ? error.message : typeof parsed === "string" ? parsed.slice(0, 500) : "";
    throw new AzureError(options.code ?? "PW4602", `${method} ${displayUrl(url)} answered ${response.status}${serviceMessage ? `: ${serviceMessage}` : ""}`, {
      status: response.status,
      serviceCode,
      requestId: response.headers.get("x-ms-request-id") ?? undefined,
    });
  }
}
