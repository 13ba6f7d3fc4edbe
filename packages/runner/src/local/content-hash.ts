/** Content hashes of files and folders, for reuse fingerprints and code snapshots. */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, readlinkSync, type Dirent } from "node:fs";
import { join } from "node:path";

/** Folders never part of a code snapshot or its hash. */
export const SNAPSHOT_EXCLUDES: ReadonlySet<string> = new Set([".git", "node_modules", ".pipewright", "__pycache__"]);

/** `sha256:<hex>` of a file's bytes or a folder's names and contents; "missing" when absent. */
export function hashPath(path: string, excludes: ReadonlySet<string> = NO_EXCLUDES): string {
  // Most outputs are folders: list it first (one call fewer than stat-then-list, per step).
  let entries: Dirent[];
  try {
    entries = readdirSync(path, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOTDIR") return "missing";
    return `sha256:${createHash("sha256").update("file\0").update(readFileSync(path)).digest("hex")}`;
  }
  if (entries.length === 0) return EMPTY_FOLDER;
  const hash = createHash("sha256");
  feed(hash, path, "", excludes, entries);
  return `sha256:${hash.digest("hex")}`;
}

const NO_EXCLUDES: ReadonlySet<string> = new Set();
/** An empty folder feeds nothing into its hash (many outputs of steps that only log are). */
const EMPTY_FOLDER = `sha256:${createHash("sha256").digest("hex")}`;

function feed(hash: ReturnType<typeof createHash>, root: string, relative: string, excludes: ReadonlySet<string>, listed?: Dirent[]): void {
  const folder = relative ? join(root, relative) : root;
  const entries = (listed ?? readdirSync(folder, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (excludes.has(entry.name)) continue;
    const rel = relative ? `${relative}/${entry.name}` : entry.name;
    const full = join(root, rel);
    if (entry.isDirectory()) {
      hash.update(`dir\0${rel}\0`);
      feed(hash, root, rel, excludes);
    } else if (entry.isSymbolicLink()) {
      hash.update(`link\0${rel}\0${readlinkSync(full)}\0`);
    } else if (entry.isFile()) {
      const content = readFileSync(full);
      hash.update(`file\0${rel}\0${content.length}\0`);
      hash.update(content);
    }
  }
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** JSON with sorted keys, so equal data always gives equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}
