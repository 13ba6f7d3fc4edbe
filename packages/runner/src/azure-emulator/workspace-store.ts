// What one emulated workspace holds: asset containers and versions, datastores, computes, jobs and
// their simulated runs. Plain maps; the ARM and run-history routes read and write them.
import { isoTime } from "./clock.js";
import type { BlobStore } from "./blob-store.js";
import type { IdSource } from "./ids.js";
import type { Json, JsonObject } from "./json.js";
import type { SimulatedRun } from "./job-simulation.js";

export interface WorkspaceIdentity {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly name: string;
}

export interface AssetRecord {
  readonly name: string;
  /** Undefined for containers. */
  readonly version: string | undefined;
  properties: JsonObject;
  readonly createdAt: number;
  modifiedAt: number;
}

export interface JobRecord {
  readonly name: string;
  properties: JsonObject;
  readonly createdAt: number;
  modifiedAt: number;
  readonly run: SimulatedRun;
  readonly children: readonly SimulatedRun[];
}

export interface PendingUpload {
  readonly pendingUploadId: string;
  readonly container: string;
}

export const PROVIDER = "Microsoft.MachineLearningServices";

export class WorkspaceStore {
  readonly identity: WorkspaceIdentity;
  readonly workspaceId: string;
  readonly armId: string;
  createdAt = 0;
  readonly codeContainers = new Map<string, AssetRecord>();
  readonly codeVersions = new Map<string, AssetRecord>();
  readonly componentContainers = new Map<string, AssetRecord>();
  readonly componentVersions = new Map<string, AssetRecord>();
  readonly datastores = new Map<string, AssetRecord>();
  readonly computes = new Map<string, JsonObject>();
  readonly jobs = new Map<string, JobRecord>();
  /** Every simulated run by run id: pipeline jobs, their steps, standalone jobs. */
  readonly runs = new Map<string, SimulatedRun>();
  readonly pendingUploads = new Map<string, PendingUpload>();
  /** Cancel long-running operations: operation id -> job name. */
  readonly operations = new Map<string, string>();

  constructor(identity: WorkspaceIdentity, ids: IdSource) {
    this.identity = identity;
    this.workspaceId = ids.uuid("workspace");
    this.armId = `/subscriptions/${identity.subscriptionId}/resourceGroups/${identity.resourceGroup}/providers/${PROVIDER}/workspaces/${identity.name}`;
  }

  /** The container that holds the workspace's default datastore. */
  get blobContainer(): string {
    return `azureml-blobstore-${this.workspaceId}`;
  }

  resourceId(...segments: string[]): string {
    return `${this.armId}/${segments.join("/")}`;
  }

  /**
   * Seeds the default datastores (workspaceblobstore, workspaceartifactstore) and computes.
   * @param blobEndpoint "127.0.0.1:<port>": an ip:port endpoint means path-style blob URLs,
   *   `{protocol}://{endpoint}/{accountName}/{containerName}`, as for Azurite.
   */
  seed(blobs: BlobStore, computes: readonly string[], location: string, now: number, blobEndpoint: string): void {
    this.createdAt = now;
    for (const [name, container, isDefault] of [
      ["workspaceblobstore", this.blobContainer, true],
      ["workspaceartifactstore", "azureml", false],
    ] as const) {
      blobs.ensureContainer(container);
      this.datastores.set(name, {
        name,
        version: undefined,
        createdAt: now,
        modifiedAt: now,
        properties: {
          datastoreType: "AzureBlob",
          accountName: blobs.account,
          containerName: container,
          endpoint: blobEndpoint,
          protocol: "https",
          credentials: { credentialsType: "Sas", secrets: { secretsType: "Sas" } },
          isDefault,
          description: isDefault ? "Default datastore (pipewright emulator)" : "Run artifacts and logs (pipewright emulator)",
          tags: {},
          properties: {},
          serviceDataAccessAuthIdentity: "None",
        },
      });
    }
    for (const name of computes) {
      this.computes.set(name, {
        id: this.resourceId("computes", name),
        name,
        type: `${PROVIDER}/workspaces/computes`,
        location,
        properties: {
          computeType: "AmlCompute",
          computeLocation: location,
          provisioningState: "Succeeded",
          description: "Emulated compute cluster",
          isAttachedCompute: false,
          disableLocalAuth: true,
          properties: {
            vmSize: "STANDARD_DS3_V2",
            vmPriority: "Dedicated",
            scaleSettings: { maxNodeCount: 4, minNodeCount: 0, nodeIdleTimeBeforeScaleDown: "PT120S" },
          },
        },
      });
    }
  }
}

export function versionKey(name: string, version: string): string {
  return `${name}\n${version}`;
}

/** ARM envelope (ProxyResource) around stored properties. */
export function armEnvelope(id: string, name: string, type: string, createdAt: number, modifiedAt: number, properties: Json | undefined): JsonObject {
  const envelope: JsonObject = {
    id,
    name,
    type,
    systemData: {
      createdAt: isoTime(createdAt),
      createdBy: "pipewright-emulator",
      createdByType: "Application",
      lastModifiedAt: isoTime(modifiedAt),
      lastModifiedBy: "pipewright-emulator",
      lastModifiedByType: "Application",
    },
  };
  if (properties !== undefined) envelope["properties"] = properties;
  return envelope;
}

/** Strips read-only values a client may have echoed back, so they never override ours. */
export function withoutReadOnly(properties: JsonObject, keys: readonly string[]): JsonObject {
  const copy: JsonObject = { ...properties };
  for (const key of keys) delete copy[key];
  return copy;
}
