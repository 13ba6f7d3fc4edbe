import { expect } from "chai";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import {
  BOUND_INPUT_AS_BINDING, FILE_CONTENT_KEY, VERSION_AS_STRING, defineNormalization, parseAzureYaml, semanticDiff,
  yamlFilesDiff, type FileDiffOptions,
} from "./yaml-equal.js";

/** An in-memory file system, so the file comparison is tested without touching the disk. */
function virtualFiles(files: Record<string, string>): FileDiffOptions["readFile"] & {} {
  return (path: string) => {
    const text = files[path];
    if (text === undefined) throw new Error(`ENOENT: ${path}`);
    return text;
  };
}

const trainComponent = `
name: train
type: command
inputs:
  data: {type: uri_folder}
command: python train.py --data \${{inputs.data}}
environment: azureml:sklearn:1
`;

describe("semanticDiff", () => {
  it("treats documents that differ only in key order and comments as equal", () => {
    const a = parse("# a comment\ntype: pipeline\njobs:\n  a: {component: x.yml, type: command}\n");
    const b = parse("jobs:\n  a:\n    type: command   # trailing comment\n    component: x.yml\ntype: pipeline\n");
    expect(semanticDiff(a, b)).to.deep.equal([]);
  });

  it("reports each difference with its path", () => {
    const expected = { type: "pipeline", jobs: { a: { inputs: { x: 1 }, tags: ["t1", "t2"] } }, settings: { force_rerun: true } };
    const actual = { type: "pipeline", jobs: { a: { inputs: { x: 2, y: 3 }, tags: ["t1"] } }, settings: "none" };
    expect(semanticDiff(actual, expected)).to.deep.equal([
      "jobs.a.inputs.x: expected 1, got 2",
      "jobs.a.inputs.y: unexpected key (got 3)",
      "jobs.a.tags: expected 2 items, got 1",
      "settings: expected a mapping (mapping), got \"none\" (string)",
    ]);
  });

  it("reports a missing key and keeps list order significant", () => {
    expect(semanticDiff({ a: [2, 1] }, { a: [1, 2], b: null })).to.deep.equal([
      "a[0]: expected 1, got 2",
      "a[1]: expected 2, got 1",
      "b: missing (expected null)",
    ]);
  });

  it("distinguishes a number from a numeric string unless a normalization says otherwise", () => {
    expect(semanticDiff({ version: 1 }, { version: "1" })).to.deep.equal(['version: expected "1" (string), got 1 (number)']);
    expect(semanticDiff({ version: 1 }, { version: "1" }, { normalizations: [VERSION_AS_STRING] })).to.deep.equal([]);
  });

  it("applies the version normalization only to version keys", () => {
    const diff = semanticDiff({ inputs: { n: 1 } }, { inputs: { n: "1" } }, { normalizations: [VERSION_AS_STRING] });
    expect(diff).to.have.length(1);
  });

  it("reads a bound node input mapping as its binding only when that normalization is listed", () => {
    const mapping = { jobs: { b: { inputs: { d: { type: "uri_folder", path: "${{parent.jobs.a.outputs.o}}" } } } } };
    const bare = { jobs: { b: { inputs: { d: "${{parent.jobs.a.outputs.o}}" } } } };
    expect(semanticDiff(mapping, bare)).to.have.length(1);
    expect(semanticDiff(mapping, bare, { normalizations: [BOUND_INPUT_AS_BINDING] })).to.deep.equal([]);
    const withMode = { jobs: { b: { inputs: { d: { path: "${{parent.jobs.a.outputs.o}}", mode: "direct" } } } } };
    expect(semanticDiff(withMode, bare, { normalizations: [BOUND_INPUT_AS_BINDING] })).to.have.length(1);
  });

  it("gives every built-in normalization a name and a reason", () => {
    for (const normalization of [VERSION_AS_STRING, BOUND_INPUT_AS_BINDING]) {
      expect(normalization.name).to.not.equal("");
      expect(normalization.reason.length).to.be.greaterThan(20);
    }
  });

  it("lets a test define its own normalization", () => {
    const dropSchema = defineNormalization("no $schema", "test only", (value) => {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
      const { $schema: _dropped, ...rest } = value as Record<string, unknown>;
      return rest;
    });
    expect(semanticDiff({ $schema: "x", a: 1 }, { a: 1 }, { normalizations: [dropSchema] })).to.deep.equal([]);
  });

  it("stops after maxDifferences", () => {
    expect(semanticDiff({ a: 1, b: 1, c: 1 }, { a: 2, b: 2, c: 2 }, { maxDifferences: 2 })).to.have.length(2);
  });
});

describe("parseAzureYaml", () => {
  it("reads a bare . as the string \".\", as PyYAML does, and .nan as NaN", () => {
    const doc = parseAzureYaml("code: .\nratio: .nan\n") as { code: unknown; ratio: unknown };
    expect(doc.code).to.equal(".");
    expect(Number.isNaN(doc.ratio)).to.equal(true);
  });

  it("reads unquoted off as a boolean, as Azure's YAML 1.1 loader does", () => {
    expect(semanticDiff(parseAzureYaml("mode: off\n"), parseAzureYaml('mode: "off"\n'))).to.deep.equal([
      'mode: expected "off" (string), got false (boolean)',
    ]);
  });
});

