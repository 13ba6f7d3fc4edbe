/** PW2011: nodes that read each other's outputs in a circle, with the cycle path in the message. */
import { findCycles, formatCyclePath } from "../graph/cycles.js";
import { buildNodeGraph } from "../graph/node-graph.js";
import type { BodyScope, CheckContext } from "./check-context.js";

export function checkNodeCycles(scope: BodyScope, ctx: CheckContext): void {
  const jobs = scope.component.jobs;
  // Without a node_output binding there is no edge, so no cycle: skip building the graph.
  if (!jobs.some((node) => Object.values(node.inputs).some((binding) => binding.kind === "node_output"))) return;
  for (const cycle of findCycles(buildNodeGraph(scope.component))) {
    const first = cycle[0] as string;
    ctx.report(
      "PW2011",
      `nodes of pipeline '${scope.component.name}' depend on each other in a cycle: ${formatCyclePath(cycle)}`,
      `${scope.path}/${first}`,
      scope.nodesByName.get(first)?.location,
    );
  }
}
