// Clients pointed at the Azure ML emulator, built the way a real caller builds them: a real
// ClientSecretCredential (MSAL against the emulator's token endpoint), core-rest-pipeline with its
// default retry policy, and @azure/storage-blob with the SAS the emulator hands out. The only
// emulator-specific piece is trusting its self-signed certificate.
import { Agent } from "node:https";
import { ClientSecretCredential } from "@azure/identity";
import {
  bearerTokenAuthenticationPolicy,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  createDefaultHttpClient,
  type HttpMethods,
  type Pipeline,
  type PipelinePolicy,
  type PipelineResponse,
} from "@azure/core-rest-pipeline";
import { AnonymousCredential, newPipeline, type Pipeline as StoragePipeline, type RequestPolicy, type RequestPolicyFactory, type WebResource } from "@azure/storage-blob";
import type { RunningEmulator } from "../../src/index.js";

export const TENANT = "00000000-0000-0000-0000-00000000aaaa";
export const CLIENT_ID = "11111111-2222-3333-4444-555555555555";
export const CLIENT_SECRET = "emulator-client-secret-value";
export const API_VERSION = "2024-04-01";

/** An https.Agent trusting the emulator's certificate (keep-alive off so close() is immediate). */
export function trustingAgent(emulator: RunningEmulator): Agent {
  return new Agent({ ca: emulator.ca, keepAlive: false });
}

export function trustPolicy(emulator: RunningEmulator): PipelinePolicy {
  const agent = trustingAgent(emulator);
  return {
    name: "trustEmulatorCertificate",
    sendRequest(request, next) {
      request.agent = agent;
      return next(request);
    },
  };
}

export function emulatorCredential(emulator: RunningEmulator, secret = CLIENT_SECRET): ClientSecretCredential {
  return new ClientSecretCredential(TENANT, CLIENT_ID, secret, {
    authorityHost: emulator.authorityHost,
    // MSAL's instance discovery calls login.microsoftonline.com; the emulator is its own authority.
    disableInstanceDiscovery: true,
    additionalPolicies: [{ policy: trustPolicy(emulator), position: "perCall" }],
  });
}

export interface ArmClient {
  readonly pipeline: Pipeline;
  send(method: HttpMethods, path: string, options?: { body?: unknown; headers?: Record<string, string>; query?: Record<string, string> }): Promise<PipelineResponse>;
}

/** A core-rest-pipeline client for ARM: bearer-token policy, default retry policy (honours Retry-After). */
export function armClient(emulator: RunningEmulator, credential = emulatorCredential(emulator), retryDelayInMs = 10): ArmClient {
  const pipeline = createPipelineFromOptions({ retryOptions: { maxRetries: 4, retryDelayInMs, maxRetryDelayInMs: 50 } });
  pipeline.addPolicy(trustPolicy(emulator));
  pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential, scopes: "https://management.azure.com/.default" }));
  const httpClient = createDefaultHttpClient();
  return {
    pipeline,
    async send(method, path, options = {}) {
      const url = new URL(path.startsWith("https://") ? path : `${emulator.url}${path}`);
      if (!url.searchParams.has("api-version") && !path.includes("/history/")) url.searchParams.set("api-version", API_VERSION);
      for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
      const headers = createHttpHeaders(options.headers);
      if (options.body !== undefined) headers.set("content-type", "application/json");
      const request = createPipelineRequest({ url: url.toString(), method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
      return pipeline.sendRequest(httpClient, request);
    },
  };
}

export function workspacePath(emulator: RunningEmulator): string {
  const ws = emulator.workspace;
  return `/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${ws.name}`;
}

/** A storage-blob pipeline (anonymous credential: the SAS is in the URL) trusting the emulator. */
export function storagePipeline(emulator: RunningEmulator): StoragePipeline {
  const agent = trustingAgent(emulator);
  const pipeline = newPipeline(new AnonymousCredential(), { retryOptions: { maxTries: 3, retryDelayInMs: 10, maxRetryDelayInMs: 50 } });
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
  return pipeline;
}

export function json(response: PipelineResponse): unknown {
  return response.bodyAsText ? JSON.parse(response.bodyAsText) : undefined;
}
