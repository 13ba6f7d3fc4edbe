/**
 * `jobs.download`: a job's outputs from their datastore into a local folder, laid out as the
 * Python SDK lays them out (`named-outputs/<output>/...`). An output without an explicit path
 * lives at Azure's default, `azureml/<job>/<output>/` in the workspace's default datastore.
 */
import { mkdirSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { ContainerClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { AzureError } from "./azure-error.js";
import { redactSecrets } from "./redact.js";
import { asMap, str, type WorkspaceApi } from "./workspace-api.js";

export interface DownloadOptions {
  /** Folder to write into. @default the current folder */
  readonly downloadPath?: string;
  /** Only this output. @default every output */
  readonly outputName?: string;
}

export interface DownloadedOutput {
  readonly output: string;
  readonly uri: string;
  readonly folder: string;
  readonly files: readonly string[];
}

const DATASTORE_URI = /^azureml:\/\/datastores\/([^/]+)\/paths\/(.*)$/;

export async function datastoreContainer(api: WorkspaceApi, datastoreName: string | undefined): Promise<{ name: string; container: ContainerClient }> {
  const datastore = await api.datastore(datastoreName);
  const name = str(datastore["name"]) ?? datastoreName ?? "workspaceblobstore";
  const properties = asMap(datastore["properties"]);
  const account = str(properties["accountName"]);
  const containerName = str(properties["containerName"]);
  const endpoint = str(properties["endpoint"]) ?? "core.windows.net";
  const protocol = str(properties["protocol"]) ?? "https";
  if (account === undefined || containerName === undefined) throw new AzureError("PW4605", `datastore ${name} is not an Azure Blob datastore (no account or container)`);
  // An ip:port (or localhost) endpoint is an emulator: path-style URLs, as Azurite uses.
  const pathStyle = /^(\d{1,3}(\.\d{1,3}){3}|localhost|\[[0-9a-f:]+\])(:\d+)?$/i.test(endpoint);
  const url = pathStyle ? `${protocol}://${endpoint}/${account}/${containerName}` : `${protocol}://${account}.blob.${endpoint}/${containerName}`;
  const secrets = await api.datastoreSecrets(name);
  const kind = str(secrets["secretsType"]);
  const sas = str(secrets["sasToken"]);
  const key = str(secrets["key"]);
  if (kind === "Sas" && sas !== undefined) return { name, container: new ContainerClient(`${url}?${sas.replace(/^\?/, "")}`, api.http.storagePipeline()) };
  if (kind === "AccountKey" && key !== undefined) return { name, container: new ContainerClient(url, api.http.storagePipeline(new StorageSharedKeyCredential(account, key))) };
  throw new AzureError("PW4605", `datastore ${name} gave no SAS token or account key (secrets type ${kind ?? "none"}); identity-based datastores are not supported yet`);
}

export async function downloadJobOutputs(api: WorkspaceApi, job: string, options: DownloadOptions = {}): Promise<DownloadedOutput[]> {
  const resource = await api.getJob(job);
  if (!resource || resource["properties"] === undefined) throw new AzureError("PW4604", `no job named '${job}' in workspace ${api.scope.workspaceName}`);
  const outputs = asMap(asMap(resource["properties"])["outputs"]);
  const names = options.outputName !== undefined ? [options.outputName] : Object.keys(outputs);
  if (options.outputName !== undefined && !(options.outputName in outputs)) {
    throw new AzureError("PW4607", `job ${job} has no output '${options.outputName}' (its outputs: ${Object.keys(outputs).join(", ") || "none"})`);
  }
  const root = resolve(options.downloadPath ?? ".");
  const results: DownloadedOutput[] = [];
  for (const output of names) {
    const uri = str(asMap(outputs[output])["uri"]) ?? `azureml://datastores/workspaceblobstore/paths/azureml/${job}/${output}/`;
    const match = DATASTORE_URI.exec(uri);
    if (!match || match[1] === undefined) throw new AzureError("PW4607", `output ${output} of job ${job} is at ${uri}, which is not a datastore path pipewright can download`);
    const prefix = (match[2] ?? "").replace(/^\/+/, "");
    const { container } = await datastoreContainer(api, match[1]);
    const folder = join(root, "named-outputs", output);
    const files: string[] = [];
    try {
      for await (const blob of container.listBlobsFlat({ prefix })) {
        const rel = blob.name.slice(prefix.length).replace(/^\/+/, "") || blob.name.split("/").at(-1) || "output";
        const target = resolve(folder, rel);
        if (!target.startsWith(folder + sep)) throw new AzureError("PW4607", `blob ${blob.name} would be written outside ${folder}`);
        mkdirSync(dirname(target), { recursive: true });
        await container.getBlobClient(blob.name).downloadToFile(target);
        files.push(target);
      }
    } catch (error) {
      if (error instanceof AzureError) throw error;
      throw new AzureError("PW4607", `downloading output ${output} of job ${job} failed: ${redactSecrets(error instanceof Error ? error.message : String(error))}`);
    }
    results.push({ output, uri, folder, files });
  }
  return results;
}
