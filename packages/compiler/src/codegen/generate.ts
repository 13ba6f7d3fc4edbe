/**
 * `pipewright import`'s code generator: loaded Azure ML YAML to TypeScript that uses the DSL the
 * way a person would, so every imported component is a typed component (mis-wiring it is a
 * compile error) and an imported pipeline job compiles back to the same YAML. Pure: it returns
 * file texts (ts-morph on an in-memory file system); the CLI writes them. Deterministic: the
 * same input gives byte-identical files.
 */
import type { CommandComponentModel, ComponentModel, ComponentReferenceModel, PipelineComponentModel } from "@pipewright/dsl";
import { posix } from "node:path";
import { IndentationText, NewLineKind, Project, QuoteKind } from "ts-morph";
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { LoadedDocument } from "../load/load.js";
import { commandExpression } from "./command-source.js";
import { Emission, type Problem } from "./emission.js";
import { jobStatements } from "./job-source.js";
import { literal } from "./literal.js";
import { camelIdentifier, NameScope } from "./names.js";
import { pipelineExpression, type ComponentNames } from "./pipeline-source.js";

export interface ImportSource {
  /** Absolute path of the YAML file. */
  readonly file: string;
  readonly document: LoadedDocument;
}

export interface GenerateOptions {
  /** Absolute folder the files are meant for. */
  readonly outDir: string;
  /** Absolute folder job files mirror (a job at <root>/a/p.yml becomes <outDir>/a/p.ts). */
  readonly sourceRoot: string;
}

export type GeneratedKind = "pipeline_job" | "command_component" | "pipeline_component";

export interface GeneratedFile {
  /** Relative to outDir, forward slashes. */
  readonly path: string;
  readonly kind: GeneratedKind;
  readonly content: string;
}

export interface GenerateResult {
  readonly files: readonly GeneratedFile[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Names the DSL exports that generated files may import; local names never shadow them. */
const DSL_NAMES = [
  "command",
  "pipeline",
  "componentRef",
  "Input",
  "Output",
  "uriFile",
  "uriFolder",
  "mltable",
  "customModel",
  "mlflowModel",
  "tritonModel",
];

interface ComponentFile {
  readonly identifier: string;
  readonly file: string;
  /** False when the component cannot be generated (its diagnostics say why). */
  readonly generated: boolean;
}

interface PendingFile {
  readonly emission: Emission;
  readonly kind: GeneratedKind;
  readonly source: string;
  readonly statements: string[];
}

export function generateTypeScript(sources: readonly ImportSource[], options: GenerateOptions): GenerateResult {
  const outDir = posix.normalize(options.outDir);
  const globalNames = new NameScope([...DSL_NAMES, "job"]);
  const fileNames = new Set<string>();
  const components = new Map<string, ComponentFile>();
  const pending: PendingFile[] = [];
  const diagnostics: Diagnostic[] = [];

  const claimFile = (folder: string, base: string): string => {
    let name = base;
    for (let n = 2; fileNames.has(posix.join(folder, name).toLowerCase()); n++) name = `${base}_${n}`;
    fileNames.add(posix.join(folder, name).toLowerCase());
    return posix.join(folder, `${name}.ts`);
  };

  /** Where a component is defined in YAML: one generated file per definition. */
  const keyOf = (component: ComponentModel): string =>
    component.location ? `${component.location.file}:${component.location.line}:${component.location.column}` : `${component.name}@${component.baseDir ?? ""}`;

  const finish = (file: PendingFile): boolean => {
    const blocking = file.emission.problems.some((problem) => problem.blocking);
    diagnostics.push(...file.emission.problems.map((problem) => toDiagnostic(problem)));
    if (!blocking) pending.push(file);
    return !blocking;
  };

  const namesFor = (emission: Emission, locals: string[]): ComponentNames => {
    const inline = new Map<ComponentModel, string>();
    const references = new Map<string, string>();
    return {
      taken: new Set([...DSL_NAMES, "job"]),
      reference(component: ComponentReferenceModel, expression) {
        let identifier = references.get(component.ref);
        if (identifier === undefined) {
          identifier = globalNames.claim(camelIdentifier(referenceName(component.ref)));
          references.set(component.ref, identifier);
          locals.push(
            "// A registered component: the ports below are the ones this pipeline uses, typed from how it uses them.\n" +
              `const ${identifier} = ${literal(expression)};`,
          );
        }
        return identifier;
      },
      identifier(component, out) {
        if (component.type === "command" && (component as CommandComponentModel).inlineJob) {
          let identifier = inline.get(component);
          if (identifier === undefined) {
            // `helloJobCommand`, so the node variable can be `helloJob`.
            identifier = globalNames.claim(`${camelIdentifier(component.name)}Command`);
            inline.set(component, identifier);
            locals.push(`const ${identifier} = ${literal(commandExpression(component as CommandComponentModel, out, component.name))};`);
          }
          return identifier;
        }
        const target = ensureComponent(component);
        if (!target?.generated) return undefined;
        if (target.file !== emission.file) out.importFrom(target.identifier, target.file);
        return target.identifier;
      },
    };
  };

  const ensureComponent = (component: ComponentModel): ComponentFile | undefined => {
    if (component.type !== "command" && component.type !== "pipeline") return undefined;
    const key = keyOf(component);
    const known = components.get(key);
    if (known) return known;
    const identifier = globalNames.claim(camelIdentifier(component.name || "component"));
    const file = claimFile(posix.join(outDir, "components"), fileBase(component.name));
    // Registered before generating, so a pipeline's children can refer back without recursion.
    const entry: { identifier: string; file: string; generated: boolean } = { identifier, file, generated: false };
    components.set(key, entry);
    const emission = new Emission(file, []);
    const locals: string[] = [];
    const names = namesFor(emission, locals);
    const expression =
      component.type === "command"
        ? commandExpression(component as CommandComponentModel, emission, component.name)
        : pipelineExpression(component as PipelineComponentModel, emission, names, component.name);
    const statements = [...locals, `export const ${identifier} = ${literal(expression)};`];
    entry.generated = finish({
      emission,
      kind: component.type === "command" ? "command_component" : "pipeline_component",
      source: component.location?.file ?? "",
      statements,
    });
    return entry;
  };

  for (const source of [...sources].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))) {
    const document = source.document;
    if (document.kind === "component") {
      const entry = ensureComponent(document.model);
      if (!entry) {
        diagnostics.push(
          diagnostic("PW3117", `${source.file}: a ${document.model.type} component has no DSL form yet; nothing generated for it`, {
            location: document.model.location ?? { file: source.file, line: 1, column: 1 },
          }),
        );
      }
      continue;
    }
    const relative = posix.relative(options.sourceRoot, source.file).replace(/\.ya?ml$/i, "");
    const file = claimFile(outDir, relative.startsWith("..") ? posix.basename(relative) : relative);
    const emission = new Emission(file, []);
    const locals: string[] = [];
    const names = namesFor(emission, locals);
    const statements = jobStatements(document.model, emission, names);
    const declared: string[] = [];
    let pipelineIdentifier = statements.component ?? "";
    if (statements.pipeline) {
      pipelineIdentifier = globalNames.claim(camelIdentifier(document.model.pipeline.name), "Pipeline");
      declared.push(`export const ${pipelineIdentifier} = ${literal(statements.pipeline)};`);
    }
    finish({
      emission,
      kind: "pipeline_job",
      source: source.file,
      statements: [...locals, ...declared, `export const job = ${literal(statements.job(pipelineIdentifier))};`],
    });
  }

  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: {
      indentationText: IndentationText.TwoSpaces,
      quoteKind: QuoteKind.Double,
      newLineKind: NewLineKind.LineFeed,
    },
  });
  const files = pending
    .map((file) => ({ path: posix.relative(outDir, file.emission.file), kind: file.kind, content: render(project, file) }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, diagnostics };
}

