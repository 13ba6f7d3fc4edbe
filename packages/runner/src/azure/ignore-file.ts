/**
 * Which files of a folder are uploaded, as the Azure ML SDK decides it: the `.amlignore` in the
 * folder's root, else its `.gitignore` (the first wins outright; they are not merged), with
 * gitignore pattern semantics (negation, `dir/`, anchoring, `**`) from the `ignore` package,
 * case-sensitive like the SDK's pathspec.
 * Ignore files in subfolders are not read (the SDK reads only the root's). The ignore files
 * themselves are uploaded unless they list themselves, as with the SDK.
 *
 * Two things differ from the SDK on purpose: `.git` (a repository's internals, never code) and
 * `.pipewright` (pipewright's own state) are never uploaded; and a folder with no ignore file
 * skips `__pycache__` and `node_modules` too, as pipewright always did.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import ignore from "ignore";

export const AML_IGNORE = ".amlignore";
export const GIT_IGNORE = ".gitignore";

const ALWAYS_SKIPPED: ReadonlySet<string> = new Set([".git", ".pipewright"]);
const SKIPPED_WITHOUT_IGNORE_FILE: ReadonlySet<string> = new Set(["__pycache__", "node_modules"]);

export interface IgnoreRules {
  /** The ignore file in force (absolute), if any. */
  readonly file?: string;
  /** Whether a path (forward slashes, relative to the folder) is left out. */
  excludes(rel: string, isDirectory: boolean): boolean;
}

/** The rules of the folder's root ignore file, `.amlignore` before `.gitignore`. */
export function ignoreRulesFor(folder: string): IgnoreRules {
  const file = [AML_IGNORE, GIT_IGNORE].map((name) => join(folder, name)).find((path) => existsSync(path) && statSync(path).isFile());
  if (file === undefined) {
    return { excludes: (rel) => rel.split("/").some((part) => ALWAYS_SKIPPED.has(part) || SKIPPED_WITHOUT_IGNORE_FILE.has(part)) };
  }
  const matcher = ignore({ ignorecase: false }).add(readFileSync(file, "utf8"));
  return {
    file,
    excludes: (rel, isDirectory) => rel.split("/").some((part) => ALWAYS_SKIPPED.has(part)) || matcher.ignores(isDirectory ? `${rel}/` : rel),
  };
}
