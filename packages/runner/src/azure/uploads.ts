/**
 * Uploads, the way the Python SDK does them (REST.md §2, steps 3.1 and 3.4):
 * - a code folder becomes an anonymous code version, named and found by its content hash, so a
 *   folder is uploaded once per content and a workspace that already has it uploads nothing;
 * - a local data input goes to `LocalUpload/<hash>/<name>` in a datastore, skipped when there.
 * Blob traffic uses @azure/storage-blob with the SAS the service hands out.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative, sep } from "node:path";
import { CODE_HASH_VERSION, codeVersionBody, uuidFromHex } from "@pipewright/compiler";
import { ContainerClient } from "@azure/storage-blob";
import { AzureError } from "./azure-error.js";
import { redactSecrets } from "./redact.js";
import { datastoreContainer } from "./download.js";
import { ignoreRulesFor } from "./ignore-file.js";
import { IncludeError, snapshotFiles, type SnapshotInclude } from "../code-snapshot.js";
import type { WorkspaceApi } from "./workspace-api.js";

export interface LocalFile {
  /** Forward-slash path relative to the folder. */
  readonly rel: string;
  readonly abs: string;
  readonly size: number;
}

/**
 * Files of a folder (or the single file) that its `.amlignore` (else `.gitignore`) lets through,
 * sorted case-insensitively by relative path. An ignored folder is not walked.
 */
export function listFiles(path: string): LocalFile[] {
  const stat = statSync(path);
  if (stat.isFile()) return [{ rel: basename(path), abs: path, size: stat.size }];
  const rules = ignoreRulesFor(path);
  const out: LocalFile[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const abs = join(dir, entry.name);
      const rel = relative(path, abs).split(sep).join("/");
      const isDirectory = entry.isDirectory();
      if (rules.excludes(rel, isDirectory)) continue;
      if (isDirectory) walk(abs);
      else if (entry.isFile()) out.push({ rel, abs, size: statSync(abs).size });
    }
  };
  walk(path);
  return sortFiles(out);
}

/** Case-insensitive order by relative path (the SDK's hashing order). */
export function sortFiles(files: LocalFile[]): LocalFile[] {
  return files.sort((a, b) => {
    const x = a.rel.toLowerCase();
    const y = b.rel.toLowerCase();
    return x < y ? -1 : x > y ? 1 : a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0;
  });
}

/** SHA-256 over the file count, each `#path#size`, then every file's bytes (the SDK's 202208 scheme). */
export function folderHash(files: readonly LocalFile[]): string {
  const hash = createHash("sha256");
  hash.update(String(files.length));
  for (const file of files) hash.update(`#${file.rel}#${file.size}`);
  for (const file of files) hash.update(readFileSync(file.abs));
  return hash.digest("hex");
}

export interface UploadStats {
  /** Blobs written. */
  blobs: number;
  /** Code folders uploaded (new code versions). */
  codeVersions: number;
  /** Folders or files found already uploaded. */
  reused: number;
}

export class Uploader {
  readonly #codeIds = new Map<string, Promise<string>>();
  readonly stats: UploadStats = { blobs: 0, codeVersions: 0, reused: 0 };

  constructor(private readonly api: WorkspaceApi) {}

  /**
   * The ARM id of a code version holding this folder (with its additional includes copied into
   * the snapshot's root), uploading it only if the workspace lacks it.
   */
  codeVersion(folder: string, includes: readonly SnapshotInclude[] = [], describe = ""): Promise<string> {
    let files: LocalFile[];
    try {
      files = snapshotFiles(folder, includes);
    } catch (error) {
      if (error instanceof IncludeError) return Promise.reject(new AzureError("PW4613", `${describe}${error.message}`));
      throw error;
    }
    if (files.length === 0) return Promise.reject(new AzureError("PW4605", `the code folder ${folder} has no files`));
    const sha = folderHash(files);
    let pending = this.#codeIds.get(sha);
    if (!pending) {
      pending = this.#uploadCode(folder, files, sha);
      this.#codeIds.set(sha, pending);
      pending.catch(() => this.#codeIds.delete(sha));
    }
    return pending;
  }

  async #uploadCode(folder: string, files: readonly LocalFile[], sha: string): Promise<string> {
    const name = uuidFromHex(sha);
    const version = "1";
    const existing = await this.api.findCodeByHash(sha, CODE_HASH_VERSION, name);
    if (existing !== undefined) {
      this.stats.reused += 1;
      return existing;
    }
    const { blobUri, sasUri } = await this.api.startPendingUpload(name, version);
    const container = new ContainerClient(sasUri, this.api.http.storagePipeline());
    const prefix = basename(folder);
    const indicator = container.getBlockBlobClient(`${prefix}/${files[0]?.rel ?? ""}`);
    const done = await this.#completed(indicator.url, () => indicator.getProperties());
    if (!done) {
      await this.#putFiles(container, prefix, files);
      await this.#guard(indicator.url, () => indicator.setMetadata({ upload_status: "completed", name, version }));
      this.stats.codeVersions += 1;
    }
    return this.api.putCodeVersion(name, version, codeVersionBody(`${blobUri}/${prefix}`, sha));
  }

  /** The `azureml://datastores/...` uri of a local file or folder, uploading it if it is not there. */
  async data(path: string, datastoreName: string | undefined): Promise<string> {
    const files = listFiles(path);
    const isFolder = statSync(path).isDirectory();
    const md5 = createHash("md5");
    md5.update("Initialize for october 2021 AML CLI version");
    for (const file of files) md5.update(file.rel).update(readFileSync(file.abs));
    const hash = md5.digest("hex");
    const { name, container } = await datastoreContainer(this.api, datastoreName);
    const prefix = `LocalUpload/${hash}/${basename(path)}`;
    const present = new Set<string>();
    for await (const blob of container.listBlobsFlat({ prefix: `${prefix}` })) present.add(blob.name);
    const wanted = isFolder ? files.map((f) => `${prefix}/${f.rel}`) : [prefix];
    if (wanted.every((blob) => present.has(blob))) this.stats.reused += 1;
    else if (isFolder) await this.#putFiles(container, prefix, files);
    else await this.#putFiles(container, "", [{ ...files[0] as LocalFile, rel: prefix }]);
    return `azureml://datastores/${name}/paths/${prefix}${isFolder ? "/" : ""}`;
  }

  async #putFiles(container: ContainerClient, prefix: string, files: readonly LocalFile[]): Promise<void> {
    for (const file of files) {
      const blob = container.getBlockBlobClient(prefix === "" ? file.rel : `${prefix}/${file.rel}`);
      await this.#guard(blob.url, () => blob.uploadData(readFileSync(file.abs)));
      this.stats.blobs += 1;
    }
  }

  async #completed(url: string, read: () => Promise<{ metadata?: Record<string, string> }>): Promise<boolean> {
    try {
      const properties = await read();
      return properties.metadata?.["upload_status"] === "completed";
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return false;
      throw this.#uploadError(url, error);
    }
  }

  async #guard<T>(url: string, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      throw this.#uploadError(url, error);
    }
  }

  #uploadError(url: string, error: unknown): AzureError {
    const message = error instanceof Error ? error.message : String(error);
    return new AzureError("PW4605", `uploading ${url.split("?")[0] ?? ""} failed: ${redactSecrets(message)}`);
  }
}
