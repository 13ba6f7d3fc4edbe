/**
 * Turning a definition into what the registry stores: the definition is checked first (names,
 * versions, paths, conda files, image references, model types against their files: the
 * compiler's `checkAsset`), then its files are copied into a staged blob. Nothing is stored
 * here; the registry commits the blob and the row together, or discards both.
 */
import type { AssetHost } from "@pipewright/compiler";
import { checkAsset, diagnostic, type Diagnostic } from "@pipewright/compiler";
import type { DataAssetModel, EnvironmentAssetModel, ModelAssetModel } from "@pipewright/dsl";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, isAbsolute, resolve } from "node:path";
import { stringify } from "yaml";
import type { BlobStore, StagedBlob } from "./blob-store.js";
import { definitionError } from "./registry-error.js";

/** Kind-specific fields kept in the index; paths are relative to the version's blob. */
export type StoredFields =
  | { readonly kind: "data" | "model"; readonly type: string; readonly entry?: string; readonly uri?: string }
  | {
      readonly kind: "environment";
      readonly image?: string;
      readonly condaEntry?: string;
      readonly buildEntry?: string;
      readonly dockerfilePath?: string;
      readonly osType?: string;
    }
  | { readonly kind: "component"; readonly type: string; readonly displayName?: string; readonly entry: string };

export interface PreparedContent {
  readonly fields: StoredFields;
  /** The staged files, or undefined when the version has none (an image, a URI). */
  readonly staged: StagedBlob | undefined;
}

/** Conda files are small; a large file only needs to exist for the path checks. */
const READ_LIMIT = 8 * 1024 * 1024;

/** The checks' view of the file system. */
export const fileHost: AssetHost = {
  readFile(path) {
    try {
      const stat = statSync(path);
      if (!stat.isFile()) return undefined;
      return stat.size > READ_LIMIT ? "" : readFileSync(path, "utf8");
    } catch {
      return undefined;
    }
  },
  listFolder(path) {
    try {
      return readdirSync(path);
    } catch {
      return undefined;
    }
  },
};

/** The definition with `baseDir` filled in, so relative paths are checked and copied from there. */
export function withBaseDir<T extends { readonly baseDir?: string }>(asset: T, baseDir: string): T {
  return asset.baseDir !== undefined ? asset : { ...asset, baseDir };
}

/** The absolute local path a definition's path names, or undefined for URIs and references. */
export function localPath(path: string, baseDir: string): string | undefined {
  const isUri = /^[A-Za-z][A-Za-z0-9+.-]*:/.test(path) && !/^[A-Za-z]:[\\/]/.test(path);
  if (isUri && !path.startsWith("file:")) return undefined;
  const bare = path.startsWith("file:") ? path.slice("file:".length).replace(/^\/\/(?=\/)/, "") : path;
  return isAbsolute(bare) ? bare : resolve(baseDir, bare);
}

export function checkDefinition(asset: DataAssetModel | ModelAssetModel | EnvironmentAssetModel, label: string): void {
  const diagnostics: Diagnostic[] = checkAsset(asset, { host: fileHost });
  if (asset.kind === "data" || asset.kind === "model") {
    // A short asset reference is not content: registering it would only alias another version.
    if (asset.path.startsWith("azureml:") && !asset.path.startsWith("azureml://datastores/")) {
      diagnostics.push(
        diagnostic("PW1506", `${label} ${asset.name}: path ${JSON.stringify(asset.path)} is an asset reference or job URI, not data; give a local path, an azureml://datastores/ URI or a URL.`, {
          path: `${asset.kind}/${asset.name}/path`,
          ...(asset.location !== undefined ? { location: asset.location } : {}),
        }),
      );
    }
  }
  if (diagnostics.some((d) => d.severity === "error")) throw definitionError(`${label} ${asset.name}`, diagnostics);
}

export function prepareFiles(asset: DataAssetModel | ModelAssetModel, baseDir: string, blobs: BlobStore): PreparedContent {
  const type = asset.type ?? (asset.kind === "data" ? "uri_folder" : "custom_model");
  const source = localPath(asset.path, baseDir);
  if (source === undefined) return { fields: { kind: asset.kind, type, uri: asset.path }, staged: undefined };
  const staged = blobs.stage();
  try {
    if (statSync(source).isDirectory()) {
      blobs.copyInto(staged, source, { folder: true });
      return { fields: { kind: asset.kind, type, entry: "" }, staged };
    }
    blobs.copyInto(staged, source);
    return { fields: { kind: asset.kind, type, entry: basename(source) }, staged };
  } catch (error) {
    blobs.discard(staged);
    throw error;
  }
}

export function prepareEnvironment(env: EnvironmentAssetModel, baseDir: string, blobs: BlobStore): PreparedContent {
  const conda = env.condaFile;
  const build = env.build;
  const common = {
    kind: "environment" as const,
    ...(env.image !== undefined ? { image: env.image } : {}),
    ...(env.osType !== undefined ? { osType: env.osType } : {}),
  };
  if (conda === undefined && build === undefined) return { fields: common, staged: undefined };
  const staged = blobs.stage();
  try {
    let condaEntry: string | undefined;
    if (typeof conda === "string") {
      const file = localPath(conda, baseDir) ?? conda;
      condaEntry = basename(file);
      blobs.copyInto(staged, file, { as: condaEntry });
    } else if (conda !== undefined) {
      condaEntry = "conda.yaml";
      writeFileSync(resolve(staged.dir, condaEntry), stringify(conda));
    }
    if (build !== undefined) blobs.copyInto(staged, localPath(build.path, baseDir) ?? build.path, { as: "context" });
    const fields: StoredFields = {
      ...common,
      ...(condaEntry !== undefined ? { condaEntry } : {}),
      ...(build !== undefined ? { buildEntry: "context" } : {}),
      ...(build?.dockerfilePath !== undefined ? { dockerfilePath: build.dockerfilePath } : {}),
    };
    return { fields, staged };
  } catch (error) {
    blobs.discard(staged);
    throw error;
  }
}
