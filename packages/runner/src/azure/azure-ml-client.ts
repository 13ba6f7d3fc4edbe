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
import { AssetsApi } from "./assets-api.js";
import { AzureComponentOperations, AzureDataOperations, AzureEnvironmentOperations, AzureModelOperations } from "./assets-operations.js";
import { AzureComputeOperations } from "./computes-operations.js";
import { AzureDatastoreOperations } from "./datastores-operations.js";
import { AzureWorkspaceOperations } from "./workspaces-operations.js";
import type { AzureClientOptions, AzureJobsOperations } from "./azure-jobs.js";
import { resolveWorkspace, type WorkspaceCoordinates, type WorkspaceHints } from "./workspace-config.js";

export interface FromConfigOptions extends AzureClientOptions, WorkspaceHints {
  /** @default new DefaultAzureCredential() */
  readonly credential?: TokenCredential;
}

export class AzureMLClient extends MLClient {
  declare readonly jobs: AzureJobsOperations;
  /** Components registered under their name and version (as `az ml component create`). */
  readonly components: AzureComponentOperations;
  readonly data: AzureDataOperations;
  readonly models: AzureModelOperations;
  readonly environments: AzureEnvironmentOperations;
  readonly datastores: AzureDatastoreOperations;
  readonly computes: AzureComputeOperations;
  readonly workspaces: AzureWorkspaceOperations;
  readonly workspace: WorkspaceCoordinates;

  constructor(credential: TokenCredential, subscriptionId: string, resourceGroup: string, workspaceName: string, options: AzureClientOptions = {}) {
    super(credential, subscriptionId, resourceGroup, workspaceName, options);
    this.workspace = { subscriptionId, resourceGroup, workspaceName };
    const assets = new AssetsApi(this.jobs.api);
    const context = { assets, uploader: this.jobs.uploader, cwd: options.cwd ?? process.cwd() };
    // Long-running creations poll at the watcher's pace when one is set (and sleep its way).
    const lro = { ...(options.watch?.minPollMs !== undefined ? { pollMs: options.watch.minPollMs } : {}), ...(options.watch?.sleep !== undefined ? { sleep: options.watch.sleep } : {}) };
    this.components = new AzureComponentOperations(context, new AzureComponentsOperations(this.jobs.api, this.jobs.uploader, options.cwd));
    this.data = new AzureDataOperations(context);
    this.models = new AzureModelOperations(context);
    this.environments = new AzureEnvironmentOperations(context);
    this.datastores = new AzureDatastoreOperations(assets);
    this.computes = new AzureComputeOperations(assets, context.cwd, lro);
    this.workspaces = new AzureWorkspaceOperations(assets, lro);
  }

  /** The workspace from explicit hints, else the nearest config.json, as `MLClient.from_config()` does. */
  static override fromConfig(options: FromConfigOptions = {}): AzureMLClient {
    const ws = resolveWorkspace({ ...options, cwd: options.cwd ?? process.cwd() });
    return new AzureMLClient(options.credential ?? new DefaultAzureCredential(), ws.subscriptionId, ws.resourceGroup, ws.workspaceName, options);
  }
}
