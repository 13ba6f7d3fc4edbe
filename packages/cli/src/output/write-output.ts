/**
 * Writes a set of generated files as one unit: into a temporary sibling folder first, then
 * renamed into place, so an interrupted or failed write never leaves a half-written output and a
 * re-run never leaves stale files from an earlier one.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, isAbsolute, join, normalize, sep } from "node:path";

/** The marker that says "pipewright wrote this folder, it may replace it". */
export const OUTPUT_MARKER = ".pipewright-output.json";

export interface OutputFile {
  /** Relative to the output folder, forward slashes. */
  readonly path: string;
  readonly content: string;
}

/** The output folder cannot be used; the message says why and what to do. */
export class OutputFolderError extends Error {
  override readonly name = "OutputFolderError";
}

/**
 * Replaces `outDir` (absolute) with exactly `files`. An existing `outDir` is replaced only when
 * it is empty or pipewright wrote it (it holds the marker file); anything else is the user's and
 * is left alone with an OutputFolderError.
 */
export function writeOutputFolder(outDir: string, files: readonly OutputFile[], generatedBy: string): void {
  assertReplaceable(outDir);
  for (const file of files) assertInside(file.path);

  const parent = dirname(outDir);
  mkdirSync(parent, { recursive: true });
  const suffix = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const staging = join(parent, `.${basename(outDir)}.tmp-${suffix}`);
  const previous = join(parent, `.${basename(outDir)}.old-${suffix}`);
  let moved = false;
  try {
    mkdirSync(staging);
    for (const file of files) {
      const target = join(staging, ...file.path.split("/"));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, file.content);
    }
    const marker = { generatedBy, files: files.map((file) => file.path) };
    writeFileSync(join(staging, OUTPUT_MARKER), `${JSON.stringify(marker, null, 2)}\n`);

    if (existsSync(outDir)) {
      renameSync(outDir, previous);
      moved = true;
    }
    renameSync(staging, outDir);
    moved = false;
    rmSync(previous, { recursive: true, force: true });
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    // Put the earlier output back if the swap itself failed half-way.
    if (moved && !existsSync(outDir)) renameSync(previous, outDir);
    throw error;
  }
}

function assertReplaceable(outDir: string): void {
  if (!existsSync(outDir)) return;
  if (!statSync(outDir).isDirectory()) {
    throw new OutputFolderError(`the output path ${outDir} exists and is not a folder; choose another --out`);
  }
  const entries = readdirSync(outDir);
  if (entries.length && !entries.includes(OUTPUT_MARKER)) {
    throw new OutputFolderError(
      `the output folder ${outDir} already holds files that pipewright did not write (it has no ${OUTPUT_MARKER}); ` +
        "pipewright replaces its output folder as a whole, so choose an empty or new folder with --out, or remove this one",
    );
  }
}

function assertInside(path: string): void {
  const normalized = normalize(path);
  if (isAbsolute(path) || normalized === ".." || normalized.startsWith(`..${sep}`) || path.includes("\\")) {
    throw new Error(`refusing to write ${JSON.stringify(path)} outside the output folder`);
  }
}
