/** PW2011: nodes that read each other's outputs in a circle, with the cycle path in the message. */
import { findCycles, formatCyclePath } from "../graph/cycles.js";
import { buildIndexedGraph } from "../graph/node-graph.js";
import { findNode, type BodyScope, type CheckContext } from "./check-context.js";

export function checkNodeCycles(scope: BodyScope, ctx: CheckContext): void {
  for (const cycle of findCycles(buildIndexedGraph(scope.component.jobs, scope.nodes))) {
    const first = cycle[0] as string;
    ctx.report(
      "PW2011",
      `nodes of pipeline '${scope.component.name}' depend on each other in a cycle: ${formatCyclePath(cycle)}`,
      `${scope.path}/${first}`,
      findNode(scope, first)?.location,
    );
  }
}
