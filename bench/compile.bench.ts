/**
 * Compiling a generated 1,000- and 10,000-node pipeline (build with the DSL + check + emit),
 * divided by the time the `yaml` library takes to stringify the same output documents, measured
 * in the same run. Targets: each ratio <= 1.5x; time(10k) / time(1k) <= 11.
 */
import { performance } from "node:perf_hooks";
import { command, Input, Output, pipeline, uriFolder, type PipelineJob } from "@pipewright/dsl";
import { compile, yamlText } from "@pipewright/compiler";
import { parse } from "yaml";

const step = command({
  name: "step",
  inputs: { data: Input.uriFolder(), lr: Input.number({ default: 0.1, min: 0, max: 1 }), tag: Input.string({ optional: true }) },
  outputs: { out: Output.uriFolder() },
  environment: "azureml:env@latest",
  code: "./src",
  command: "python step.py --data ${{inputs.data}} --lr ${{inputs.lr}} $[[--tag ${{inputs.tag}}]] --out ${{outputs.out}}",
});

/** A layered DAG: each node reads one node of the previous layer (width 10). */
function build(nodes: number): PipelineJob {
  const big = pipeline(
    { name: "big", inputs: { raw: Input.uriFolder() }, outputs: { result: Output.uriFolder() }, settings: { defaultCompute: "azureml:cpu" } },
    ({ raw }) => {
      const width = 10;
      let previous = Array.from({ length: width }, () => raw as Parameters<typeof step>[0]["data"]);
      let last = step({ data: raw }).outputs.out;
      for (let i = 1; i < nodes; i += width) {
        const layer = [];
        for (let j = 0; j < width && i + j < nodes; j++) {
          const source = previous[(j + 1) % previous.length] ?? raw;
          last = step({ data: source, lr: ((i + j) % 100) / 100 }).outputs.out;
          layer.push(last);
        }
        previous = layer;
      }
      return { result: last };
    },
  );
  return big.job({ raw: uriFolder("./data") });
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
}

function measure(nodes: number, rounds: number): { compileMs: number; yamlMs: number } {
  const compileTimes: number[] = [];
  const yamlTimes: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    const result = compile(build(nodes).model, { outDir: "/tmp/pipewright-bench-out" });
    compileTimes.push(performance.now() - start);
    if (result.documents.length === 0) {
      throw new Error(`compile produced no documents: ${JSON.stringify(result.diagnostics.slice(0, 3))}`);
    }
    // The baseline: the yaml library stringifying the very documents compile produced, with the
    // options the emitter uses (YAML 1.1 quoting, as Azure's PyYAML reads), so it writes the same
    // bytes; checked below, so the baseline cannot drift from what compile does.
    const parsed = result.documents.map((d) => parse(d.content, { version: "1.1" }) as Record<string, unknown>);
    const yamlStart = performance.now();
    const texts = parsed.map((doc) => yamlText(doc));
    yamlTimes.push(performance.now() - yamlStart);
    texts.forEach((text, i) => {
      if (text !== result.documents[i]?.content) throw new Error(`baseline text differs from ${result.documents[i]?.path}`);
    });
  }
  return { compileMs: median(compileTimes), yamlMs: median(yamlTimes) };
}

measure(200, 2); // warm up the JIT
const small = measure(1_000, 5);
const large = measure(10_000, 3);
const r1 = small.compileMs / small.yamlMs;
const r10 = large.compileMs / large.yamlMs;
const scale = large.compileMs / small.compileMs;
const verdict = (ok: boolean) => (ok ? "OK" : "OVER TARGET");
console.log(`1,000 nodes:  compile ${small.compileMs.toFixed(0)} ms, yaml stringify ${small.yamlMs.toFixed(0)} ms, ratio ${r1.toFixed(2)}x (target <= 1.5x) ${verdict(r1 <= 1.5)}`);
console.log(`10,000 nodes: compile ${large.compileMs.toFixed(0)} ms, yaml stringify ${large.yamlMs.toFixed(0)} ms, ratio ${r10.toFixed(2)}x (target <= 1.5x) ${verdict(r10 <= 1.5)}`);
console.log(`scaling time(10k)/time(1k): ${scale.toFixed(2)} (target <= 11) ${verdict(scale <= 11)}`);
