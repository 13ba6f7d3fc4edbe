/** What the asset checks and loader need from their caller; the compiler itself does no I/O. */
export interface AssetHost {
  /** The text of an absolute (posix) path, or undefined when there is no such file. */
  readFile(path: string): string | undefined;
  /**
   * The entry names of an absolute folder, or undefined when it is not a folder. Without it,
   * local paths that may be folders (data, models, build contexts) are not checked.
   */
  listFolder?(path: string): readonly string[] | undefined;
}
