/**
 * Compute definitions: a cluster (`amlCompute`), a compute instance, an attached Kubernetes
 * cluster and a VM attached over SSH. Serverless compute is not a resource: it is a job setting,
 * `settings: { defaultCompute: SERVERLESS }` on a pipeline (or `compute: "serverless"` on a node),
 * with the machine size given per node through `resources.instanceType`.
 */
import type {
  AmlComputeModel,
  ComputeInstanceModel,
  ComputeTier,
  KubernetesComputeModel,
  NetworkSettingsModel,
  VirtualMachineComputeModel,
} from "./asset-model.js";
import { copyMap, declarationSite, freezeDefinition, type DefinitionSpec } from "./common.js";
import { toCredentialValue, type SecretRef } from "./secret.js";

/** The compute value that asks Azure for serverless compute (a job setting, not a resource). */
export const SERVERLESS = "serverless";

interface ComputeSpec extends DefinitionSpec {
  /** Azure region, e.g. `westus`. @default the workspace's region */
  readonly location?: string;
}

export interface NetworkSettingsSpec {
  readonly vnetName?: string;
  readonly subnet?: string;
}

export interface AmlComputeSpec extends ComputeSpec {
  /** VM size, e.g. `STANDARD_DS3_v2`. */
  readonly size?: string;
  /** @default 0 */
  readonly minInstances?: number;
  readonly maxInstances?: number;
  /** Seconds a node may stay idle before the cluster scales down. */
  readonly idleTimeBeforeScaleDown?: number;
  readonly tier?: ComputeTier;
  readonly sshPublicAccessEnabled?: boolean;
  readonly sshSettings?: {
    readonly adminUsername?: string;
    readonly sshKeyValue?: string;
    /** Read when the cluster is created, never written out. */
    readonly adminPassword?: SecretRef;
  };
  readonly networkSettings?: NetworkSettingsSpec;
  readonly enableNodePublicIp?: boolean;
}

export function amlCompute(spec: AmlComputeSpec): AmlComputeModel {
  const site = declarationSite();
  const ssh = spec.sshSettings;
  return freezeDefinition<AmlComputeModel>({
    kind: "compute",
    type: "amlcompute",
    name: spec.name,
    description: spec.description,
    tags: copyMap(spec.tags),
    region: spec.location,
    size: spec.size,
    minInstances: spec.minInstances,
    maxInstances: spec.maxInstances,
    idleTimeBeforeScaleDown: spec.idleTimeBeforeScaleDown,
    tier: spec.tier,
    sshPublicAccessEnabled: spec.sshPublicAccessEnabled,
    sshSettings:
      ssh &&
      freezeDefinition<NonNullable<AmlComputeModel["sshSettings"]>>({
        adminUsername: ssh.adminUsername,
        sshKeyValue: ssh.sshKeyValue,
        adminPassword: ssh.adminPassword === undefined ? undefined : toCredentialValue(ssh.adminPassword, site.location),
      }),
    networkSettings: network(spec.networkSettings),
    enableNodePublicIp: spec.enableNodePublicIp,
    ...site,
  });
}

export interface ComputeInstanceSpec extends ComputeSpec {
  readonly size?: string;
  readonly idleTimeBeforeShutdownMinutes?: number;
  readonly sshPublicAccessEnabled?: boolean;
  /** A public key for SSH access. */
  readonly sshKeyValue?: string;
  readonly createOnBehalfOf?: { readonly userTenantId: string; readonly userObjectId: string };
  readonly networkSettings?: NetworkSettingsSpec;
  readonly enableNodePublicIp?: boolean;
}

export function computeInstance(spec: ComputeInstanceSpec): ComputeInstanceModel {
  const site = declarationSite();
  return freezeDefinition<ComputeInstanceModel>({
    kind: "compute",
    type: "computeinstance",
    name: spec.name,
    description: spec.description,
    tags: copyMap(spec.tags),
    region: spec.location,
    size: spec.size,
    idleTimeBeforeShutdownMinutes: spec.idleTimeBeforeShutdownMinutes,
    sshPublicAccessEnabled: spec.sshPublicAccessEnabled,
    sshSettings: spec.sshKeyValue === undefined ? undefined : { sshKeyValue: spec.sshKeyValue },
    createOnBehalfOf: spec.createOnBehalfOf && { ...spec.createOnBehalfOf },
    networkSettings: network(spec.networkSettings),
    enableNodePublicIp: spec.enableNodePublicIp,
    ...site,
  });
}

export interface KubernetesComputeSpec extends ComputeSpec {
  /** ARM id of the AKS or Arc-connected cluster to attach. */
  readonly resourceId: string;
  /** @default "default" (Azure's) */
  readonly namespace?: string;
}

export function kubernetesCompute(spec: KubernetesComputeSpec): KubernetesComputeModel {
  const site = declarationSite();
  return freezeDefinition<KubernetesComputeModel>({
    kind: "compute",
    type: "kubernetes",
    name: spec.name,
    description: spec.description,
    tags: copyMap(spec.tags),
    region: spec.location,
    resourceId: spec.resourceId,
    namespace: spec.namespace,
    ...site,
  });
}

export interface AttachedVmSpec extends ComputeSpec {
  /** ARM id of the virtual machine to attach. */
  readonly resourceId: string;
  readonly ssh: {
    readonly adminUsername: string;
    /** @default 22 (Azure's) */
    readonly port?: number;
    /** A private key file, relative to the declaring file; read by the CLI at creation. */
    readonly privateKeyFile?: string;
    /** Read when the VM is attached, never written out. */
    readonly password?: SecretRef;
  };
}

export function attachedVm(spec: AttachedVmSpec): VirtualMachineComputeModel {
  const site = declarationSite();
  const ssh = spec.ssh;
  return freezeDefinition<VirtualMachineComputeModel>({
    kind: "compute",
    type: "virtualmachine",
    name: spec.name,
    description: spec.description,
    tags: copyMap(spec.tags),
    region: spec.location,
    resourceId: spec.resourceId,
    sshSettings: freezeDefinition<NonNullable<VirtualMachineComputeModel["sshSettings"]>>({
      adminUsername: ssh.adminUsername,
      sshPort: ssh.port,
      sshPrivateKeyFile: ssh.privateKeyFile,
      adminPassword: ssh.password === undefined ? undefined : toCredentialValue(ssh.password, site.location),
    }),
    ...site,
  });
}

function network(spec: NetworkSettingsSpec | undefined): NetworkSettingsModel | undefined {
  return spec && freezeDefinition<NetworkSettingsModel>({ vnetName: spec.vnetName, subnet: spec.subnet });
}
