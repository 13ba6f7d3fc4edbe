// `pipewright import` (issue 3): every corpus component folder imports to TypeScript that
// type-checks under the project's strict settings (and mis-wiring a generated component is a
// type error); importing twice gives byte-identical files; and every corpus pipeline made only
// of command and pipeline nodes compiles back to YAML equal to the source, none skipped.
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import {
  compile,
  generateTypeScript,
  loadYamlDocument,
  type GeneratedFile,
  type ImportSource,
} from "@pipewright/compiler";
import { isPipelineJob, type ComponentModel, type NodeModel, type PipelineComponentModel, type PipelineJob } from "@pipewright/dsl";
import { corpusFiles, corpusName, corpusRoot, fsHost, repoRoot } from "./support/corpus-files.js";
import { VERSION_AS_STRING, LOCAL_PATHS_RESOLVED, defineNormalization, loadYamlWithReferences, semanticDiff, type Normalization, EMPTY_TAGS_AS_NONE } from "./support/yaml-equal.js";

/** Excluded from the root tsconfig (test/fixtures/** /_tmp/**), removed after the run. */
const tmpRoot = join(repoRoot, "test/fixtures/import/_tmp", `run-${process.pid}`);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Every job/component file of the corpus that loads without errors, grouped by folder. */
function loadable(): Map<string, ImportSource[]> {
  const byFolder = new Map<string, ImportSource[]>();
  for (const file of corpusFiles) {
    const result = loadYamlDocument(file, fsHost());
    if (!result.document || result.diagnostics.some((d) => d.severity === "error")) continue;
    const folder = dirname(file);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), { file, document: result.document }]);
  }
  return byFolder;
}

function writeProject(root: string, files: readonly GeneratedFile[]): void {
  for (const file of files) {
    const path = join(root, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content);
  }
}

function typeCheck(root: string): string {
  writeFileSync(
    join(root, "tsconfig.json"),
    JSON.stringify({ extends: relative(root, join(repoRoot, "tsconfig.base.json")), include: ["**/*.ts"] }, null, 2),
  );
  try {
    execFileSync(join(repoRoot, "node_modules/.bin/tsc"), ["-p", join(root, "tsconfig.json")], { encoding: "utf8", stdio: "pipe" });
    return "";
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string };
    return `${failure.stdout ?? ""}${failure.stderr ?? ""}`;
  }
}

function nodesOf(component: ComponentModel, seen = new Set<ComponentModel>()): NodeModel[] {
  if (component.type !== "pipeline" || seen.has(component)) return [];
  seen.add(component);
  return (component as PipelineComponentModel).jobs.flatMap((node) =>
    "ref" in node.component ? [node] : [node, ...nodesOf(node.component as ComponentModel, seen)],
  );
}

/** The normalizations for import -> compile, each with its reason. */
const NORMALIZATIONS: readonly Normalization[] = [
  VERSION_AS_STRING,
  defineNormalization(
    "$schema of a document",
    "the compiler writes the current schema URL of each kind; the corpus spells it several ways and Azure ML does not read it",
    (value, site) => {
      if (site.path.length !== 0 || !isRecord(value) || !("$schema" in value)) return value;
      const { $schema: _schema, ...rest } = value;
      return rest;
    },
  ),
  EMPTY_TAGS_AS_NONE,
  defineNormalization(
    "`type: command` on a node without a type",
    "a node without `type` loads as a command node (FIELDS.md §5); pipewright always writes the type",
    (value, site) =>
      site.path.length === 2 && site.path[0] === "jobs" && isRecord(value) && value["type"] === undefined
        ? { type: "command", ...value }
        : value,
  ),
  defineNormalization(
    "the `default_datestore` typo in settings",
    "Azure accepts unknown settings keys and ignores them (FIELDS.md §3); the DSL has no field for a misspelt key, " +
      "and import reports it (PW3116)",
    (value, site) => {
      if (site.path.length !== 1 || site.path[0] !== "settings" || !isRecord(value)) return value;
      const { default_datestore: _ignored, ...rest } = value;
      return rest;
    },
  ),
  defineNormalization(
    "the name of a component file referenced by path",
    "Azure loads a component referenced by path as anonymous and ignores its name (FIELDS.md §1); import writes a " +
      "hyphenated name such as r-iris-example as r_iris_example so the compiler's name rule holds (PW3116 says so)",
    (value, site) =>
      site.path.length === 1 && site.path[0] === "name" && typeof value === "string" && site.file !== undefined && /-/.test(value)
        ? value.replace(/-/g, "_")
        : value,
  ),
  LOCAL_PATHS_RESOLVED,
];

/** PW3116 warnings whose difference a listed normalization above accounts for. */
const NORMALIZED_GAPS: readonly RegExp[] = [/^'default_datestore' has no DSL field/, /^component name '.*' is not lowercase/];

