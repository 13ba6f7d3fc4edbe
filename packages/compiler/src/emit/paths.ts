/**
 * Local paths in emitted YAML: Azure resolves them against the folder of the file that contains
 * them, so a path the user wrote relative to their own file is rewritten relative to the
 * emitted file. Pure string arithmetic (node:path/posix does no I/O).
 */
import { posix } from "node:path";

/** Prefixes that make a string a reference rather than a local path (FIELDS.md §1). */
const NON_LOCAL = /^(?:azureml:|git\+|[A-Za-z][A-Za-z0-9+.-]*:\/\/)/;

export function isLocalPath(value: string): boolean {
  return value !== "" && !NON_LOCAL.test(value) && !value.startsWith("${{");
}

/** Backslashes to forward slashes, so a Windows-written path emits the same as a POSIX one. */
export function toPosix(path: string): string {
  return path.replace(/\\/g, "/");
}

/**
 * `path` (relative to `baseDir`, or absolute) as seen from `fileDir`: forward slashes, `./` or
 * `../` first, never absolute. A `file:` prefix is kept. Without a `baseDir` the path is
 * assumed to be written relative to the emitted file already and is only tidied.
 */
export function relocatePath(path: string, baseDir: string | undefined, fileDir: string): string {
  if (!isLocalPath(path)) return path;
  const filePrefix = path.startsWith("file:") ? "file:" : "";
  const bare = toPosix(path.slice(filePrefix.length));
  if (baseDir === undefined && !posix.isAbsolute(bare)) return filePrefix + dotted(posix.normalize(bare));
  const absolute = posix.isAbsolute(bare) ? posix.normalize(bare) : posix.join(rooted(baseDir ?? "/"), bare);
  const trailing = bare.endsWith("/") && absolute !== "/" ? "/" : "";
  return filePrefix + dotted(posix.relative(rooted(fileDir), absolute)) + trailing;
}

/**
 * Both ends absolute, so posix.relative never consults process.cwd(): two relative folders are
 * taken as relative to the same (unknown) place, which leaves the path between them unchanged.
 */
function rooted(folder: string): string {
  const path = toPosix(folder);
  return posix.isAbsolute(path) ? posix.normalize(path) : posix.join("/", path);
}

function dotted(relative: string): string {
  if (relative === "" || relative === ".") return ".";
  if (relative === ".." || relative.startsWith("../") || relative.startsWith("./")) return relative;
  return `./${relative}`;
}

/** The folder of an emitted document, from the output folder and the document's relative path. */
export function documentFolder(outDir: string, documentPath: string): string {
  return posix.dirname(posix.join(rooted(outDir), documentPath));
}
