/** The last lines of a log, shown when a step fails. */
import { closeSync, openSync, readSync, statSync } from "node:fs";

export function readLogTail(file: string, lines = 20, maxBytes = 16384): string {
  let fd: number | undefined;
  try {
    const size = statSync(file).size;
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    fd = openSync(file, "r");
    readSync(fd, buffer, 0, length, size - length);
    const text = buffer.toString("utf8").replace(/\n$/, "");
    return text.split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
