/**
 * 2,000 no-op steps (`true <id>`) in a layered DAG (20 layers of 100, each step reading two steps
 * of the layer before), run by the local executor, divided by `make -j<same concurrency>` running
 * the equivalent generated Makefile, whose recipes run the same command strings through
 * `/bin/sh -c`, in the same run. Target: at most 1.3x.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { benchWorkspace, layeredJob, layeredMakefile, median, spawnFloor } from "./local-support.js";

const shape = { layers: 20, width: 100, cmd: (id: string) => `true ${id}` };
const concurrency = availableParallelism();
const rounds = 3;

const folder = join(import.meta.dirname, ".generated");
mkdirSync(folder, { recursive: true });
const makefile = join(folder, "noop.mk");
writeFileSync(makefile, layeredMakefile(shape));

const job = layeredJob(shape);
const spawnerEnv = process.env["PIPEWRIGHT_BENCH_SPAWNER"];
const spawner = spawnerEnv === "direct" || spawnerEnv === "node-helper" ? spawnerEnv : "helper";
const makeTimes: number[] = [];
const runTimes: number[] = [];
const floorTimes: number[] = [];
for (let round = 0; round < rounds; round++) {
  const start = performance.now();
  execFileSync("make", ["-s", `-j${concurrency}`, "-f", makefile, "all"], { stdio: "inherit" });
  makeTimes.push(performance.now() - start);

  const ws = benchWorkspace();
  try {
    const { ms, status } = await ws.run(job, { concurrency, spawner });
    if (status !== "completed") throw new Error(`run ${status}`);
    runTimes.push(ms);
  } finally {
    ws.dispose();
  }
  floorTimes.push(await spawnFloor(shape.layers * shape.width, concurrency));
}
const make = median(makeTimes);
const floor = median(floorTimes);
const run = median(runTimes);
const ratio = run / make;
console.log(`2,000 no-op steps, concurrency ${concurrency}: pipewright ${(run / 1000).toFixed(2)}s, make ${(make / 1000).toFixed(2)}s (medians of ${rounds})`);
console.log(`  ratio ${ratio.toFixed(2)}x (target <= 1.3x) ${ratio <= 1.3 ? "OK" : "MISSED"}`);
console.log(`  for scale: Node's child_process.spawn alone (same commands, same concurrency, no bookkeeping) ${(floor / 1000).toFixed(2)}s = ${(floor / make).toFixed(2)}x make; pipewright = ${(run / floor).toFixed(2)}x that`);
console.log(`  pipewright runs: ${runTimes.map((t) => (t / 1000).toFixed(2)).join(", ")}s; make runs: ${makeTimes.map((t) => (t / 1000).toFixed(2)).join(", ")}s`);
