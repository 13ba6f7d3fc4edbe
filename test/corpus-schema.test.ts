// Conformance of the compiler's Azure ML schema with Azure's own samples and SDK fixtures in
// ../shared/azureml/corpus: the schema must accept what Azure accepts (not too strict) and
// reject the corpus's negative cases (not too loose).
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parse } from "yaml";
import { corpusFiles, corpusName, corpusRoot } from "./support/corpus-files.js";
import { detectDocumentKind, validateAzureDocument, type AzureDocumentKind, type AzureSchemaKind } from "@pipewright/compiler";

interface CorpusFile {
  readonly path: string;
  /** Relative to the corpus root, with `/` separators. */
  readonly name: string;
  readonly doc: unknown;
  readonly kind: AzureDocumentKind;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const files: CorpusFile[] = corpusFiles.map((path) => {
  const doc: unknown = parse(readFileSync(path, "utf8"));
  return { path, name: corpusName(path), doc, kind: detectDocumentKind(doc) };
});

function ofKind(kind: AzureDocumentKind): CorpusFile[] {
  return files.filter((file) => file.kind === kind);
}

function findFile(suffix: string): CorpusFile {
  const found = files.filter((file) => file.name.endsWith(suffix));
  if (found.length !== 1) throw new Error(`expected one corpus file ending in ${suffix}, found ${found.length}`);
  return found[0] as CorpusFile;
}

/** Local component files that some node (or a pipeline job's `component`) references by path. */
function componentsReferencedByPath(): Set<string> {
  const referenced = new Set<string>();
  const add = (from: CorpusFile, ref: unknown): void => {
    if (typeof ref !== "string" || ref.startsWith("azureml:")) return;
    const local = ref.startsWith("file:") ? ref.slice("file:".length) : ref;
    referenced.add(resolve(dirname(from.path), local));
  };
  for (const file of files) {
    if (!isRecord(file.doc)) continue;
    add(file, file.doc["component"]);
    const jobs = file.doc["jobs"];
    if (!isRecord(jobs)) continue;
    for (const node of Object.values(jobs)) {
      if (isRecord(node)) {
        add(file, node["component"]);
        add(file, node["trial"]);
      }
    }
  }
  return referenced;
}

const referencedByPath = componentsReferencedByPath();

/** The negative cases of the SDK's control-flow fixtures. */
const NEGATIVE_CASES = ["control_flow/do_while/invalid_pipeline.yml", "control_flow/if_else/invalid_binding.yml"];

/**
 * Documented leniency: components Azure loads anonymously because a pipeline references them
 * by path (FIELDS.md §1: name and version are popped with a warning), so the registered-name
 * rule does not apply to them. Each entry says why it needs the leniency.
 */
const ANONYMOUS_ONLY: Readonly<Record<string, string>> = {
  "azureml-examples/cli/jobs/pipelines-with-components/basics/6c_r_iris/component.yml":
    "name r-iris-example has hyphens; 6c_r_iris/pipeline.yml references it by path",
  "azure-sdk-for-python/sdk/ml/azure-ai-ml/tests/test_configs/pipeline_jobs/control_flow/do_while/components/do_while_body.yml":
    "has no name at all; do_while/pipeline.yml references it by path",
};

function nodeTypes(doc: unknown): string[] {
  const jobs = isRecord(doc) ? doc["jobs"] : undefined;
  if (!isRecord(jobs)) return [];
  return Object.values(jobs).map((node) => {
    const type = isRecord(node) ? node["type"] : undefined;
    return typeof type === "string" ? type.toLowerCase() : "command";
  });
}

function failures(list: CorpusFile[], kind: AzureSchemaKind, anonymousWhenReferenced: boolean): string[] {
  const out: string[] = [];
  for (const file of list) {
    const anonymous = anonymousWhenReferenced && referencedByPath.has(file.path);
    const result = validateAzureDocument(file.doc, kind, { anonymous });
    if (!result.ok) out.push(`${file.name}: ${result.issues.map((i) => `${i.path} - ${i.message}`).join("; ")}`);
  }
  return out;
}

describe("the Azure ML schema against the corpus", () => {
  it("finds the corpus beside the repository and classifies its documents", () => {
    expect(files.length, `YAML files under ${corpusRoot}`).to.be.at.least(200);
    expect(ofKind("command_component").length).to.be.at.least(60);
    expect(ofKind("pipeline_component").length).to.be.at.least(5);
    expect(ofKind("pipeline_job").length).to.be.at.least(60);
    expect(ofKind("command_job").length).to.be.at.least(15);
    expect(findFile("basics/hello-pipeline.yml").kind).to.equal("pipeline_job");
    // SDK fixtures without $schema are classified by type and shape.
    expect(findFile("component_with_conditional_output/spec.yaml").kind).to.equal("command_component");
    expect(findFile("parallel_for/simple_pipeline.yml").kind).to.equal("pipeline_job");
    expect(findFile("5c_env_conda_file/conda.yaml").kind).to.equal("other");
  });

  it("accepts every command component (anonymously when a pipeline references it by path)", () => {
    expect(failures(ofKind("command_component"), "command_component", true)).to.deep.equal([]);
  });

  it("accepts every pipeline component (anonymously when a pipeline references it by path)", () => {
    expect(failures(ofKind("pipeline_component"), "pipeline_component", true)).to.deep.equal([]);
  });

  it("accepts every pipeline job made only of command and pipeline nodes", () => {
    const simple = ofKind("pipeline_job").filter(
      (file) => !NEGATIVE_CASES.some((name) => file.name.endsWith(name)) &&
        nodeTypes(file.doc).every((type) => type === "command" || type === "pipeline"),
    );
    expect(simple.length).to.be.at.least(40);
    expect(failures(simple, "pipeline_job", false)).to.deep.equal([]);
  });

  it("accepts the other pipeline jobs too (sweep, parallel, spark, automl and control-flow nodes)", () => {
    const others = ofKind("pipeline_job").filter(
      (file) => !NEGATIVE_CASES.some((name) => file.name.endsWith(name)) &&
        nodeTypes(file.doc).some((type) => type !== "command" && type !== "pipeline"),
    );
    expect(others.length).to.be.at.least(10);
    expect(failures(others, "pipeline_job", false)).to.deep.equal([]);
  });

  it("needs the anonymous leniency only for components referenced by path, as documented", () => {
    const components = [...ofKind("command_component"), ...ofKind("pipeline_component")];
    const needsLeniency = components.filter((file) => {
      const kind = file.kind === "command_component" ? "command_component" : "pipeline_component";
      return !validateAzureDocument(file.doc, kind).ok && validateAzureDocument(file.doc, kind, { anonymous: true }).ok;
    });
    for (const file of needsLeniency) expect(referencedByPath.has(file.path), file.name).to.equal(true);
    for (const name of Object.keys(ANONYMOUS_ONLY)) {
      expect(needsLeniency.map((file) => file.name), ANONYMOUS_ONLY[name]).to.include(name);
    }
  });

  describe("negative cases", () => {
    it("rejects invalid_pipeline.yml at each broken do_while node (schema-level problems)", () => {
      // The file also references components/do_while_body_pipeline_component.yml, which does not
      // exist: a missing file is the loader's problem, not the schema's.
      const result = validateAzureDocument(findFile("do_while/invalid_pipeline.yml").doc, "pipeline_job");
      expect(result.ok).to.equal(false);
      if (result.ok) return;
      expect(result.issues.map((issue) => issue.path)).to.deep.equal([
        "jobs.empty_mapping.mapping", // mapping is required
        "jobs.out_of_range_max_iteration_count.limits.max_iteration_count", // 1001 > 1000
        "jobs.empty_max_iteration_count.limits", // limits.max_iteration_count is required
        "jobs.invalid_max_iteration_count.limits.max_iteration_count", // a binding, not an integer
      ]);
    });

    it("rejects invalid_binding.yml because true_block binds an input, not a node", () => {
      // The form of a node binding (${{parent.jobs.<node>}}) is syntax the schema checks; whether
      // the named node exists is a graph-level check for the compiler.
      const result = validateAzureDocument(findFile("if_else/invalid_binding.yml").doc, "pipeline_job");
      expect(result.ok).to.equal(false);
      if (!result.ok) expect(result.issues.map((issue) => issue.path)).to.deep.equal(["jobs.conditionnode.true_block"]);
    });
  });

  describe("strict mode (files pipewright emits)", () => {
    it("flags the keys Azure silently ignores in the corpus", () => {
      const strictPaths = (suffix: string, kind: AzureSchemaKind): string[] => {
        const result = validateAzureDocument(findFile(suffix).doc, kind, { strict: true, anonymous: true });
        return result.ok ? [] : result.issues.map((issue) => issue.path);
      };
      // A misspelt setting: Azure accepts unknown settings keys silently.
      expect(strictPaths("basics/3a_basic_pipeline/pipeline.yml", "pipeline_job")).to.deep.equal(["settings.default_datestore"]);
      // environment_variables is excluded from components; Azure loads the top level leniently.
      expect(strictPaths("component_with_conditional_output/spec.yaml", "command_component")).to.deep.equal(["environment_variables"]);
    });
  });
});
