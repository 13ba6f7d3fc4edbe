import { basename, dirname, extname, join } from "node:path";

/** Entry file names that say nothing about the pipeline, so the folder name is used instead. */
const GENERIC_NAMES = new Set(["pipeline", "pipelines", "index", "main", "job"]);

/**
 * `out/<name>` under `cwd`: the entry's file name without its extension, or the name of its
 * folder when the file is generically named (`examples/demo/pipeline.ts` -> `out/demo`).
 */
export function defaultOutDir(entryFile: string, cwd: string): string {
  const stem = basename(entryFile, extname(entryFile));
  const folder = basename(dirname(entryFile));
  const name = GENERIC_NAMES.has(stem) && folder && folder !== "." ? folder : stem;
  return join(cwd, "out", name);
}
