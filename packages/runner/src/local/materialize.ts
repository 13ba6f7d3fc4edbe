/**
 * Making job inputs local: files and folders relative to the declaring file, datastore URIs
 * through the workspace's datastore mapping, http(s) uri_file inputs downloaded into the job
 * folder. Each is resolved and content-hashed once per run.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import type { LocalWorkspace } from "../workspace/workspace.js";
import { hashPath, sha256 } from "./content-hash.js";
import type { AssetResolver } from "../registry/asset-resolver.js";
import { dataSource, describeSource } from "./data-source.js";
import { RunnerError } from "./errors.js";
import type { DataSource } from "./plan-types.js";

export interface MaterializedInput {
  readonly path: string;
  readonly hash: string;
}

export class InputMaterializer {
  private readonly cache = new Map<string, Promise<MaterializedInput>>();

  constructor(
    private readonly workspace: LocalWorkspace,
    private readonly jobFolder: string,
    private readonly assets?: AssetResolver,
  ) {}

  /** The local path and content hash of a data input; throws a RunnerError naming the fix. */
  materialize(source: DataSource, type: string, where: string): Promise<MaterializedInput> {
    const key = `${type}\0${describeSource(source)}`;
    let pending = this.cache.get(key);
    if (!pending) {
      pending = this.resolve(source, type, where);
      this.cache.set(key, pending);
    }
    return pending;
  }

  private async resolve(source: DataSource, type: string, where: string): Promise<MaterializedInput> {
    switch (source.kind) {
      case "local":
        return local(source.path, where, "");
      case "datastore": {
        const folder = this.workspace.tryDatastoreFolder(source.datastore);
        if (!folder) {
          throw new RunnerError(
            "PW4004",
            `'${source.uri}' names the datastore '${source.datastore}', which this workspace does not map to a folder; map it with workspace.setDatastore("${source.datastore}", "<folder>")`,
            { path: where },
          );
        }
        const path = resolve(folder, source.path);
        const inside = relative(folder, path);
        if (inside.startsWith("..")) {
          throw new RunnerError("PW4006", `'${source.uri}' points outside the datastore folder ${folder}`, { path: where });
        }
        return local(path, where, ` (datastore '${source.datastore}' is mapped to ${folder})`);
      }
      case "http":
        return this.download(source.url, type, where);
      case "asset":
        if (this.assets) return this.resolve(dataSource(this.assets.resolveInput(source.ref, type, where), this.jobFolder), type, where);
        throw new RunnerError(
          "PW4002",
          `'${source.ref}' is a workspace asset; resolving assets locally is not supported yet: pass a local path such as uriFolder("./data") instead`,
          { path: where },
        );
      case "unsupported":
        throw new RunnerError("PW4002", `'${source.uri}' cannot be read locally: use a local path, an azureml://datastores/ URI or an http(s) URL`, { path: where });
    }
  }

  private async download(url: string, type: string, where: string): Promise<MaterializedInput> {
    if (type !== "uri_file") {
      throw new RunnerError("PW4009", `'${url}' is an http(s) ${type} input; only uri_file inputs are downloaded: make the input a uri_file or download the folder first`, { path: where });
    }
    const folder = join(this.jobFolder, "downloads", sha256(url).slice(0, 16));
    const name = basename(new URL(url).pathname) || "download";
    const target = join(folder, name);
    let response: Response;
    try {
      response = await fetch(url);
    } catch (error) {
      throw new RunnerError("PW4009", `downloading '${url}' failed: ${(error as Error).message}`, { path: where });
    }
    if (!response.ok) throw new RunnerError("PW4009", `downloading '${url}' failed: HTTP ${response.status}`, { path: where });
    const body = Buffer.from(await response.arrayBuffer());
    mkdirSync(folder, { recursive: true });
    const temp = `${target}.part`;
    writeFileSync(temp, body);
    renameSync(temp, target);
    return { path: target, hash: hashPath(target) };
  }
}

function local(path: string, where: string, note: string): MaterializedInput {
  if (!existsSync(path)) {
    throw new RunnerError("PW4003", `input data not found: ${path}${note}; create it or fix the path (relative paths resolve against the file that declared them)`, { path: where });
  }
  return { path, hash: hashPath(path) };
}
