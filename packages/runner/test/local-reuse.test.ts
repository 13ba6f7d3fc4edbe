import { command, Input, Output, pipeline } from "@pipewright/dsl";
import { expect } from "chai";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { explainReuse } from "../src/local/explain-reuse.js";
import { testWorkspace, type TestWorkspace } from "./local-helpers.js";

describe("reuse of earlier identical steps", () => {
  let ws: TestWorkspace;
  let data: string;
  beforeEach(() => {
    ws = testWorkspace();
    data = join(ws.dir, "data");
    mkdirSync(data);
    writeFileSync(join(data, "in.txt"), "one");
  });
  afterEach(() => ws.dispose());

  const prep = command({
    name: "prep",
    inputs: { raw: Input.uriFolder(), factor: Input.number({ default: 1 }) },
    outputs: { out: Output.uriFolder() },
    command: "cat ${{inputs.raw}}/in.txt > ${{outputs.out}}/f && echo ${{inputs.factor}} >> ${{outputs.out}}/f && date +%s%N >> ${{outputs.out}}/f",
  });
  const report = command({
    name: "report",
    inputs: { src: Input.uriFolder() },
    outputs: { out: Output.uriFolder() },
    command: "cp ${{inputs.src}}/f ${{outputs.out}}/f",
  });
  const twoSteps = pipeline({ name: "two", inputs: { raw: Input.uriFolder(), factor: Input.number({ default: 1 }) }, outputs: { out: Output.uriFolder() } }, ({ raw, factor }) => {
    const p = prep({ raw, factor });
    return { out: report({ src: p.outputs.out }).outputs.out };
  });

  it("reuses every step of an unchanged second run, marking them reused and pointing at the same outputs", async () => {
    const first = await ws.run(twoSteps.job({ raw: data }));
    const second = await ws.run(twoSteps.job({ raw: data }));
    expect(second.record.status).to.equal("completed");
    const reused = second.events.filter((e) => e.type === "step_reused").map((e) => ("step" in e ? e.step : ""));
    expect(reused).to.deep.equal(["prep", "report"]);
    expect(second.events.some((e) => e.type === "step_started")).to.equal(false);
    expect(second.record.outputs["out"]).to.equal(first.record.outputs["out"]);
    const steps = ws.workspace.store.getSteps(second.record.name);
    expect(steps.map((s) => s.reusedFrom?.job)).to.deep.equal([first.record.name, first.record.name]);
  });

  it("runs again the steps whose input content changed, and --why names the changed input", async () => {
    await ws.run(twoSteps.job({ raw: data }));
    writeFileSync(join(data, "in.txt"), "two");
    const second = await ws.run(twoSteps.job({ raw: data }));
    const started = second.events.filter((e) => e.type === "step_started").map((e) => ("step" in e ? e.step : ""));
    expect(started).to.deep.equal(["prep", "report"]);
    const why = explainReuse(ws.workspace.store, second.record.name, "prep");
    expect(why.reused).to.equal(false);
    expect(why.changes).to.have.length(1);
    expect(why.changes[0]).to.match(/^input 'raw' content changed/);
  });

  it("--why names a changed primitive value with its old and new text", async () => {
    await ws.run(twoSteps.job({ raw: data }));
    const second = await ws.run(twoSteps.job({ raw: data, factor: 2 }));
    const why = explainReuse(ws.workspace.store, second.record.name, "prep");
    expect(why.changes).to.deep.equal(["input 'factor' changed (value number 1 -> value number 2)"]);
    const reused = explainReuse(ws.workspace.store, second.record.name, "report");
    expect(reused.reused).to.equal(false);
    expect(reused.changes[0]).to.match(/^input 'src' content changed/);
  });

  it("--why names a changed command as a component change", async () => {
    const first = pipeline({ name: "cmd" }, () => {
      command({ name: "echoer", outputs: { out: Output.uriFolder() }, command: "echo a > ${{outputs.out}}/f" })();
    });
    const second = pipeline({ name: "cmd" }, () => {
      command({ name: "echoer", outputs: { out: Output.uriFolder() }, command: "echo b > ${{outputs.out}}/f" })();
    });
    await ws.run(first.job());
    const run = await ws.run(second.job());
    const why = explainReuse(ws.workspace.store, run.record.name, "echoer");
    expect(why.changes).to.deep.equal(["the component definition changed (command, ports, version or settings)"]);
  });

  it("does not reuse when the component is not deterministic, force_rerun is set, or --force-rerun is given", async () => {
    const random = command({ name: "random", isDeterministic: false, outputs: { out: Output.uriFolder() }, command: "echo $$ > ${{outputs.out}}/f" });
    const p = pipeline({ name: "nondet" }, () => {
      random();
    });
    await ws.run(p.job());
    const again = await ws.run(p.job());
    expect(again.events.some((e) => e.type === "step_reused")).to.equal(false);
    expect(explainReuse(ws.workspace.store, again.record.name, "random").reason).to.contain("is_deterministic");

    await ws.run(twoSteps.job({ raw: data }));
    const forcedBySetting = await ws.run(twoSteps.job({ raw: data }, { settings: { forceRerun: true } }));
    expect(forcedBySetting.events.some((e) => e.type === "step_reused")).to.equal(false);
    const forcedByFlag = await ws.run(twoSteps.job({ raw: data }), { forceRerun: true });
    expect(forcedByFlag.events.some((e) => e.type === "step_reused")).to.equal(false);
    expect(explainReuse(ws.workspace.store, forcedByFlag.record.name, "prep").reason).to.contain("--force-rerun");
    const output = readFileSync(join(forcedByFlag.record.outputs["out"] as string, "f"), "utf8");
    expect(output.startsWith("one1\n")).to.equal(true);
  });
});