describe("pipewright import: generated TypeScript", function () {
  this.timeout(300_000);
  const folders = loadable();
  const generated = new Map<string, { files: readonly GeneratedFile[]; blocked: string[] }>();

  before(() => {
    rmSync(tmpRoot, { recursive: true, force: true });
    for (const [folder, sources] of folders) {
      const name = relative(corpusRoot, folder).replace(/[^A-Za-z0-9]+/g, "_");
      const outDir = join(tmpRoot, name);
      const result = generateTypeScript(sources, { outDir, sourceRoot: folder });
      writeProject(outDir, result.files);
      generated.set(folder, { files: result.files, blocked: result.diagnostics.filter((d) => d.code === "PW3117").map((d) => d.message) });
    }
  });

  after(() => {
    rmSync(tmpRoot, { recursive: true, force: true });
  });

  it("generates a typed component for every command and pipeline component the corpus defines", () => {
    let components = 0;
    for (const { files } of generated.values()) components += files.filter((f) => f.kind !== "pipeline_job").length;
    expect(components).to.be.greaterThan(80);
  });

  it("starts every file with a header naming the YAML it came from", () => {
    for (const { files } of generated.values()) {
      for (const file of files) expect(file.content, file.path).to.match(/^\/\/ Generated by `pipewright import` from \S+\.ya?ml\.\n/);
    }
  });

  it("generates byte-identical files when the same YAML is imported again", () => {
    for (const [folder, sources] of folders) {
      const again = generateTypeScript(sources, { outDir: join(tmpRoot, relative(corpusRoot, folder).replace(/[^A-Za-z0-9]+/g, "_")), sourceRoot: folder });
      expect(again.files, folder).to.deep.equal(generated.get(folder)?.files);
    }
  });

  it("type-checks every imported corpus folder under the project's strict settings, and mis-wiring an imported component is a type error", () => {
    const miswire = join(tmpRoot, "miswire.ts");
    const train = join(tmpRoot, "azureml_examples_cli_jobs_pipelines_with_components_basics_1a_e2e_local_components/components/train.js");
    writeFileSync(
      miswire,
      [
        `import { pipeline, mltable } from "@pipewright/dsl";`,
        `import { train } from "${"./" + relative(tmpRoot, train).split("\\").join("/")}";`,
        `export const wrong = pipeline({ name: "wrong" }, () => {`,
        `  // @ts-expect-error an mltable is not the uri_folder that training_data takes`,
        `  train({ training_data: mltable("./x"), max_epocs: 3 });`,
        `  // @ts-expect-error max_epocs is an integer input, not a string`,
        `  train({ training_data: mltable("./x") as never, max_epocs: "3" });`,
        `  // @ts-expect-error the required input max_epocs is missing`,
        `  train({ training_data: mltable("./x") as never });`,
        `});`,
        "",
      ].join("\n"),
    );
    expect(typeCheck(tmpRoot)).to.equal("");
  });

  describe("import -> compile equals the source", () => {
    const pipelines = corpusFiles.filter((file) => {
      const result = loadYamlDocument(file, fsHost());
      const document = result.document;
      if (!document || document.kind !== "pipeline_job" || result.diagnostics.some((d) => d.severity === "error")) return false;
      return nodesOf(document.model.pipeline).every((node) => node.type === "command" || node.type === "pipeline");
    });

    it("finds the corpus pipelines made only of command and pipeline nodes", () => {
      expect(pipelines.length).to.be.greaterThan(30);
    });

    for (const file of pipelines) {
      it(`${corpusName(file)}`, async function () {
        const folder = dirname(file);
        const loaded = loadYamlDocument(file, fsHost());
        if (!loaded.document) throw new Error("no document");
        const outDir = join(tmpRoot, "compile-back", corpusName(file).replace(/[^A-Za-z0-9]+/g, "_"));
        const result = generateTypeScript([{ file, document: loaded.document }], { outDir, sourceRoot: folder });
        const gaps = result.diagnostics.filter((d) => d.code === "PW3117" || (d.code === "PW3116" && !NORMALIZED_GAPS.some((gap) => gap.test(d.message))));
        const jobFile = result.files.find((f) => f.kind === "pipeline_job");
        // Import says what it could not express (PW3116/PW3117) instead of guessing; for these pipelines, nothing.
        expect(gaps.map((d) => `${d.code} ${d.message}`), "what import could not express").to.deep.equal([]);
        if (!jobFile) throw new Error("no pipeline file although nothing blocked it");
        writeProject(outDir, result.files);
        const module = (await import(pathToFileURL(join(outDir, jobFile.path)).href)) as Record<string, unknown>;
        const job = module["job"];
        expect(isPipelineJob(job), "exports `job`").to.equal(true);
        const compiled = compile((job as PipelineJob).model, { outDir: folder });
        expect(compiled.diagnostics.filter((d) => d.severity === "error"), "compiles without errors").to.deep.equal([]);
        const virtual = new Map(compiled.documents.map((d) => [resolve(folder, d.path), d.content]));
        const read = (path: string) => virtual.get(resolve(path)) ?? readFileSync(path, "utf8");
        const actual = loadYamlWithReferences(join(folder, "pipeline.yml"), { normalizations: NORMALIZATIONS, readFile: read });
        const expected = loadYamlWithReferences(file, { normalizations: NORMALIZATIONS });
        expect(semanticDiff(actual, expected)).to.deep.equal([]);
      });
    }
  });
});
