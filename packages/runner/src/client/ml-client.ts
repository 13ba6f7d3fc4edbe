/**
 * `MLClient`: one client, several backends. `MLClient.local()` works on the local workspace;
 * the Azure ML backend constructs the same client around its own `JobsOperations`.
 */
import type { LocalRunOptions } from "../local/executor.js";
import { LocalWorkspace, workspaceFolder } from "../workspace/workspace.js";
import type { TokenCredential } from "@azure/core-auth";
import { DefaultAzureCredential } from "@azure/identity";
import { createAzureJobs, type AzureClientOptions } from "../azure/azure-jobs.js";
import { resolveWorkspace, type WorkspaceHints } from "../azure/workspace-config.js";
import type { JobsOperations } from "./jobs-operations.js";
import { LocalJobsOperations } from "./local-jobs.js";
import { LocalAssetResolver } from "../registry/asset-resolver.js";
import { LocalRegistry } from "../registry/local-registry.js";
import { componentDefinition, LocalAssetOperations, LocalDatastoreOperations } from "../registry/local-assets-operations.js";
import type { ComponentDefinition } from "../registry/assets-operations.js";
import { LocalComputeOperations, LocalWorkspaceOperations } from "../registry/local-resources.js";
import { join, resolve } from "node:path";

export interface LocalClientOptions {
  /** The workspace folder. @default `.pipewright/` at the project root above `cwd` */
  readonly workspace?: string;
  /** Where to look for the project root. @default process.cwd() */
  readonly cwd?: string;
  /** Defaults for every run this client starts (concurrency, retries, the steps' environment...). */
  readonly run?: LocalRunOptions;
  /** Where `workspaces.beginCreate` makes new workspace folders. @default `<workspace>/workspaces` */
  readonly workspacesRoot?: string;
}

export class MLClient {
  readonly jobs: JobsOperations;

  /** Around any backend's jobs operations. */
  constructor(jobs: JobsOperations);
  /** An Azure ML workspace, as the Python SDK's `MLClient(credential, subscription_id, resource_group_name, workspace_name)`. */
  constructor(credential: TokenCredential, subscriptionId: string, resourceGroup: string, workspaceName: string, options?: AzureClientOptions);
  constructor(first: JobsOperations | TokenCredential, subscriptionId?: string, resourceGroup?: string, workspaceName?: string, options: AzureClientOptions = {}) {
    if (isTokenCredential(first)) {
      if (subscriptionId === undefined || resourceGroup === undefined || workspaceName === undefined) {
        throw new TypeError("new MLClient(credential, subscriptionId, resourceGroup, workspaceName): all four are needed");
      }
      this.jobs = createAzureJobs(first, { subscriptionId, resourceGroup, workspaceName }, options);
    } else {
      this.jobs = first;
    }
  }

  /** An Azure ML client for the workspace in the nearest config.json (or the given hints); DefaultAzureCredential unless given one. */
  static fromConfig(options: AzureClientOptions & WorkspaceHints & { readonly credential?: TokenCredential } = {}): MLClient {
    const ws = resolveWorkspace({ ...options, cwd: options.cwd ?? process.cwd() });
    return new MLClient(options.credential ?? new DefaultAzureCredential(), ws.subscriptionId, ws.resourceGroup, ws.workspaceName, options);
  }

  /** A client over the local workspace (no cloud account needed). */
  static local(options: LocalClientOptions = {}): LocalMLClient {
    return new LocalMLClient(options);
  }
}

function isTokenCredential(value: unknown): value is TokenCredential {
  return typeof value === "object" && value !== null && typeof (value as { getToken?: unknown }).getToken === "function";
}

export class LocalMLClient extends MLClient {
  declare readonly jobs: LocalJobsOperations;
  readonly workspace: LocalWorkspace;
  /** Versioned assets in `.pipewright/registry.db` and `.pipewright/blobs/` (opened on first use). */
  readonly data: LocalAssetOperations<"data">;
  readonly models: LocalAssetOperations<"model">;
  readonly environments: LocalAssetOperations<"environment">;
  readonly components: LocalAssetOperations<"component", ComponentDefinition>;
  readonly datastores: LocalDatastoreOperations;
  /** Compute definitions recorded in the registry (runs still run on this machine). */
  readonly computes: LocalComputeOperations;
  /** New local workspace folders under `workspacesRoot`. */
  readonly workspaces: LocalWorkspaceOperations;
  private openedRegistry: LocalRegistry | undefined;

  constructor(options: LocalClientOptions = {}) {
    const cwd = options.cwd ?? process.cwd();
    const workspace = LocalWorkspace.open(workspaceFolder({ ...(options.workspace !== undefined ? { workspace: options.workspace } : {}), cwd }));
    const registry = (): LocalRegistry => (this.openedRegistry ??= new LocalRegistry(workspace.root));
    super(new LocalJobsOperations(workspace, { assets: new LocalAssetResolver(registry), ...(options.run ?? {}) }));
    this.workspace = workspace;
    this.data = new LocalAssetOperations(registry, "data", (d) => d, cwd);
    this.models = new LocalAssetOperations(registry, "model", (d) => d, cwd);
    this.environments = new LocalAssetOperations(registry, "environment", (d) => d, cwd);
    this.components = new LocalAssetOperations(registry, "component", componentDefinition, cwd);
    this.datastores = new LocalDatastoreOperations(workspace, cwd);
    this.computes = new LocalComputeOperations(registry);
    this.workspaces = new LocalWorkspaceOperations(options.workspacesRoot !== undefined ? resolve(cwd, options.workspacesRoot) : join(workspace.root, "workspaces"));
  }

  /** The local registry itself (versions, blobs, labels). */
  get registry(): LocalRegistry {
    return (this.openedRegistry ??= new LocalRegistry(this.workspace.root));
  }

  close(): void {
    this.openedRegistry?.close();
    this.openedRegistry = undefined;
    this.workspace.close();
  }
}
