/** Topological order of a node graph: what the runner schedules by and the emitter may list by. */
import { findCycles, formatCyclePath } from "./cycles.js";
import { IndexedNodeGraph, type NodeGraph } from "./node-graph.js";

/** Thrown by `topologicalOrder` when nodes depend on each other in a circle. */
export class NodeCycleError extends Error {
  /** Each cycle as a path that ends where it starts: `["a", "b", "a"]`. */
  readonly cycles: readonly (readonly string[])[];

  constructor(cycles: readonly (readonly string[])[]) {
    super(`the pipeline's nodes form a cycle: ${cycles.map(formatCyclePath).join("; ")}`);
    this.name = "NodeCycleError";
    this.cycles = cycles;
  }
}

/**
 * Every node after the nodes it reads from. Among nodes that are ready at the same time the one
 * declared first comes first, so a body declared in dependency order (as the DSL builds it)
 * keeps its declaration order. Returns undefined when there is a cycle. O((V + E) log V).
 */
export function tryTopologicalOrder(graph: NodeGraph): readonly string[] | undefined {
  const g = IndexedNodeGraph.from(graph);
  const count = g.nodes.length;
  const waiting = new Int32Array(count);
  const heap = new MinHeap(count);
  for (let i = 0; i < count; i++) {
    waiting[i] = (g.predecessorStart[i + 1] as number) - (g.predecessorStart[i] as number);
    if (waiting[i] === 0) heap.push(i);
  }
  const order: string[] = [];
  while (heap.size > 0) {
    const next = heap.pop();
    order.push(g.nodes[next] as string);
    for (let e = g.successorStart[next] as number; e < (g.successorStart[next + 1] as number); e++) {
      const successor = g.successors[e] as number;
      waiting[successor] = (waiting[successor] as number) - 1;
      if (waiting[successor] === 0) heap.push(successor);
    }
  }
  return order.length === count ? order : undefined;
}

/** Like `tryTopologicalOrder`, but throws a `NodeCycleError` naming the cycles. */
export function topologicalOrder(graph: NodeGraph): readonly string[] {
  const order = tryTopologicalOrder(graph);
  if (order === undefined) throw new NodeCycleError(findCycles(graph));
  return order;
}

/** A binary min-heap of node indices (declaration order). */
class MinHeap {
  private readonly items: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.items = new Int32Array(Math.max(capacity, 1));
  }

  push(value: number): void {
    const items = this.items;
    let at = this.size++;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      const above = items[parent] as number;
      if (above <= value) break;
      items[at] = above;
      at = parent;
    }
    items[at] = value;
  }

  pop(): number {
    const items = this.items;
    const top = items[0] as number;
    const last = items[--this.size] as number;
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= this.size) break;
      const right = left + 1;
      const child = right < this.size && (items[right] as number) < (items[left] as number) ? right : left;
      if ((items[child] as number) >= last) break;
      items[at] = items[child] as number;
      at = child;
    }
    items[at] = last;
    return top;
  }
}
