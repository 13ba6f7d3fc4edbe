import type { LoadHost } from "../../src/load/index.js";

/** An in-memory file system for loader tests: absolute posix paths to file text. */
export function memoryHost(files: Record<string, string>): LoadHost & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    readFile(path: string) {
      reads.push(path);
      return Object.prototype.hasOwnProperty.call(files, path) ? files[path] : undefined;
    },
  };
}
