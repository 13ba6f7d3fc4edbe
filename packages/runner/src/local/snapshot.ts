/** Code snapshots (content-addressed, kept in the workspace) and each attempt's private copy. */
import { cpSync, existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { SNAPSHOT_EXCLUDES } from "./content-hash.js";

/** Copies a code folder into `<snapshots>/<hash>` once; returns the snapshot folder. */
export function snapshotCode(codeDir: string, snapshotsFolder: string, hash: string): string {
  const target = join(snapshotsFolder, hash.replace(/^sha256:/, ""));
  if (existsSync(target)) return target;
  const temp = `${target}.tmp-${process.pid}`;
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(snapshotsFolder, { recursive: true });
  cpSync(codeDir, temp, { recursive: true, filter: (source) => !SNAPSHOT_EXCLUDES.has(basename(source)) });
  return publishSnapshot(temp, target);
}

/**
 * Renames a fully built content-addressed folder into place. When another runner published the
 * same target first (same content by construction), this copy is dropped and theirs is used.
 */
export function publishSnapshot(temp: string, target: string): string {
  try {
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    if (!existsSync(target)) throw error;
  }
  return target;
}

/** A fresh working folder: a private copy of the snapshot, or empty when there is no code. */
export function prepareWorkDir(workDir: string, snapshot: string | undefined): void {
  if (snapshot) {
    if (existsSync(workDir)) rmSync(workDir, { recursive: true, force: true });
    cpSync(snapshot, workDir, { recursive: true });
    return;
  }
  // mkdir tells whether the folder was new; only a retry's leftover folder needs emptying.
  if (mkdirSync(workDir, { recursive: true }) === undefined) {
    rmSync(workDir, { recursive: true, force: true });
    mkdirSync(workDir);
  }
}
