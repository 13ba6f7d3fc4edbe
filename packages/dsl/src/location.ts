/** Where the user's code declared something: 1-based line and column, absolute file path. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

const FRAME = /\(?((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?\s*$/;

/**
 * The first stack frame outside pipewright's own packages: the user's call site. Captured at
 * construction time, as constructs does, so diagnostics can point at the line that declared a
 * node or port.
 *
 * Capturing the raw frames is cheap; formatting them (with source maps applied) is not, and a
 * 10,000-node pipeline would spend most of its build time on it. So the frames are captured
 * now and formatted on first read of `file`, `line` or `column`. A location whose frames cannot
 * be read reports file "<unknown>" and line 0.
 */
export function captureLocation(): SourceLocation | undefined {
  // DSL entry points are at most 3 frames above the user's call; keep only a few frames.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 6;
  const frames: Frames = new Error();
  Error.stackTraceLimit = limit;
  // Shared getters, no closures: this runs once per node, 10,000 times in the compile benchmark.
  const location = {};
  Object.defineProperty(location, FRAMES, { value: frames });
  Object.defineProperties(location, LAZY_FIELDS);
  return Object.freeze(location) as SourceLocation;
}

/** The captured frames, and the location they resolve to once read. */
type Frames = Error & { resolved?: SourceLocation };

const FRAMES = Symbol("pipewright.frames");

function resolved(holder: object): SourceLocation {
  const frames = (holder as { [FRAMES]: Frames })[FRAMES];
  return (frames.resolved ??= parseStack(frames.stack) ?? UNKNOWN_LOCATION);
}

function fileOf(this: object): string {
  return resolved(this).file;
}
function lineOf(this: object): number {
  return resolved(this).line;
}
function columnOf(this: object): number {
  return resolved(this).column;
}

const LAZY_FIELDS: PropertyDescriptorMap = {
  file: { enumerable: true, get: fileOf },
  line: { enumerable: true, get: lineOf },
  column: { enumerable: true, get: columnOf },
};

const UNKNOWN_LOCATION: SourceLocation = Object.freeze({ file: "<unknown>", line: 0, column: 0 });

function parseStack(stack: string | undefined): SourceLocation | undefined {
  if (!stack) return undefined;
  for (const line of stack.split("\n").slice(1)) {
    const match = FRAME.exec(line.trim());
    if (!match) continue;
    let file = match[1] ?? "";
    if (file.startsWith("file://")) file = decodeURIComponent(file.slice("file://".length));
    if (isInternalFrame(file)) continue;
    return { file, line: Number(match[2]), column: Number(match[3]) };
  }
  return undefined;
}

function isInternalFrame(file: string): boolean {
  const normalized = file.replace(/\\/g, "/");
  return (
    normalized.startsWith("node:") ||
    normalized.includes("/packages/dsl/src/") ||
    normalized.includes("/@pipewright/dsl/") ||
    normalized.includes("/node_modules/")
  );
}

/** The folder part of an absolute file path, without importing node:path (the DSL does no I/O). */
export function folderOf(file: string): string {
  const index = Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\"));
  return index <= 0 ? file.slice(0, index + 1) || "/" : file.slice(0, index);
}
