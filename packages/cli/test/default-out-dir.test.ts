import { join } from "node:path";
import { expect } from "chai";
import { defaultOutDir } from "../src/output/default-out-dir.js";

describe("defaultOutDir", () => {
  it("names the folder after the entry file", () => {
    expect(defaultOutDir("/p/pipelines/taxi.ts", "/p")).to.equal(join("/p", "out", "taxi"));
  });

  it("names it after the entry's folder when the file is generically named", () => {
    expect(defaultOutDir("/p/examples/demo/pipeline.ts", "/p")).to.equal(join("/p", "out", "demo"));
    expect(defaultOutDir("/p/jobs/nightly/index.ts", "/work")).to.equal(join("/work", "out", "nightly"));
  });
});
