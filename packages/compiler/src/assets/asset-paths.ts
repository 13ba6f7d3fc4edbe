/**
 * Local paths in asset YAML (data and model `path`, `conda_file`, `build.path`, a VM's private
 * key file): Azure resolves them against the folder of the file, so they are rewritten relative
 * to the emitted file. When the rewritten path names the same place as the path as written
 * (a file loaded and written back to its own folder), the original spelling is kept.
 */
import { posix } from "node:path";
import { isLocalPath, relocatePath, toPosix } from "../emit/paths.js";

export function assetPath(path: string, baseDir: string | undefined, fileDir: string): string {
  const relocated = relocatePath(path, baseDir, fileDir);
  if (!isLocalPath(path) || baseDir === undefined) return relocated;
  const original = stripFile(toPosix(path));
  if (posix.isAbsolute(original)) return relocated;
  // Written as it was when it names the same place from the emitted file as from its own folder.
  return posix.join(rooted(baseDir), original) === posix.join(rooted(fileDir), original) ? path : relocated;
}

/** The absolute (posix) path a local path names, or undefined for references and URLs. */
export function resolveAssetPath(path: string, baseDir: string | undefined): string | undefined {
  if (!isLocalPath(path)) return undefined;
  const bare = stripFile(toPosix(path));
  if (posix.isAbsolute(bare)) return posix.normalize(bare);
  if (baseDir === undefined) return undefined;
  return posix.join(rooted(baseDir), bare).replace(/(.)\/$/, "$1");
}

function stripFile(path: string): string {
  return path.startsWith("file:") ? path.slice("file:".length) : path;
}

function rooted(folder: string): string {
  const path = toPosix(folder);
  return posix.isAbsolute(path) ? posix.normalize(path) : posix.join("/", path);
}
