/**
 * One generated TypeScript file being written: the names it imports (from the DSL and from
 * sibling generated files), where it lives (for relative paths), and what of the YAML it could
 * not express, as problems that become diagnostics.
 */
import type { SourceLocation } from "@pipewright/dsl";
import { posix } from "node:path";
import { relocatePath } from "../emit/paths.js";

export interface Problem {
  /** True when the file cannot be generated at all; false when a part is left out. */
  readonly blocking: boolean;
  readonly message: string;
  readonly path: string;
  readonly location?: SourceLocation;
}

export class Emission {
  readonly dsl = new Set<string>();
  /** Local identifier -> module specifier (`./components/train.js`). */
  readonly imports = new Map<string, string>();

  constructor(
    /** Absolute path of the generated file. */
    readonly file: string,
    readonly problems: Problem[],
  ) {}

  get fileDir(): string {
    return posix.dirname(this.file);
  }

  /** A name imported from `@pipewright/dsl`. */
  use(name: string): string {
    this.dsl.add(name);
    return name;
  }

  importFrom(identifier: string, targetFile: string): void {
    let specifier = posix.relative(this.fileDir, targetFile).replace(/\.ts$/, ".js");
    if (!specifier.startsWith(".")) specifier = `./${specifier}`;
    this.imports.set(identifier, specifier);
  }

  /** A local path written relative to `baseDir`, re-expressed relative to this file. */
  path(path: string, baseDir: string | undefined): string {
    return relocatePath(path, baseDir, this.fileDir);
  }

  drop(message: string, path: string, location: SourceLocation | undefined): void {
    this.problems.push(location ? { blocking: false, message, path, location } : { blocking: false, message, path });
  }

  block(message: string, path: string, location: SourceLocation | undefined): void {
    this.problems.push(location ? { blocking: true, message, path, location } : { blocking: true, message, path });
  }
}
