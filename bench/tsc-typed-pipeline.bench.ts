/**
 * Type-checking cost of the DSL: `tsc --noEmit` on a generated 500-step typed pipeline, divided
 * by the same file with every component typed as `any` (so no call is checked). Target <= 2.0x.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const work = join(root, "bench", ".generated", "tsc");
const STEPS = 500;
const ROUNDS = 5;

function source(typed: boolean): string {
  const cast = typed ? "" : " as any";
  const lines = [
    `import { command, Input, Output, pipeline, uriFolder } from "@pipewright/dsl";`,
    `const prep = command({ name: "prep", inputs: { raw: Input.uriFolder(), split: Input.number({ default: 0.2 }) }, outputs: { out: Output.uriFolder(), table: Output.mltable() }, environment: "azureml:env@latest", command: "prep \${{inputs.raw}} \${{outputs.out}}" })${cast};`,
    `const train = command({ name: "train", inputs: { data: Input.uriFolder(), table: Input.mltable({ optional: true }), lr: Input.number(), epochs: Input.integer() }, outputs: { model: Output.uriFolder() }, environment: "azureml:env@latest", command: "train \${{inputs.data}} \${{outputs.model}}" })${cast};`,
    `export const big = pipeline({ name: "big", inputs: { raw: Input.uriFolder(), lr: Input.number({ default: 0.1 }) }, outputs: { model: Output.uriFolder() } }, ({ raw, lr }) => {`,
    `  let last = prep({ raw }).outputs.out;`,
  ];
  for (let i = 0; i < STEPS; i++) {
    if (i % 2 === 0) lines.push(`  const p${i} = prep({ raw: last, split: ${(i % 10) / 10} }); last = p${i}.outputs.out;`);
    else lines.push(`  const t${i} = train({ data: last, table: p${i - 1}.outputs.table, lr, epochs: ${i} }); last = t${i}.outputs.model;`);
  }
  lines.push(`  return { model: last };`, `});`, `export const job = big.job({ raw: uriFolder("./data") });`, ``);
  return lines.join("\n");
}

function timeTsc(folder: string): number {
  const start = performance.now();
  const result = spawnSync(join(root, "node_modules", ".bin", "tsc"), ["-p", folder], { encoding: "utf8" });
  const elapsed = performance.now() - start;
  if (result.status !== 0) throw new Error(`tsc failed in ${folder}:\n${result.stdout}${result.stderr}`);
  return elapsed;
}

function prepare(name: string, typed: boolean): string {
  const folder = join(work, name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, "pipeline.ts"), source(typed));
  writeFileSync(
    join(folder, "tsconfig.json"),
    JSON.stringify({ extends: "../../../../tsconfig.base.json", compilerOptions: { noImplicitAny: false }, files: ["pipeline.ts"] }, null, 2),
  );
  return folder;
}

rmSync(work, { recursive: true, force: true });
const typed = prepare("typed", true);
const untyped = prepare("any", false);
timeTsc(typed);
timeTsc(untyped); // warm the file cache for both
const typedTimes: number[] = [];
const anyTimes: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  typedTimes.push(timeTsc(typed));
  anyTimes.push(timeTsc(untyped));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const ratio = median(typedTimes) / median(anyTimes);
console.log(`tsc --noEmit, ${STEPS}-step typed pipeline: ${median(typedTimes).toFixed(0)} ms (median of ${ROUNDS})`);
console.log(`tsc --noEmit, same calls typed as any:      ${median(anyTimes).toFixed(0)} ms`);
console.log(`ratio typed/any: ${ratio.toFixed(2)}x (target <= 2.0x) ${ratio <= 2 ? "OK" : "OVER TARGET"}`);
rmSync(work, { recursive: true, force: true });
