/**
 * `computes` of the Azure ML client: `beginCreateOrUpdate` (a long-running operation: the
 * returned poller is awaited with `pollUntilDone({ onProgress })`), `get` and `list`. A cluster
 * or compute instance is created; a Kubernetes cluster or VM is attached. Passwords and SSH
 * private keys are read only at creation and never appear in records.
 */
import { readFileSync } from "node:fs";
import { checkAsset, computeBody, diagnostic } from "@pipewright/compiler";
import type { ComputeModel } from "@pipewright/dsl";
import { localPath } from "../registry/prepare-asset.js";
import { definitionError } from "../registry/registry-error.js";
import { AssetsApi, notFoundError, operationUrl } from "./assets-api.js";
import { CreationOperation, type CreationPoller, type LroSettings } from "./assets-lro.js";
import { computeRecord, type AzureComputeRecord } from "./assets-records.js";
import { secretLookup, type AzureDatastoreCreateOptions } from "./datastores-operations.js";
import type { ComputeOperations } from "../client/resource-operations.js";

export type AzureComputeCreateOptions = AzureDatastoreCreateOptions;

export class AzureComputeOperations implements ComputeOperations<AzureComputeRecord, AzureComputeCreateOptions> {
  constructor(
    private readonly assets: AssetsApi,
    private readonly cwd: string,
    private readonly lro: LroSettings = {},
  ) {}

  /** Checks the definition and reads its secrets (no request yet), sends the PUT, and returns the poller. */
  async beginCreateOrUpdate(definition: ComputeModel, options: AzureComputeCreateOptions = {}): Promise<CreationPoller<AzureComputeRecord>> {
    const diagnostics = checkAsset(definition);
    let sshPrivateKey: string | undefined;
    const keyFile = definition.type === "virtualmachine" ? definition.sshSettings?.sshPrivateKeyFile : undefined;
    if (keyFile !== undefined) {
      const file = localPath(keyFile, definition.baseDir ?? this.cwd) ?? keyFile;
      try {
        sshPrivateKey = readFileSync(file, "utf8");
      } catch {
        diagnostics.push(diagnostic("PW1506", `compute ${definition.name}: the SSH private key file ${file} cannot be read; fix ssh_settings.ssh_private_key_file.`, { path: `compute/${definition.name}/ssh_settings/ssh_private_key_file` }));
      }
    }
    const built = diagnostics.some((d) => d.severity === "error")
      ? undefined
      : computeBody(definition, { workspace: this.assets.api.scope, lookup: secretLookup(options), ...(sshPrivateKey !== undefined ? { sshPrivateKey } : {}) });
    const problems = [...diagnostics, ...(built?.problems ?? [])];
    if (built?.body === undefined) throw definitionError(`compute ${definition.name}`, problems);
    const response = await this.assets.putCompute(definition.name, built.body);
    return new CreationOperation(this.assets, `compute ${definition.name}`, operationUrl(response), response, () => this.get(definition.name), this.lro);
  }

  async get(name: string): Promise<AzureComputeRecord> {
    const found = await this.assets.compute(name);
    if (!found) throw notFoundError(`compute named ${name}`, this.assets.api.scope.workspaceName);
    return computeRecord(found);
  }

  async list(): Promise<AzureComputeRecord[]> {
    return (await this.assets.computes()).map(computeRecord);
  }
}
