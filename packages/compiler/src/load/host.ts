/**
 * What the loader needs from its caller. The compiler does no I/O: the CLI or runner passes a
 * `readFile` backed by the file system, tests pass an in-memory map.
 */
export interface LoadHost {
  /** The text of an absolute (posix) path, or undefined when there is no such file. */
  readFile(path: string): string | undefined;
}

/** Bounds that keep hostile input from hanging or exhausting the loader. */
export interface LoadLimits {
  /** Largest file accepted, in characters (a 10,000-node pipeline is about 1.5 MB). @default 16_000_000 */
  readonly maxFileChars: number;
  /** Aliases may expand to at most this many nodes (yaml's maxAliasCount). @default 100 */
  readonly maxAliasCount: number;
  /** Component files loaded through references from one entry file. @default 2_000 */
  readonly maxFiles: number;
  /** Nesting of component files referencing component files. @default 32 */
  readonly maxDepth: number;
}

export const DEFAULT_LOAD_LIMITS: LoadLimits = {
  maxFileChars: 16_000_000,
  maxAliasCount: 100,
  maxFiles: 2_000,
  maxDepth: 32,
};

export interface LoadOptions {
  readonly limits?: Partial<LoadLimits>;
}
