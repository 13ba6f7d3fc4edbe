/**
 * Datastore definitions with their credential forms. Secrets are references
 * (`secret.env("BLOB_KEY")`), read by the runner only when the datastore is created; leaving
 * `credentials` out means identity-based access.
 */
import type {
  AzureBlobDatastoreModel,
  AzureDataLakeGen1DatastoreModel,
  AzureDataLakeGen2DatastoreModel,
  AzureFileDatastoreModel,
  StorageCredentialModel,
  TenantCredentialModel,
} from "./asset-model.js";
import { copyMap, declarationSite, freezeDefinition, type DefinitionSpec } from "./common.js";
import type { SourceLocation } from "../location.js";
import { toCredentialValue, type SecretRef } from "./secret.js";

export type StorageCredentialSpec = { readonly accountKey: SecretRef } | { readonly sasToken: SecretRef };

interface TenantCredentialSpec {
  readonly tenantId: string;
  readonly clientId: string;
  readonly authorityUrl?: string;
  readonly resourceUrl?: string;
}

export type TenantCredentialSpecs =
  | (TenantCredentialSpec & { readonly clientSecret: SecretRef })
  | (TenantCredentialSpec & { readonly certificate: SecretRef; readonly thumbprint: string });

interface StorageDatastoreSpec extends DefinitionSpec {
  readonly accountName: string;
  /** @default "https" (Azure's) */
  readonly protocol?: string;
  /** @default "core.windows.net" (Azure's) */
  readonly endpoint?: string;
}

export interface AzureBlobDatastoreSpec extends StorageDatastoreSpec {
  readonly containerName: string;
  /** Account key or SAS token; leave out for identity-based access. */
  readonly credentials?: StorageCredentialSpec;
}

export function azureBlobDatastore(spec: AzureBlobDatastoreSpec): AzureBlobDatastoreModel {
  const site = declarationSite();
  return freezeDefinition<AzureBlobDatastoreModel>({
    kind: "datastore",
    type: "azure_blob",
    name: spec.name,
    description: spec.description,
    tags: copyMap(spec.tags),
    accountName: spec.accountName,
    containerName: spec.containerName,
    protocol: spec.protocol,
    endpoint: spec.endpoint,
    credentials: storageCredentials(spec.credentials, site.location),
    ...site,
  });
}

export interface AzureFileDatastoreSpec extends StorageDatastoreSpec {
  readonly fileShareName: string;
  readonly credentials?: StorageCredentialSpec;
}

export function azureFileDatastore(spec: AzureFileDatastoreSpec): AzureFileDatastoreModel {
  const site = declarationSite();
  return freezeDefinition<AzureFileDatastoreModel>({
    kind: "datastore",
    type: "azure_file",
    name: spec.name,
    description: spec.description,
    tags: copyMap(spec.tags),
    accountName: spec.accountName,
    fileShareName: spec.fileShareName,
    protocol: spec.protocol,
    endpoint: spec.endpoint,
    credentials: storageCredentials(spec.credentials, site.location),
    ...site,
  });
}

export interface AzureDataLakeGen1DatastoreSpec extends DefinitionSpec {
  readonly storeName: string;
  /** Service principal (secret or certificate); leave out for identity-based access. */
  readonly credentials?: TenantCredentialSpecs;
}

export function azureDataLakeGen1Datastore(spec: AzureDataLakeGen1DatastoreSpec): AzureDataLakeGen1DatastoreModel {
  const site = declarationSite();
  return freezeDefinition<AzureDataLakeGen1DatastoreModel>({
    kind: "datastore",
    type: "azure_data_lake_gen1",
    name: spec.name,
    description: spec.description,
    tags: copyMap(spec.tags),
    storeName: spec.storeName,
    credentials: tenantCredentials(spec.credentials, site.location),
    ...site,
  });
}

export interface AzureDataLakeGen2DatastoreSpec extends StorageDatastoreSpec {
  readonly filesystem: string;
  readonly credentials?: TenantCredentialSpecs;
}

export function azureDataLakeGen2Datastore(spec: AzureDataLakeGen2DatastoreSpec): AzureDataLakeGen2DatastoreModel {
  const site = declarationSite();
  return freezeDefinition<AzureDataLakeGen2DatastoreModel>({
    kind: "datastore",
    type: "azure_data_lake_gen2",
    name: spec.name,
    description: spec.description,
    tags: copyMap(spec.tags),
    accountName: spec.accountName,
    filesystem: spec.filesystem,
    protocol: spec.protocol,
    endpoint: spec.endpoint,
    credentials: tenantCredentials(spec.credentials, site.location),
    ...site,
  });
}

function storageCredentials(
  spec: StorageCredentialSpec | undefined,
  location: SourceLocation | undefined,
): StorageCredentialModel | undefined {
  if (spec === undefined) return undefined;
  if ("sasToken" in spec) return { type: "sas", sasToken: toCredentialValue(spec.sasToken, location) };
  return { type: "account_key", accountKey: toCredentialValue(spec.accountKey, location) };
}

function tenantCredentials(
  spec: TenantCredentialSpecs | undefined,
  location: SourceLocation | undefined,
): TenantCredentialModel | undefined {
  if (spec === undefined) return undefined;
  const common = {
    tenantId: spec.tenantId,
    clientId: spec.clientId,
    authorityUrl: spec.authorityUrl,
    resourceUrl: spec.resourceUrl,
  };
  if ("certificate" in spec) {
    return freezeDefinition<TenantCredentialModel>({
      type: "certificate",
      ...common,
      certificate: toCredentialValue(spec.certificate, location),
      thumbprint: spec.thumbprint,
    });
  }
  return freezeDefinition<TenantCredentialModel>({
    type: "service_principal",
    ...common,
    clientSecret: toCredentialValue(spec.clientSecret, location),
  });
}
