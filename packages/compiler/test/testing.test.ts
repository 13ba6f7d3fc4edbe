import { expect } from "chai";
import { command, Input, Output, pipeline, uriFolder } from "@pipewright/dsl";
import { Testing } from "@pipewright/compiler/testing";

const step = command({
  name: "step",
  inputs: { data: Input.uriFolder(), n: Input.integer({ default: 1 }) },
  outputs: { out: Output.uriFolder() },
  environment: "azureml:env@latest",
  command: "run ${{inputs.data}} ${{inputs.n}} ${{outputs.out}}",
});

describe("Testing.synth", () => {
  it("gives a user the parsed pipeline job and component files of their pipeline", () => {
    const p = pipeline(
      { name: "t", inputs: { raw: Input.uriFolder() }, outputs: { out: Output.uriFolder() }, settings: { defaultCompute: "azureml:cpu" } },
      ({ raw }) => ({ out: step({ data: raw, n: 3 }).outputs.out }),
    );
    const out = Testing.synth(p.job({ raw: uriFolder("./data") }));
    expect(out.errors).to.deep.equal([]);
    expect(out.pipeline["settings"]).to.deep.equal({ default_compute: "azureml:cpu" });
    const jobs = out.pipeline["jobs"] as Record<string, Record<string, unknown>>;
    expect(jobs["step"]?.["inputs"]).to.deep.include({ n: 3 });
    const componentFiles = Object.keys(out.files).filter((f) => f !== "pipeline.yml");
    expect(componentFiles).to.have.length(1);
    expect(out.files[componentFiles[0] ?? ""]?.["name"]).to.equal("step");
  });

  it("returns the errors and no files for a broken pipeline", () => {
    const p = pipeline({ name: "t", inputs: { raw: Input.uriFolder() } }, () => {
      step({} as never);
    });
    const out = Testing.synth(p.job({ raw: uriFolder("./data") }));
    expect(out.errors.map((d) => d.code)).to.include("PW2001");
    expect(out.files).to.deep.equal({});
  });
});
