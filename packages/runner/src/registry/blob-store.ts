/**
 * Content-addressed storage for registered files and folders: `blobs/sha256/<hex>` in the
 * workspace folder, named by the hash of the folder's sorted manifest (names and contents), so
 * the same bytes registered twice are stored once. Contents are copied into a staging folder
 * first and renamed into place whole: a blob folder is either complete or absent.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { basename, join } from "node:path";
import { hashPath } from "../local/content-hash.js";

export interface StagedBlob {
  /** The staging folder to fill; renamed to its hash by `commit`. */
  readonly dir: string;
}

export class BlobStore {
  /** `<workspace>/blobs/sha256`: one folder per stored blob. */
  readonly folder: string;
  private readonly stagingRoot: string;

  constructor(workspaceRoot: string) {
    this.folder = join(workspaceRoot, "blobs", "sha256");
    this.stagingRoot = join(workspaceRoot, "blobs", ".staging");
  }

  /** Removes staging folders left by processes that died while registering (never blobs). */
  sweepStaging(): void {
    if (!existsSync(this.stagingRoot)) return;
    for (const entry of readdirSync(this.stagingRoot)) {
      const pid = Number(entry.split("-")[0]);
      if (pid === process.pid || (Number.isInteger(pid) && pid > 0 && isAlive(pid))) continue;
      rmSync(join(this.stagingRoot, entry), { recursive: true, force: true });
    }
  }

  /** A fresh, empty staging folder (beside the blobs, so the rename stays on one file system). */
  stage(): StagedBlob {
    mkdirSync(this.stagingRoot, { recursive: true });
    const dir = join(this.stagingRoot, `${process.pid}-${randomBytes(6).toString("hex")}`);
    mkdirSync(dir);
    return { dir };
  }

  /** Copies a file (under its own name) or a folder's contents into a staged blob. */
  copyInto(staged: StagedBlob, source: string, options: { readonly as?: string; readonly folder?: boolean; readonly excludes?: ReadonlySet<string> } = {}): void {
    const excludes = options.excludes ?? new Set<string>();
    const target = options.as !== undefined ? join(staged.dir, options.as) : options.folder ? staged.dir : join(staged.dir, basename(source));
    cpSync(source, target, {
      recursive: true,
      dereference: true,
      filter: (path) => !excludes.has(basename(path)) || path === source,
    });
  }

  /** The hex hash the staged contents would be stored under. */
  hashOf(staged: StagedBlob): string {
    return hashPath(staged.dir).replace(/^sha256:/, "");
  }

  /** Moves a staged blob into place under its hash; an identical stored blob is kept instead. */
  commit(staged: StagedBlob, hash: string = this.hashOf(staged)): { readonly hash: string; readonly path: string; readonly created: boolean } {
    const path = this.pathOf(hash);
    if (existsSync(path)) {
      this.discard(staged);
      return { hash, path, created: false };
    }
    mkdirSync(this.folder, { recursive: true });
    try {
      renameSync(staged.dir, path);
    } catch (error) {
      // Another process stored the same content at the same moment: theirs is identical.
      if (existsSync(path)) {
        this.discard(staged);
        return { hash, path, created: false };
      }
      throw error;
    }
    return { hash, path, created: true };
  }

  discard(staged: StagedBlob): void {
    rmSync(staged.dir, { recursive: true, force: true });
  }

  pathOf(hash: string): string {
    return join(this.folder, hash);
  }

  /** How many blobs are stored. */
  count(): number {
    return existsSync(this.folder) ? readdirSync(this.folder).length : 0;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
