// Type tests for the resource operations both clients share: a function written against
// ComputeOperations / WorkspaceOperations takes the local client's and the Azure client's.
// Checked by `tsc` (never run).
import { amlCompute, workspace } from "@pipewright/dsl";
import { AzureMLClient } from "../src/azure/azure-ml-client.js";
import type { AzureComputeRecord } from "../src/azure/assets-records.js";
import { MLClient } from "../src/client/ml-client.js";
import type { ComputeOperations, ComputeRecord, CreationPoller, WorkspaceOperations, WorkspaceRecord } from "../src/client/resource-operations.js";
import type { LocalComputeRecord, LocalWorkspaceRecord } from "../src/registry/local-resources.js";

async function ensureCluster(computes: ComputeOperations): Promise<ComputeRecord> {
  const poller: CreationPoller<ComputeRecord> = await computes.beginCreateOrUpdate(amlCompute({ name: "cpu-cluster", size: "STANDARD_DS3_V2", maxInstances: 4 }));
  const record = await poller.pollUntilDone({ onProgress: (p) => void `${p.what} ${p.status} ${p.polls}` });
  const names: string[] = (await computes.list()).map((c) => c.name);
  return names.includes(record.name) ? computes.get(record.name) : record;
}

async function newWorkspace(workspaces: WorkspaceOperations): Promise<string> {
  const created: WorkspaceRecord = await (await workspaces.beginCreate(workspace({ name: "team-ws", displayName: "Team" }))).pollUntilDone();
  return `${created.name} ${created.provisioningState}`;
}

export async function bothBackends(azure: AzureMLClient): Promise<void> {
  const local = MLClient.local();
  await ensureCluster(local.computes);
  await ensureCluster(azure.computes);
  await newWorkspace(local.workspaces);
  await newWorkspace(azure.workspaces);

  // Each backend keeps its own record type through the poller.
  const localRecord: LocalComputeRecord = await (await local.computes.beginCreateOrUpdate(amlCompute({ name: "c1" }))).pollUntilDone();
  const azureRecord: AzureComputeRecord = await (await azure.computes.beginCreateOrUpdate(amlCompute({ name: "c1" }), { env: {} })).pollUntilDone();
  const localWs: LocalWorkspaceRecord = await (await local.workspaces.beginCreate(workspace({ name: "ws1" }))).pollUntilDone();
  void [localRecord.contentHash, azureRecord.armId, localWs.path];

  // @ts-expect-error a compute definition is required, not a workspace one
  await local.computes.beginCreateOrUpdate(workspace({ name: "ws1" }));
  // @ts-expect-error workspaces are created with beginCreate, not createOrUpdate
  await azure.workspaces.createOrUpdate(workspace({ name: "ws1" }));
  // @ts-expect-error the local record has no ARM id
  void localRecord.armId;
}
