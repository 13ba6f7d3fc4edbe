/**
 * Re-running a 200-step pipeline (10 layers of 20, each step writing a small file) when every
 * step can be reused, divided by its first run, in a fresh workspace. Target: at most 0.3x.
 */
import { availableParallelism } from "node:os";
import { benchWorkspace, layeredJob, median } from "./local-support.js";

const job = layeredJob({ layers: 10, width: 20, cmd: (id) => `echo ${id} > \${{outputs.out}}/f` });
const concurrency = availableParallelism();
const ratios: number[] = [];
const lines: string[] = [];
for (let round = 0; round < 3; round++) {
  const ws = benchWorkspace();
  try {
    const first = await ws.run(job, { concurrency });
    const second = await ws.run(job, { concurrency });
    if (first.status !== "completed" || second.status !== "completed") throw new Error(`runs ${first.status}/${second.status}`);
    const reused = ws.workspace.store.listJobs({ limit: 1 })[0];
    const steps = reused ? ws.workspace.store.getSteps(reused.name) : [];
    if (steps.some((s) => !s.reusedFrom)) throw new Error("the second run did not reuse every step");
    ratios.push(second.ms / first.ms);
    lines.push(`first ${(first.ms / 1000).toFixed(2)}s, reused ${(second.ms / 1000).toFixed(2)}s`);
  } finally {
    ws.dispose();
  }
}
const ratio = median(ratios);
console.log(`200-step pipeline re-run with every step reused, concurrency ${concurrency}: ${lines.join("; ")}`);
console.log(`  ratio ${ratio.toFixed(3)}x (median of 3; target <= 0.3x) ${ratio <= 0.3 ? "OK" : "MISSED"}`);
