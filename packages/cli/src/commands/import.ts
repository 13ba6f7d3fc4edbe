/**
 * `pipewright import <component.yml | pipeline.yml | folder> --out DIR [--json]`: Azure ML YAML
 * in, DSL TypeScript out. Each component becomes a typed component (components/<name>.ts) and
 * each pipeline job a pipeline that compiles back to the same YAML. Files are written one by one
 * (existing files beside them are left alone); importing again rewrites them byte for byte.
 */
import { mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { stringOption, booleanOption, UsageError, type CommandContext, type CommandDefinition, type ParsedCommandLine } from "../command.js";
import { EXIT } from "../exit-codes.js";

export const command: CommandDefinition = {
  name: "import",
  help: `Usage: pipewright import <component.yml | pipeline.yml | folder> --out DIR [--json]

Generates TypeScript that uses the pipewright DSL from Azure ML YAML: every command and
pipeline component becomes a typed component in DIR/components/<name>.ts (its inputs and
outputs are typed ports, so mis-wiring it is a compile error), and every pipeline job becomes
DIR/<file name>.ts exporting the pipeline and \`job\`, which compiles back to the same YAML.
A folder is searched for YAML files; files that are not jobs or components are skipped.
Whatever the DSL cannot express is reported (PW3116 left out, PW3117 not generated).

Options:
  --out DIR   Folder to write the TypeScript into (created if needed; other files are kept)
  --json      Print one JSON object: { "diagnostics": [...], "files": [{ "path", "kind" }] }

Exit codes: 0 written, 1 some file could not be loaded or generated, 2 wrong command line.`,
  options: {
    out: { type: "string", short: "o" },
    json: { type: "boolean" },
  },
  run: runImport,
};

async function runImport(args: ParsedCommandLine, context: CommandContext): Promise<number> {
  const [target, ...rest] = args.positionals;
  if (target === undefined) throw new UsageError("missing the YAML file or folder to import, e.g. 'pipewright import pipeline.yml --out src/imported'");
  if (rest.length) throw new UsageError(`expected one file or folder, got ${args.positionals.length}: ${args.positionals.join(" ")}`);
  const out = stringOption(args.values, "out");
  if (out === undefined) throw new UsageError("missing --out DIR: the folder to write the TypeScript into");
  const source = resolve(context.cwd, target);
  let isFolder: boolean;
  try {
    isFolder = statSync(source).isDirectory();
  } catch {
    throw new UsageError(`${target} does not exist`);
  }
  const outDir = resolve(context.cwd, out);

  const { generateTypeScript, loadYamlDocument } = await import("@pipewright/compiler");
  const { fileSystemHost } = await import("../entry/yaml-entry.js");
  const { countSummary, displayPath, printDiagnostics, printJson, relativeDiagnostics } = await import("../report.js");

  const files = isFolder ? yamlFiles(source, outDir) : [source];
  const diagnostics = [];
  const sources = [];
  for (const file of files) {
    const loaded = loadYamlDocument(file, fileSystemHost);
    // In a folder, conda files, environments and the like are simply not imported.
    if (isFolder && !loaded.document && loaded.diagnostics.every((d) => d.code === "PW3105")) continue;
    diagnostics.push(...loaded.diagnostics);
    if (loaded.document && !loaded.diagnostics.some((d) => d.severity === "error")) sources.push({ file, document: loaded.document });
  }
  const generated = generateTypeScript(sources, { outDir, sourceRoot: isFolder ? source : dirname(source) });
  diagnostics.push(...generated.diagnostics);
  for (const file of generated.files) {
    const path = join(outDir, ...file.path.split("/"));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content);
  }
  const failed = diagnostics.some((d) => d.severity === "error");
  const written = generated.files.map((file) => ({ path: displayPath(join(outDir, ...file.path.split("/")), context.cwd), kind: file.kind }));

  if (booleanOption(args.values, "json")) {
    printJson({ diagnostics: relativeDiagnostics(diagnostics, context.cwd), files: written }, context);
    return failed ? EXIT.failed : EXIT.ok;
  }
  printDiagnostics(diagnostics, context);
  const from = displayPath(source, context.cwd);
  if (written.length === 0) {
    context.stderr.write(`\nNothing was imported from ${from}${diagnostics.length ? ` (${countSummary(diagnostics)})` : ": no pipeline job or component found"}.\n`);
    return EXIT.failed;
  }
  const summary = diagnostics.length ? ` with ${countSummary(diagnostics)}` : "";
  context.stdout.write(`Imported ${from}${summary} into ${displayPath(outDir, context.cwd)}:\n`);
  const width = Math.max(...written.map((file) => file.path.length));
  for (const file of written) context.stdout.write(`  ${file.path.padEnd(width)}  ${file.kind}\n`);
  return failed ? EXIT.failed : EXIT.ok;
}

/** YAML files under `folder`, sorted; hidden folders, node_modules and the output folder are skipped. */
function yamlFiles(folder: string, outDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (entry.startsWith(".") || entry === "node_modules" || path === outDir) continue;
      let stats;
      try {
        stats = statSync(path);
      } catch {
        continue;
      }
      if (stats.isDirectory()) walk(path);
      else if (/\.ya?ml$/i.test(entry)) out.push(path);
    }
  };
  walk(folder);
  return out;
}
