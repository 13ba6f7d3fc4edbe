/**
 * State shared while loading one entry file and the component files it references: the host,
 * the limits, the diagnostics found so far, the chain of files being loaded (for cycles) and the
 * components already loaded (so a file referenced twice is one model object).
 */
import type { ComponentModel, SourceLocation } from "@pipewright/dsl";
import type { DiagnosticCode } from "../diagnostics/codes.js";
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import { DEFAULT_LOAD_LIMITS, type LoadHost, type LoadLimits, type LoadOptions } from "./host.js";
import type { KeyPath, YamlSource } from "./source.js";

export interface LoadContext {
  readonly host: LoadHost;
  readonly limits: LoadLimits;
  readonly diagnostics: Diagnostic[];
  /** Absolute paths of component files being loaded, outermost first. */
  readonly stack: string[];
  readonly components: Map<string, ComponentModel>;
  filesRead: number;
}

export function createContext(host: LoadHost, options: LoadOptions = {}): LoadContext {
  return {
    host,
    limits: { ...DEFAULT_LOAD_LIMITS, ...options.limits },
    diagnostics: [],
    stack: [],
    components: new Map(),
    filesRead: 0,
  };
}

/** One file being read: reports diagnostics located in it. */
export class FileScope {
  constructor(
    readonly ctx: LoadContext,
    readonly source: YamlSource,
    /** Absolute folder of the file: relative paths in it resolve here. */
    readonly baseDir: string,
  ) {}

  at(path: KeyPath, at: "key" | "value" = "key"): SourceLocation {
    return this.source.locate(path, at);
  }

  report(code: DiagnosticCode, message: string, path: KeyPath, at: "key" | "value" = "key"): void {
    this.ctx.diagnostics.push(
      diagnostic(code, message, { path: pathText(path), location: this.source.locate(path, at) }),
    );
  }
}

/** `jobs/train/inputs/data`: the node path form diagnostics use. */
export function pathText(path: KeyPath): string {
  return path.map(String).join("/");
}

/** What a YAML value is, in words, for "expected X, got Y" messages. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return "nothing (null)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  return `${typeof value} ${String(value)}`;
}
