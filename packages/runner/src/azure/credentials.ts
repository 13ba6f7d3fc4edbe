/**
 * The credential a command line uses: DefaultAzureCredential, except against a loopback endpoint
 * (the emulator), which is its own Entra authority: a client-secret credential pointed at it.
 */
import { Agent } from "node:https";
import type { TokenCredential } from "@azure/core-auth";
import { ClientSecretCredential, DefaultAzureCredential } from "@azure/identity";

export interface CredentialChoice {
  /** The ARM endpoint; a loopback one means the emulator. */
  readonly endpoint?: string | undefined;
  /** PEM certificate(s) to trust for the token endpoint (the emulator's). */
  readonly ca?: string | undefined;
  readonly tenantId?: string | undefined;
  readonly clientId?: string | undefined;
  readonly clientSecret?: string | undefined;
}

export function isLoopbackEndpoint(endpoint: string | undefined): boolean {
  if (endpoint === undefined) return false;
  try {
    const host = new URL(endpoint).hostname;
    return host === "127.0.0.1" || host === "localhost" || host === "[::1]";
  } catch {
    return false;
  }
}

export function chooseCredential(choice: CredentialChoice): TokenCredential {
  if (!isLoopbackEndpoint(choice.endpoint) || choice.endpoint === undefined) return new DefaultAzureCredential();
  const agent = choice.ca !== undefined ? new Agent({ ca: choice.ca, keepAlive: false }) : undefined;
  return new ClientSecretCredential(choice.tenantId ?? "00000000-0000-0000-0000-000000000001", choice.clientId ?? "pipewright-cli", choice.clientSecret ?? "pipewright-emulator", {
    authorityHost: choice.endpoint,
    // MSAL's instance discovery would call login.microsoftonline.com; the emulator is its own authority.
    disableInstanceDiscovery: true,
    ...(agent
      ? {
          additionalPolicies: [
            {
              position: "perCall" as const,
              policy: {
                name: "pipewrightTrustedCa",
                sendRequest(request, next) {
                  request.agent = agent;
                  return next(request);
                },
              },
            },
          ],
        }
      : {}),
  });
}