describe("yamlFilesDiff", () => {
  const expectedPipeline = `
type: pipeline
jobs:
  train:
    component: ./train.yml
    inputs: {data: "\${{parent.inputs.raw}}"}
`;
  const actualPipeline = `
type: pipeline
jobs:
  train:
    inputs: {data: "\${{parent.inputs.raw}}"}
    component: ./components/train_component.yml
`;

  it("compares referenced components by content, not by file name", () => {
    const readFile = virtualFiles({
      "/exp/pipeline.yml": expectedPipeline,
      "/exp/train.yml": trainComponent,
      "/act/pipeline.yml": actualPipeline,
      "/act/components/train_component.yml": trainComponent,
    });
    expect(yamlFilesDiff("/act/pipeline.yml", "/exp/pipeline.yml", { readFile })).to.deep.equal([]);
  });

  it("reports a difference inside a referenced component with a path through the reference", () => {
    const readFile = virtualFiles({
      "/exp/pipeline.yml": expectedPipeline,
      "/exp/train.yml": trainComponent,
      "/act/pipeline.yml": actualPipeline,
      "/act/components/train_component.yml": trainComponent.replace("python train.py", "python3 train.py"),
    });
    const diff = yamlFilesDiff("/act/pipeline.yml", "/exp/pipeline.yml", { readFile });
    expect(diff).to.have.length(1);
    expect(diff[0]).to.match(new RegExp(`^jobs\\.train\\.component\\.${FILE_CONTENT_KEY}\\.command: `));
  });

  it("follows nested pipeline components and conda files, and accepts file: references", () => {
    const files = {
      "/exp/pipeline.yml": "type: pipeline\njobs:\n  sub: {type: pipeline, component: ./sub/sub.yml}\n",
      "/exp/sub/sub.yml": "type: pipeline\nname: sub\njobs:\n  t: {component: ../train.yml}\n",
      "/exp/train.yml": "name: t\ncommand: x\nenvironment: {image: python, conda_file: ./conda.yaml}\n",
      "/exp/conda.yaml": "dependencies: [python=3.10]\n",
      "/act/pipeline.yml": "type: pipeline\njobs:\n  sub: {type: pipeline, component: 'file:components/sub.yml'}\n",
      "/act/components/sub.yml": "type: pipeline\nname: sub\njobs:\n  t: {component: ./train.yml}\n",
      "/act/components/train.yml": "name: t\ncommand: x\nenvironment: {image: python, conda_file: envs/c.yml}\n",
      "/act/components/envs/c.yml": "dependencies: [python=3.11]\n",
    };
    const diff = yamlFilesDiff("/act/pipeline.yml", "/exp/pipeline.yml", { readFile: virtualFiles(files) });
    expect(diff).to.deep.equal([
      `jobs.sub.component.${FILE_CONTENT_KEY}.jobs.t.component.${FILE_CONTENT_KEY}.environment.conda_file.${FILE_CONTENT_KEY}` +
        '.dependencies[0]: expected "python=3.10", got "python=3.11"',
    ]);
  });

  it("reports an unreadable reference as a difference instead of throwing", () => {
    const readFile = virtualFiles({
      "/exp/pipeline.yml": expectedPipeline,
      "/exp/train.yml": trainComponent,
      "/act/pipeline.yml": actualPipeline,
    });
    const diff = yamlFilesDiff("/act/pipeline.yml", "/exp/pipeline.yml", { readFile });
    expect(diff.join("\n")).to.contain("jobs.train.component.<missing file>: unexpected key");
  });

  it("does not follow azureml: references and stops at reference cycles", () => {
    const files = {
      "/a/p.yml": "type: pipeline\njobs:\n  x: {component: 'azureml:train:1'}\n  y: {type: pipeline, component: ./c.yml}\n",
      "/a/c.yml": "type: pipeline\njobs:\n  z: {type: pipeline, component: ./c.yml}\n",
    };
    expect(yamlFilesDiff("/a/p.yml", "/a/p.yml", { readFile: virtualFiles(files) })).to.deep.equal([]);
  });

  it("applies normalizations inside referenced files too", () => {
    const readFile = virtualFiles({
      "/exp/pipeline.yml": expectedPipeline,
      "/exp/train.yml": `${trainComponent}version: 1\n`,
      "/act/pipeline.yml": actualPipeline,
      "/act/components/train_component.yml": `${trainComponent}version: "1"\n`,
    });
    expect(yamlFilesDiff("/act/pipeline.yml", "/exp/pipeline.yml", { readFile })).to.have.length(1);
    expect(yamlFilesDiff("/act/pipeline.yml", "/exp/pipeline.yml", { readFile, normalizations: [VERSION_AS_STRING] })).to.deep.equal([]);
  });

  it("finds a corpus pipeline equal to itself and sees a change in one of its components", () => {
    const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
    const folder = resolve(repoRoot, "../shared/azureml/corpus/azureml-examples/cli/jobs/pipelines-with-components/basics/1a_e2e_local_components");
    const pipeline = join(folder, "pipeline.yml");
    expect(yamlFilesDiff(pipeline, pipeline)).to.deep.equal([]);
    // The "actual" side is a virtual copy of the folder whose train component has another display name.
    const readFile = (path: string): string => {
      if (!path.startsWith("/copy/")) return readFileSync(path, "utf8");
      const text = readFileSync(join(folder, path.slice("/copy/".length)), "utf8");
      return path.endsWith("train.yml") ? text.replace(/^display_name: .*$/m, "display_name: Renamed") : text;
    };
    const diff = yamlFilesDiff("/copy/pipeline.yml", pipeline, { readFile });
    expect(diff).to.have.length(1);
    expect(diff[0]).to.match(/^jobs\.train_job\.component\.<file>\.display_name: /);
  });
});
