/**
 * Type-checks an entry file, and the local files it imports, before it runs: a mis-wired port
 * is a TypeScript error (the DSL's types make it one), and it should read like any other
 * diagnostic (`file:line:col - error PW1012: ...`), not surface later as a crash.
 */
import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import type { SourceLocation } from "@pipewright/dsl";
import { entryDiagnostic, type EntryDiagnostic } from "./entry-diagnostic.js";

/** Used when no tsconfig.json is found above the entry: the options of pipewright's own tsconfig.base.json. */
const DEFAULT_COMPILER_OPTIONS = {
  target: "ES2022",
  module: "NodeNext",
  moduleResolution: "NodeNext",
  verbatimModuleSyntax: true,
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noImplicitOverride: true,
  noPropertyAccessFromIndexSignature: true,
  noFallthroughCasesInSwitch: true,
  isolatedModules: true,
  skipLibCheck: true,
  noEmit: true,
  resolveJsonModule: true,
} as const;

const TYPE_CHECKED = /\.(ts|mts|cts|tsx)$/;

export function isTypeCheckable(file: string): boolean {
  return TYPE_CHECKED.test(file) && !file.endsWith(".d.ts");
}

/** The nearest tsconfig.json in the entry's folder or above it. */
export function findTsconfig(fromDir: string): string | undefined {
  for (let dir = resolve(fromDir); ; dir = dirname(dir)) {
    const candidate = join(dir, "tsconfig.json");
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * TypeScript's errors in `entryFile` and every file it reaches through relative imports
 * (packages it imports are not checked), sorted by file and position. Empty when it type-checks.
 */
export async function typeCheckEntry(entryFile: string): Promise<EntryDiagnostic[]> {
  // Loaded on demand: the TypeScript compiler is large, and verbs that do not check should not pay for it.
  const { Project, ts } = await import("ts-morph");
  const tsconfig = findTsconfig(dirname(entryFile));
  const project = tsconfig
    ? new Project({ tsConfigFilePath: tsconfig, skipAddingFilesFromTsConfig: true })
    : new Project({
        compilerOptions: {
          ...DEFAULT_COMPILER_OPTIONS,
          target: ts.ScriptTarget.ES2022,
          module: ts.ModuleKind.NodeNext,
          moduleResolution: ts.ModuleResolutionKind.NodeNext,
        },
      });
  const entry = project.addSourceFileAtPath(entryFile);
  project.resolveSourceFileDependencies();

  // The entry and what it imports with relative specifiers, outside node_modules.
  const local = new Map<string, typeof entry>();
  const pending = [entry];
  for (let file = pending.pop(); file; file = pending.pop()) {
    const path = file.getFilePath();
    if (local.has(path) || path.includes("/node_modules/") || !isTypeCheckable(path)) continue;
    local.set(path, file);
    const declarations = [...file.getImportDeclarations(), ...file.getExportDeclarations()];
    for (const declaration of declarations) {
      const specifier = declaration.getModuleSpecifierValue();
      if (specifier === undefined || !(specifier.startsWith(".") || isAbsolute(specifier))) continue;
      const target = declaration.getModuleSpecifierSourceFile();
      if (target) pending.push(target);
    }
  }

  const program = project.getProgram().compilerObject;
  const found: EntryDiagnostic[] = [];
  for (const file of local.values()) {
    const node = file.compilerNode;
    const syntactic = program.getSyntacticDiagnostics(node);
    // Semantic errors in a file that does not parse are mostly noise from the parse error.
    const problems = syntactic.length ? syntactic : program.getSemanticDiagnostics(node);
    for (const problem of problems) {
      if (problem.category !== ts.DiagnosticCategory.Error && problem.category !== ts.DiagnosticCategory.Warning) continue;
      const text = ts.flattenDiagnosticMessageText(problem.messageText, "\n");
      const kind = syntactic.length ? "syntax error" : "type error";
      const message = `${kind}: ${text.replace(/\n/g, "\n  ")} (TS${problem.code})`;
      const location = locate(problem.file ?? node, problem.start ?? 0);
      found.push(
        entryDiagnostic("PW1012", message, location, problem.category === ts.DiagnosticCategory.Warning ? "warning" : "error"),
      );
    }
  }
  return found.sort(byLocation);
}

interface PositionSource {
  readonly fileName: string;
  getLineAndCharacterOfPosition(position: number): { line: number; character: number };
}

function locate(file: PositionSource, start: number): SourceLocation {
  const { line, character } = file.getLineAndCharacterOfPosition(start);
  return { file: resolve(file.fileName), line: line + 1, column: character + 1 };
}

function byLocation(a: EntryDiagnostic, b: EntryDiagnostic): number {
  const left = a.location;
  const right = b.location;
  if (!left || !right) return left ? -1 : right ? 1 : 0;
  return left.file < right.file ? -1 : left.file > right.file ? 1 : left.line - right.line || left.column - right.column;
}
