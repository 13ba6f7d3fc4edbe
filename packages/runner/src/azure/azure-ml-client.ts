/**
 * The Azure ML client: `new AzureMLClient(credential, subscriptionId, resourceGroup, workspace)`
 * or `AzureMLClient.fromConfig()` (config.json / .azureml/config.json searched upwards), with
 * DefaultAzureCredential unless another credential is given. `new MLClient(credential, ...)`
 * builds the same backend, typed by the shared interface only.
 */
import type { TokenCredential } from "@azure/core-auth";
import { DefaultAzureCredential } from "@azure/identity";
import { MLClient } from "../client/ml-client.js";
import { AzureComponentsOperations } from "./azure-components.js";
import type { AzureClientOptions, AzureJobsOperations } from "./azure-jobs.js";
import { resolveWorkspace, type WorkspaceCoordinates, type WorkspaceHints } from "./workspace-config.js";

export interface FromConfigOptions extends AzureClientOptions, WorkspaceHints {
  /** @default new DefaultAzureCredential() */
  readonly credential?: TokenCredential;
}

export class AzureMLClient extends MLClient {
  declare readonly jobs: AzureJobsOperations;
  readonly components: AzureComponentsOperations;
  readonly workspace: WorkspaceCoordinates;

  constructor(credential: TokenCredential, subscriptionId: string, resourceGroup: string, workspaceName: string, options: AzureClientOptions = {}) {
    super(credential, subscriptionId, resourceGroup, workspaceName, options);
    this.workspace = { subscriptionId, resourceGroup, workspaceName };
    this.components = new AzureComponentsOperations(this.jobs.api, this.jobs.uploader, options.cwd);
  }

  /** The workspace from explicit hints, else the nearest config.json, as `MLClient.from_config()` does. */
  static override fromConfig(options: FromConfigOptions = {}): AzureMLClient {
    const ws = resolveWorkspace({ ...options, cwd: options.cwd ?? process.cwd() });
    return new AzureMLClient(options.credential ?? new DefaultAzureCredential(), ws.subscriptionId, ws.resourceGroup, ws.workspaceName, options);
  }
}
