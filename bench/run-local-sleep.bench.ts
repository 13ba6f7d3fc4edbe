/**
 * A wide DAG of `sleep 1` steps: one root, a layer of 16, one sink, at concurrency 8. The ideal
 * wall time is the critical path at that concurrency: 1 + ceil(16 / 8) + 1 = 4 s. Reported: the
 * executor's wall time divided by the ideal. Target: at most 1.05x.
 */
import { command, Input, Output, pipeline } from "@pipewright/dsl";
import { benchWorkspace } from "./local-support.js";

const width = 16;
const concurrency = 8;
const ideal = (1 + Math.ceil(width / concurrency) + 1) * 1000;

const root = command({ name: "root", outputs: { out: Output.uriFolder() }, command: "sleep 1" });
const middle = command({ name: "middle", inputs: { src: Input.uriFolder(), n: Input.integer() }, outputs: { out: Output.uriFolder() }, command: "sleep 1 # ${{inputs.n}}" });
const sink = command({
  name: "sink",
  inputs: Object.fromEntries(Array.from({ length: width }, (_, i) => [`in${i}`, Input.uriFolder()])),
  command: "sleep 1",
});
const wide = pipeline({ name: "wide" }, () => {
  const r = root();
  const outs = Array.from({ length: width }, (_, n) => middle({ src: r.outputs.out, n }).outputs.out);
  sink(Object.fromEntries(outs.map((out, i) => [`in${i}`, out])) as Parameters<typeof sink>[0]);
});

const ws = benchWorkspace();
try {
  const { ms, status } = await ws.run(wide.job(), { concurrency });
  if (status !== "completed") throw new Error(`run ${status}`);
  const ratio = ms / ideal;
  console.log(`wide DAG of sleep 1 (1 -> ${width} -> 1) at concurrency ${concurrency}: ${(ms / 1000).toFixed(2)}s, ideal ${(ideal / 1000).toFixed(2)}s`);
  console.log(`  ratio ${ratio.toFixed(3)}x (target <= 1.05x) ${ratio <= 1.05 ? "OK" : "MISSED"}`);
} finally {
  ws.dispose();
}
