/**
 * Reading referenced files through the host, within the limits, with cycle detection: a
 * component file that (through others) references itself is reported with the whole chain.
 */
import type { SourceLocation } from "@pipewright/dsl";
import { dirname, isAbsolute, join, normalize, relative } from "node:path/posix";
import { diagnostic } from "../diagnostics/diagnostic.js";
import { FileScope, type LoadContext } from "./context.js";
import { parseYamlSource } from "./source.js";

/** A path from a YAML file (`./train.yml`, `file:train.yml`) resolved against its folder. */
export function resolveLocal(baseDir: string, written: string): string {
  const path = written.startsWith("file:") ? written.slice("file:".length) : written;
  const slashed = path.replace(/\\/g, "/");
  return normalize(isAbsolute(slashed) ? slashed : join(baseDir, slashed));
}

export function displayPath(path: string, from: string): string {
  const rel = relative(from, path);
  return rel.startsWith("..") ? path : `./${rel}`;
}

/** Reads and parses one file; undefined (with a diagnostic) when it cannot be. */
export function openFile(ctx: LoadContext, file: string, referencedAt?: SourceLocation): FileScope | undefined {
  const where = referencedAt ? { location: referencedAt } : { location: { file, line: 1, column: 1 } };
  if (ctx.filesRead >= ctx.limits.maxFiles) {
    ctx.diagnostics.push(
      diagnostic("PW3114", `Loading ${file} would read more than ${ctx.limits.maxFiles} files; stopping here.`, where),
    );
    return undefined;
  }
  ctx.filesRead++;
  let text: string | undefined;
  try {
    text = ctx.host.readFile(file);
  } catch {
    // A host that throws (a folder, no permission) means the same as "no such file".
    text = undefined;
  }
  if (text === undefined) {
    const message = referencedAt
      ? `The referenced file ${file} does not exist or cannot be read. Check the path (it is relative to the file that refers to it).`
      : `${file} does not exist or cannot be read.`;
    ctx.diagnostics.push(diagnostic("PW3102", message, where));
    return undefined;
  }
  const parsed = parseYamlSource(file, text, ctx.limits);
  ctx.diagnostics.push(...parsed.diagnostics);
  if (!parsed.source) return undefined;
  return new FileScope(ctx, parsed.source, dirname(file));
}

/** Runs `load` for a referenced file unless it closes a cycle or nests too deep. */
export function withinFile<T>(ctx: LoadContext, file: string, referencedAt: SourceLocation, load: () => T): T | undefined {
  const index = ctx.stack.indexOf(file);
  if (index >= 0) {
    const chain = [...ctx.stack.slice(index), file].map((path) => displayPath(path, dirname(file))).join(" -> ");
    ctx.diagnostics.push(
      diagnostic("PW3109", `Component files reference each other in a cycle: ${chain}. A component cannot contain itself.`, {
        location: referencedAt,
      }),
    );
    return undefined;
  }
  if (ctx.stack.length >= ctx.limits.maxDepth) {
    ctx.diagnostics.push(
      diagnostic("PW3114", `Component files nest more than ${ctx.limits.maxDepth} levels deep at ${file}; stopping here.`, {
        location: referencedAt,
      }),
    );
    return undefined;
  }
  ctx.stack.push(file);
  try {
    return load();
  } finally {
    ctx.stack.pop();
  }
}
