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
    const component = "type: command\nname: c\noutputs:\n  out:\n    type: uri_folder\n    is_control: true\nenvironment: azureml:env@latest\ncommand: x\n";
    const result = generateTypeScript(sources({ "/y/c.yml": component }, "/y/c.yml"), { outDir: "/out", sourceRoot: "/y" });
    expect(result.diagnostics.map((d) => d.code)).to.deep.equal(["PW3116"]);
    expect(result.diagnostics[0]?.message).to.contain("'is_control' on a data output cannot be declared");
    expect(result.diagnostics[0]?.location).to.deep.equal({ file: "/y/c.yml", line: 4, column: 3 });
    expect(result.files[0]?.content).to.contain("outputs: { out: Output.uriFolder() },");
  });

  it("keeps a string input's boolean default, which Azure reads as its text", () => {
    const result = generateTypeScript(sources({ "/y/eval.yml": COMPONENT }, "/y/eval.yml"), { outDir: "/out", sourceRoot: "/y" });
    expect(result.diagnostics).to.deep.equal([]);
    expect(result.files[0]?.content).to.contain("flag: Input.string({ default: true }),");
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

  it("writes a node that runs a registered component as componentRef(...), declaring the ports the pipeline uses", () => {
    const pipeline = [
      "type: pipeline",
      "inputs:",
      "  epochs: 5",
      "outputs:",
      "  model:",
      "    type: mlflow_model",
      "jobs:",
      "  train:",
      "    type: command",
      "    component: azureml:train@latest",
      "    inputs:",
      "      data: {type: uri_folder, path: ./data}",
      "      epochs: ${{parent.inputs.epochs}}",
      "      note: hello",
      "    outputs:",
      "      model: ${{parent.outputs.model}}",
      "  score:",
      "    type: command",
      "    component: azureml://registries/r/components/score/versions/2",
      "    inputs:",
      "      model: ${{parent.jobs.train.outputs.model}}",
      "",
    ].join("\n");
    const result = generateTypeScript(sources({ "/y/p.yml": pipeline }, "/y/p.yml"), { outDir: "/out", sourceRoot: "/y" });
    expect(result.diagnostics).to.deep.equal([]);
    const job = result.files.find((f) => f.kind === "pipeline_job")?.content ?? "";
    expect(job).to.contain('import { Input, Output, componentRef, pipeline, uriFolder } from "@pipewright/dsl";');
    // Inputs typed from what they are bound to; an output from the pipeline output it is bound to.
    expect(job).to.contain(
      'const train = componentRef("azureml:train@latest", {\n' +
        "  inputs: { data: Input.uriFolder(), epochs: Input.integer(), note: Input.string() },\n" +
        "  outputs: { model: Output.mlflowModel() },\n" +
        "});",
    );
    expect(job).to.contain('const score = componentRef("azureml://registries/r/components/score/versions/2", { inputs: { model: Input.mlflowModel() } });');
    expect(job).to.contain('score({ model: train2.outputs.model }, { name: "score" });');
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
