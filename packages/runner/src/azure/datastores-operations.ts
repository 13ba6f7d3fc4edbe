/**
 * `datastores` of the Azure ML client: create (or update) a datastore from its definition, get,
 * list. Secret references are read only here, at creation, from the environment given (the
 * process's by default) or a named secret source; values go into the request body and nowhere
 * else: not into records, messages or files.
 */
import { checkAsset, datastoreBody, type SecretLookup } from "@pipewright/compiler";
import type { DatastoreModel, SecretRef } from "@pipewright/dsl";
import { definitionError } from "../registry/registry-error.js";
import { AssetsApi, notFoundError } from "./assets-api.js";
import { datastoreRecord, type AzureDatastoreRecord } from "./assets-records.js";

/** Where secret references with a source other than `env` are read (a key vault, a file...). */
export type SecretSources = Readonly<Record<string, (name: string) => string | undefined>>;

export interface AzureDatastoreCreateOptions {
  /** The environment `secret.env(...)` reads. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Readers for `secret.from(source, name)`. */
  readonly secretSources?: SecretSources;
}

export function secretLookup(options: AzureDatastoreCreateOptions): SecretLookup {
  const env = options.env ?? process.env;
  return (ref: SecretRef) => (ref.source === "env" ? env[ref.name] : options.secretSources?.[ref.source]?.(ref.name));
}

export class AzureDatastoreOperations {
  constructor(private readonly assets: AssetsApi) {}

  /** Checks the definition and reads its secrets before any request (PW4504 listing what is wrong). */
  async createOrUpdate(definition: DatastoreModel, options: AzureDatastoreCreateOptions = {}): Promise<AzureDatastoreRecord> {
    const diagnostics = checkAsset(definition);
    const built = diagnostics.some((d) => d.severity === "error") ? undefined : datastoreBody(definition, secretLookup(options));
    const problems = [...diagnostics, ...(built?.problems ?? [])];
    if (built?.body === undefined) throw definitionError(`datastore ${definition.name}`, problems);
    return datastoreRecord(await this.assets.putDatastore(definition.name, built.body));
  }

  async get(name: string): Promise<AzureDatastoreRecord> {
    const found = await this.assets.datastore(name);
    if (!found) throw notFoundError(`datastore named ${name}`, this.assets.api.scope.workspaceName);
    return datastoreRecord(found);
  }

  async list(): Promise<AzureDatastoreRecord[]> {
    return (await this.assets.datastores()).map(datastoreRecord);
  }
}
