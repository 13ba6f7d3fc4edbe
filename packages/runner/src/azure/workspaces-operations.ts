/**
 * `workspaces.beginCreate`: creates a workspace (in the client's resource group unless the
 * definition names another) as a long-running operation, resolving with the new workspace. The
 * client keeps working on its own workspace; connect to the new one with another client.
 */
import { workspaceBody, type WorkspaceBodyOptions } from "@pipewright/compiler";
import type { WorkspaceModel } from "@pipewright/dsl";
import { checkAsset } from "@pipewright/compiler";
import { definitionError } from "../registry/registry-error.js";
import { AssetsApi, operationUrl } from "./assets-api.js";
import { CreationOperation, type CreationPoller, type LroSettings } from "./assets-lro.js";
import { workspaceRecord, type AzureWorkspaceRecord } from "./assets-records.js";
import { asMap } from "./workspace-api.js";
import type { WorkspaceOperations } from "../client/resource-operations.js";

export type AzureWorkspaceCreateOptions = WorkspaceBodyOptions;

export class AzureWorkspaceOperations implements WorkspaceOperations<AzureWorkspaceRecord, AzureWorkspaceCreateOptions> {
  constructor(
    private readonly assets: AssetsApi,
    private readonly lro: LroSettings = {},
  ) {}

  async beginCreate(definition: WorkspaceModel, options: AzureWorkspaceCreateOptions = {}): Promise<CreationPoller<AzureWorkspaceRecord>> {
    const built = workspaceBody(definition, options);
    const problems = [...checkAsset(definition), ...built.problems];
    if (built.body === undefined || problems.some((p) => p.severity === "error")) throw definitionError(`workspace ${definition.name}`, problems);
    const url = this.assets.workspaceUrl(definition.resourceGroup ?? this.assets.api.scope.resourceGroup, definition.name);
    const response = await this.assets.send("PUT", url, built.body);
    const fetch = async (): Promise<AzureWorkspaceRecord> => workspaceRecord(asMap((await this.assets.send("GET", url)).body));
    return new CreationOperation(this.assets, `workspace ${definition.name}`, operationUrl(response), response, fetch, this.lro);
  }
}
