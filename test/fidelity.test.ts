// Fidelity against Azure's own samples (issue 2): each corpus pipeline re-expressed with the DSL
// under examples/azureml/<name>/pipeline.ts compiles to YAML semantically equal to the corpus
// files: the pipeline job and the content of every component it references (never their file
// names), ignoring comments and key order, after the normalizations listed below and no others.
import { expect } from "chai";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parse } from "yaml";
import { compile, validateAzureDocument, type AzureSchemaKind, type CompileResult } from "@pipewright/compiler";
import { isPipelineJob, type PipelineJob } from "@pipewright/dsl";
import {
  FILE_CONTENT_KEY,
  VERSION_AS_STRING,
  defineNormalization,
  loadYamlWithReferences,
  semanticDiff,
  type Normalization,
} from "./support/yaml-equal.js";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const jobsRoot = resolve(repoRoot, "../shared/azureml/corpus/azureml-examples/cli/jobs");

interface FidelityCase {
  /** Folder under examples/azureml/. */
  readonly example: string;
  /** The corpus pipeline job file, relative to cli/jobs. */
  readonly corpus: string;
  /** Normalizations for this case only, each with its reason. */
  readonly extra?: ReadonlyArray<Normalization>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isLocal(value: string): boolean {
  return !/^(?:azureml:|https?:|wasbs?:|abfss?:|git\+|\$\{\{)/.test(value);
}

/**
 * Local paths resolve against the folder of the file holding them (FIELDS.md §1). The example
 * and the corpus sample live in different folders, so each resolved path is compared by where it
 * points inside its own case folder (the example folder or the corpus sample's folder).
 */
function localPathsByCaseFolder(exampleDir: string, corpusDir: string): Normalization {
  return defineNormalization(
    "local paths by their place in the case folder",
    "a local path means the file it resolves to from its own YAML file's folder; the example and the corpus sample " +
      "are different folders holding the same layout",
    (value, site) => {
      if (typeof value !== "string" || site.file === undefined || !isLocal(value)) return value;
      const path = site.path;
      const key = path.at(-1);
      const isPathField =
        (key === "code" && (path.length === 1 || path.at(-3) === "jobs" || path.at(-2) === "component")) ||
        (key === "path" && path.at(-3) === "inputs") ||
        (key === "path" && path.at(-2) === "build") ||
        path.at(-2) === "additional_includes";
      if (!isPathField) return value;
      const absolute = resolve(dirname(site.file), value.replace(/^file:/, ""));
      for (const root of [exampleDir, corpusDir]) {
        const inside = relative(root, absolute);
        if (!inside.startsWith("..")) return `<case>/${inside.split(sep).join("/")}`;
      }
      return absolute;
    },
  );
}

/** Applied to every case. */
const NORMALIZATIONS: ReadonlyArray<Normalization> = [
  VERSION_AS_STRING,
  defineNormalization(
    "runs of spaces in a command",
    "the corpus writes commands as folded (>-) scalars whose lines end in invisible trailing spaces, which fold into " +
      "doubled spaces between shell arguments; the shell splits on any run of spaces, so the commands are the same",
    (value, site) =>
      site.path.at(-1) === "command" && typeof value === "string" ? value.replace(/ {2,}/g, " ").trim() : value,
  ),
  defineNormalization(
    "`type: command` on a command job node",
    "a node without `type` that has a `command` loads as a command job (FIELDS.md §5); pipewright always writes the type",
    (value, site) =>
      site.path.at(-2) === "jobs" && isRecord(value) && value["type"] === undefined && "command" in value
        ? { type: "command", ...value }
        : value,
  ),
];

/**
 * For comparing inline output only: a node's component read from a file is the same component
 * as one written inline, less the `$schema` line that Azure drops from nodes (FIELDS.md §5).
 */
const COMPONENT_FILE_AS_INLINE: Normalization = defineNormalization(
  "a component file's content vs the same component inline",
  "a node's `component:` may be a file or the same mapping inline; Azure drops `$schema` from an inline component",
  (value, site) => {
    if (site.path.at(-1) !== "component" || !isRecord(value)) return value;
    const content = FILE_CONTENT_KEY in value ? value[FILE_CONTENT_KEY] : value;
    if (!isRecord(content)) return value;
    const { $schema: _schema, ...rest } = content;
    return rest;
  },
);

const CASES: ReadonlyArray<FidelityCase> = [
  { example: "1a_e2e_local_components", corpus: "pipelines-with-components/basics/1a_e2e_local_components/pipeline.yml" },
  {
    example: "3a_basic_pipeline",
    corpus: "pipelines-with-components/basics/3a_basic_pipeline/pipeline.yml",
    extra: [
      defineNormalization(
        "the `default_datestore` typo in settings",
        "Azure accepts unknown settings keys and ignores them (FIELDS.md §3), so the misspelt key sets nothing; " +
          "the example does not repeat the typo",
        (value, site) => {
          if (site.path.length !== 1 || site.path[0] !== "settings" || !isRecord(value)) return value;
          const { default_datestore: _ignored, ...rest } = value;
          return rest;
        },
      ),
    ],
  },
  { example: "4b_datastore_datapath_uri", corpus: "pipelines-with-components/basics/4b_datastore_datapath_uri/pipeline.yml" },
  { example: "5c_env_conda_file", corpus: "pipelines-with-components/basics/5c_env_conda_file/pipeline.yml" },
  { example: "6b_pytorch_hello_world", corpus: "pipelines-with-components/basics/6b_pytorch_hello_world/pipeline.yml" },
  { example: "nyc_taxi_data_regression", corpus: "pipelines-with-components/nyc_taxi_data_regression/pipeline.yml" },
  {
    example: "pipeline_with_train_eval_pipeline_component",
    corpus:
      "pipelines-with-components/pipeline_with_pipeline_component/pipeline_with_train_eval_pipeline_component/pipeline.yml",
  },
  { example: "hello-pipeline-io", corpus: "basics/hello-pipeline-io.yml" },
  { example: "hello-pipeline-settings", corpus: "basics/hello-pipeline-settings.yml" },
];

async function exportedJob(file: string): Promise<PipelineJob> {
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const jobs = Object.values(module).filter(isPipelineJob);
  expect(jobs, `${file} exports exactly one pipeline job`).to.have.length(1);
  return jobs[0] as PipelineJob;
}

/** Reads emitted documents from memory (nothing is written), anything else from disk. */
function virtualReader(outDir: string, result: CompileResult): (path: string) => string {
  const files = new Map(result.documents.map((document) => [resolve(outDir, document.path), document.content]));
  return (path) => files.get(resolve(path)) ?? readFileSync(path, "utf8");
}

const SCHEMA_KINDS: Readonly<Record<string, AzureSchemaKind>> = {
  pipeline_job: "pipeline_job",
  command_component: "command_component",
  pipeline_component: "pipeline_component",
};

describe("fidelity: the corpus pipelines re-expressed with the DSL", () => {
  for (const fidelityCase of CASES) {
    describe(fidelityCase.example, () => {
      const exampleDir = join(repoRoot, "examples/azureml", fidelityCase.example);
      const corpusFile = join(jobsRoot, fidelityCase.corpus);
      // A folder next to the example that is never written: compile is pure.
      const outDir = join(exampleDir, "out");
      let job: PipelineJob;
      let result: CompileResult;

      before(async () => {
        job = await exportedJob(join(exampleDir, "pipeline.ts"));
        result = compile(job.model, { outDir });
      });

      it("compiles without errors", () => {
        expect(existsSync(corpusFile), corpusFile).to.equal(true);
        expect(result.diagnostics.filter((d) => d.severity === "error")).to.deep.equal([]);
        expect(result.documents.map((d) => d.path)).to.include("pipeline.yml");
      });

      it("emits YAML semantically equal to the corpus pipeline and the components it references", () => {
        const normalizations = [
          ...NORMALIZATIONS,
          ...(fidelityCase.extra ?? []),
          localPathsByCaseFolder(exampleDir, dirname(corpusFile)),
        ];
        const actual = loadYamlWithReferences(join(outDir, "pipeline.yml"), {
          normalizations,
          readFile: virtualReader(outDir, result),
        });
        const expected = loadYamlWithReferences(corpusFile, { normalizations });
        expect(semanticDiff(actual, expected)).to.deep.equal([]);
      });

      it("emits the same content with components inline (--inline)", () => {
        const inline = compile(job.model, { outDir, inline: true });
        expect(inline.diagnostics.filter((d) => d.severity === "error")).to.deep.equal([]);
        const normalizations = [
          ...NORMALIZATIONS,
          ...(fidelityCase.extra ?? []),
          localPathsByCaseFolder(exampleDir, dirname(corpusFile)),
        ];
        const actual = loadYamlWithReferences(join(outDir, "pipeline.yml"), {
          normalizations,
          readFile: virtualReader(outDir, inline),
        });
        const expected = loadYamlWithReferences(corpusFile, { normalizations });
        expect(semanticDiff(actual, expected, { normalizations: [COMPONENT_FILE_AS_INLINE] })).to.deep.equal([]);
      });

      it("emits only files that pass the strict Azure ML schema and start with their $schema line, in both modes", () => {
        for (const document of [...result.documents, ...compile(job.model, { outDir, inline: true }).documents]) {
          expect(document.content, document.path).to.match(/^\$schema: https:\/\/azuremlschemas\.azureedge\.net\/latest\/\w+\.schema\.json\n/);
          const kind = SCHEMA_KINDS[document.kind];
          expect(kind, `${document.path} has a schema kind`).to.not.equal(undefined);
          const validation = validateAzureDocument(parse(document.content), kind as AzureSchemaKind, { strict: true });
          expect(validation.ok ? [] : validation.issues, document.path).to.deep.equal([]);
        }
      });

      it("compiles to byte-identical documents every time", () => {
        const again = compile(job.model, { outDir });
        expect(again.documents).to.deep.equal(result.documents);
      });
    });
  }
});
