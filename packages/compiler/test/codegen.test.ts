import { expect } from "chai";
import { generateTypeScript, loadYamlDocument, type ImportSource } from "../src/index.js";
import { memoryHost } from "./load/memory-host.js";

function sources(files: Record<string, string>, ...paths: string[]): ImportSource[] {
  const host = memoryHost(files);
  return paths.map((file) => {
    const loaded = loadYamlDocument(file, host);
    if (!loaded.document) throw new Error(`${file}: ${loaded.diagnostics.map((d) => d.message).join("; ")}`);
    return { file, document: loaded.document };
  });
}

const COMPONENT = `type: command
name: eval
version: 1
inputs:
  data:
    type: uri_folder
  ratio:
    type: number
    default: 0.5
    min: 0
    max: 1
  flag:
    type: string
    default: true
outputs:
  report:
    type: uri_folder
code: ./src
environment: azureml:env@latest
command: python eval.py --data \${{inputs.data}} \${{inputs.ghost}} \`x\` --report \${{outputs.report}}
`;

describe("import code generation", () => {
  it("writes a command component with typed ports and a command built from them", () => {
    const result = generateTypeScript(sources({ "/y/eval.yml": COMPONENT }, "/y/eval.yml"), { outDir: "/out", sourceRoot: "/y" });
    const file = result.files[0];
    expect(file?.path).to.equal("components/eval.ts");
    expect(file?.content).to.contain('import { Input, Output, command } from "@pipewright/dsl";');
    // `eval` is reserved, so the export gets a suffix.
    expect(file?.content).to.contain("export const evalComponent = command({");
    expect(file?.content).to.contain("ratio: Input.number({ default: 0.5, min: 0, max: 1 }),");
    expect(file?.content).to.contain('code: "../../y/src",');
    // Declared ports become typed references; an undeclared one stays literal text, escaped.
    expect(file?.content).to.contain("`python eval.py --data ${inputs.data} \\${{inputs.ghost}} \\`x\\` --report ${outputs.report}`");
  });

  it("leaves out what the DSL cannot declare, with a PW3116 warning at the port", () => {
    const result = generateTypeScript(sources({ "/y/eval.yml": COMPONENT }, "/y/eval.yml"), { outDir: "/out", sourceRoot: "/y" });
    expect(result.diagnostics.map((d) => d.code)).to.deep.equal(["PW3116"]);
    expect(result.diagnostics[0]?.message).to.contain("the default true is not a string value");
    expect(result.diagnostics[0]?.location).to.deep.equal({ file: "/y/eval.yml", line: 12, column: 3 });
    expect(result.files[0]?.content).to.contain("flag: Input.string(),");
  });

  it("orders nodes so each comes after the nodes it reads, and names nodes after themselves", () => {
    const pipeline = `type: pipeline
jobs:
  second:
    type: command
    component: ./eval.yml
    inputs:
      data: \${{parent.jobs.first.outputs.report}}
  first:
    type: command
    component: ./eval.yml
    inputs:
      data:
        type: uri_folder
        path: ./data
`;
    const result = generateTypeScript(sources({ "/y/p.yml": pipeline, "/y/eval.yml": COMPONENT }, "/y/p.yml"), { outDir: "/out", sourceRoot: "/y" });
    const job = result.files.find((f) => f.kind === "pipeline_job")?.content ?? "";
    expect(job.indexOf("const first = evalComponent(")).to.be.greaterThan(0);
    expect(job.indexOf("const first")).to.be.lessThan(job.indexOf("evalComponent({ data: first.outputs.report }"));
    expect(job).to.contain('data: uriFolder("../y/data")');
    expect(job).to.contain("export const job = p.job();");
  });

  it("refuses a pipeline whose node runs a registered component, saying which (PW3117), and writes no file for it", () => {
    const pipeline = "type: pipeline\njobs:\n  a:\n    type: command\n    component: azureml:train@latest\n";
    const result = generateTypeScript(sources({ "/y/p.yml": pipeline }, "/y/p.yml"), { outDir: "/out", sourceRoot: "/y" });
    expect(result.files).to.deep.equal([]);
    expect(result.diagnostics.map((d) => d.code)).to.deep.equal(["PW3117"]);
    expect(result.diagnostics[0]?.location).to.deep.equal({ file: "/y/p.yml", line: 3, column: 3 });
  });

  it("gives one file per component definition, however many pipelines use it, and the same bytes every time", () => {
    const files = {
      "/y/a.yml": "type: pipeline\njobs:\n  n:\n    component: ./eval.yml\n    inputs:\n      data: {type: uri_folder, path: .}\n",
      "/y/b.yml": "type: pipeline\njobs:\n  m:\n    component: ./eval.yml\n    inputs:\n      data: {type: uri_folder, path: .}\n",
      "/y/eval.yml": COMPONENT,
    };
    const first = generateTypeScript(sources(files, "/y/a.yml", "/y/b.yml", "/y/eval.yml"), { outDir: "/out", sourceRoot: "/y" });
    expect(first.files.map((f) => f.path)).to.deep.equal(["a.ts", "b.ts", "components/eval.ts"]);
    const again = generateTypeScript(sources(files, "/y/eval.yml", "/y/b.yml", "/y/a.yml"), { outDir: "/out", sourceRoot: "/y" });
    expect(again.files).to.deep.equal(first.files);
  });
});
