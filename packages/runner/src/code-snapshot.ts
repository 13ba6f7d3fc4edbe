/**
 * A component's code snapshot: its code folder's files (those its `.amlignore`/`.gitignore` lets
 * through) plus its `additional_includes`, each copied into the snapshot's root under its own
 * name, as the Azure ML SDK builds it before hashing and uploading. Azure uploads use the file
 * list; the local runner gets the same tree as a folder (built once per content).
 *
 * Like the SDK: an include that does not exist, or whose name is already taken by an entry of
 * the code folder or another include, is an error; `__pycache__` inside an include is left out;
 * the code folder's ignore file applies to the whole snapshot.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative, sep } from "node:path";
import { localAbsolutePath } from "@pipewright/compiler";
import type { CommandComponentModel } from "@pipewright/dsl";
import { ignoreRulesFor } from "./azure/ignore-file.js";
import { folderHash, listFiles, sortFiles, type LocalFile } from "./azure/uploads.js";
import { RunnerError } from "./local/errors.js";
import { publishSnapshot } from "./local/snapshot.js";

export interface SnapshotInclude {
  /** Absolute file or folder. */
  readonly path: string;
  /** As written in `additional_includes` (for messages). @default path */
  readonly written?: string;
}

/** An include that cannot be copied: the callers turn it into their own coded error. */
export class IncludeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IncludeError";
  }
}

/** The snapshot's files, sorted as the SDK hashes them; throws IncludeError. */
export function snapshotFiles(codeDir: string, includes: readonly SnapshotInclude[] = []): LocalFile[] {
  const files = listFiles(codeDir);
  if (includes.length === 0) return files;
  const rules = ignoreRulesFor(codeDir);
  const taken = new Map<string, string>(readdirSync(codeDir).map((name) => [name, `the code folder ${codeDir}`]));
  const out = [...files];
  for (const include of includes) {
    const written = include.written ?? include.path;
    if (!existsSync(include.path)) {
      throw new IncludeError(`the additional include '${written}' does not exist (looked for ${include.path}); include paths resolve against the folder of the file that declares the component`);
    }
    const name = basename(include.path);
    const owner = taken.get(name);
    if (owner !== undefined) {
      throw new IncludeError(`the additional include '${written}' would be copied to '${name}' in the code snapshot, which ${owner} already has; rename one of them`);
    }
    taken.set(name, `the additional include ${include.path}`);
    if (statSync(include.path).isFile()) {
      if (!rules.excludes(name, false)) out.push({ rel: name, abs: include.path, size: statSync(include.path).size });
      continue;
    }
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.name === "__pycache__") continue;
        const abs = join(dir, entry.name);
        const rel = `${name}/${relative(include.path, abs).split(sep).join("/")}`;
        if (rules.excludes(rel, entry.isDirectory())) continue;
        if (entry.isDirectory()) walk(abs);
        else if (entry.isFile()) out.push({ rel, abs, size: statSync(abs).size });
      }
    };
    walk(include.path);
  }
  return sortFiles(out);
}

/**
 * For the local runner: the code folder itself when there are no includes; otherwise a folder
 * holding the snapshot (code files and includes), built once per content under `stagingRoot`
 * and shared by every run with the same content. Throws IncludeError.
 */
export function codeFolderWithIncludes(codeDir: string, includes: readonly SnapshotInclude[], stagingRoot: string = join(tmpdir(), "pipewright-code-snapshots")): string {
  // A missing code folder is reported where the runner checks code folders (PW4003).
  if (includes.length === 0 || !existsSync(codeDir)) return codeDir;
  const files = snapshotFiles(codeDir, includes);
  const target = join(stagingRoot, folderHash(files));
  if (existsSync(target)) return target;
  const temp = `${target}.tmp-${process.pid}-${Date.now()}`;
  for (const file of files) {
    const to = join(temp, ...file.rel.split("/"));
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(file.abs, to);
  }
  mkdirSync(temp, { recursive: true });
  return publishSnapshot(temp, target);
}

/**
 * The local runner's code folder for a command component: `codeDir` plus the component's
 * `additional_includes` (resolved against its folder), as a RunnerError PW4013 when one cannot be
 * copied. `where` is the node path for the message.
 */
export function localCodeFolder(component: CommandComponentModel, codeDir: string, where: string): string {
  const includes: SnapshotInclude[] = [];
  for (const written of component.additionalIncludes ?? []) {
    const path = localAbsolutePath(written, component.baseDir, process.cwd());
    if (path === undefined) {
      throw new RunnerError("PW4013", `the additional include '${written}' of component '${component.name}' is not a local path; the local runner can only include local files and folders`, { path: where, location: component.location });
    }
    includes.push({ path, written });
  }
  try {
    return codeFolderWithIncludes(codeDir, includes);
  } catch (error) {
    if (error instanceof IncludeError) throw new RunnerError("PW4013", `component '${component.name}': ${error.message}`, { path: where, location: component.location });
    throw error;
  }
}
