/**
 * `MLClient`: one client, several backends. `MLClient.local()` works on the local workspace;
 * the Azure ML backend constructs the same client around its own `JobsOperations`.
 */
import type { LocalRunOptions } from "../local/executor.js";
import { LocalWorkspace, workspaceFolder } from "../workspace/workspace.js";
import type { JobsOperations } from "./jobs-operations.js";
import { LocalJobsOperations } from "./local-jobs.js";

export interface LocalClientOptions {
  /** The workspace folder. @default `.pipewright/` at the project root above `cwd` */
  readonly workspace?: string;
  /** Where to look for the project root. @default process.cwd() */
  readonly cwd?: string;
  /** Defaults for every run this client starts (concurrency, retries, the steps' environment...). */
  readonly run?: LocalRunOptions;
}

export class MLClient {
  constructor(readonly jobs: JobsOperations) {}

  /** A client over the local workspace (no cloud account needed). */
  static local(options: LocalClientOptions = {}): LocalMLClient {
    return new LocalMLClient(options);
  }
}

export class LocalMLClient extends MLClient {
  declare readonly jobs: LocalJobsOperations;
  readonly workspace: LocalWorkspace;

  constructor(options: LocalClientOptions = {}) {
    const workspace = LocalWorkspace.open(workspaceFolder({ ...(options.workspace !== undefined ? { workspace: options.workspace } : {}), cwd: options.cwd ?? process.cwd() }));
    super(new LocalJobsOperations(workspace, options.run ?? {}));
    this.workspace = workspace;
  }

  close(): void {
    this.workspace.close();
  }
}
