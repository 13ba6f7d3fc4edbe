/** `workspace({...})`: a workspace to create. Everything else connects to existing workspaces. */
import type { WorkspaceModel } from "./asset-model.js";
import { copyMap, declarationSite, freezeDefinition, type DefinitionSpec } from "./common.js";

export interface WorkspaceSpec extends DefinitionSpec {
  /** Azure region, e.g. `eastus`. */
  readonly location?: string;
  readonly displayName?: string;
  readonly resourceGroup?: string;
  /** High business impact: Azure collects less diagnostic data. */
  readonly hbiWorkspace?: boolean;
}

export function workspace(spec: WorkspaceSpec): WorkspaceModel {
  const site = declarationSite();
  return freezeDefinition<WorkspaceModel>({
    kind: "workspace",
    name: spec.name,
    displayName: spec.displayName,
    description: spec.description,
    tags: copyMap(spec.tags),
    region: spec.location,
    resourceGroup: spec.resourceGroup,
    hbiWorkspace: spec.hbiWorkspace,
    ...site,
  });
}