function render(project: Project, file: PendingFile): string {
  const sourceFile = project.createSourceFile(file.emission.file, "", { overwrite: true });
  const dsl = [...file.emission.dsl].sort();
  if (dsl.length) sourceFile.addImportDeclaration({ namedImports: dsl, moduleSpecifier: "@pipewright/dsl" });
  const local = [...file.emission.imports.entries()].sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  for (const [identifier, specifier] of local) sourceFile.addImportDeclaration({ namedImports: [identifier], moduleSpecifier: specifier });

  const from = file.source ? posix.relative(posix.dirname(file.emission.file), file.source) || posix.basename(file.source) : "YAML";
  const header =
    `// Generated by \`pipewright import\` from ${from}.\n` +
    "// Do not edit by hand: change the YAML and import it again (the output is the same every time).\n";
  const imports = sourceFile.getFullText().replace(/\n*$/, "\n");
  const text = `${header}${imports === "\n" ? "" : imports}\n${file.statements.join("\n\n")}\n`;
  project.removeSourceFile(sourceFile);
  return text;
}

/** `azureml:my_train@latest`, `azureml://registries/r/components/compute_metrics/versions/1` -> the component name. */
function referenceName(ref: string): string {
  const registry = /\/components\/([^/]+)/.exec(ref);
  if (registry?.[1]) return registry[1];
  return ref.replace(/^azureml:/, "").replace(/[:@].*$/, "") || "registered";
}

function fileBase(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]+/g, "_").replace(/^[-_]+/, "") || "component";
}

function toDiagnostic(problem: Problem): Diagnostic {
  return diagnostic(problem.blocking ? "PW3117" : "PW3116", problem.message, {
    path: problem.path,
    ...(problem.location ? { location: problem.location } : {}),
  });
}
