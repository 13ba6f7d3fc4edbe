/** Cycle detection with a printable path for each cycle (`a -> b -> a`, as Nx prints them). */
import { IndexedNodeGraph, type NodeGraph } from "./node-graph.js";

/**
 * One cycle per strongly connected group of nodes that depend on each other, as a path that
 * ends where it starts (`["a", "b", "a"]`; a node reading its own output gives `["a", "a"]`).
 * Each path is a shortest cycle through the group's first-declared node, and the paths are in
 * the order of those nodes. Iterative (no recursion depth limit), O(V + E).
 */
export function findCycles(graph: NodeGraph): string[][] {
  const g = IndexedNodeGraph.from(graph);
  const component = stronglyConnectedComponents(g);
  const count = g.nodes.length;
  const size = new Int32Array(count);
  for (let i = 0; i < count; i++) size[component[i] as number] = (size[component[i] as number] as number) + 1;
  const reported = new Uint8Array(count);
  const cycles: string[][] = [];
  for (let start = 0; start < count; start++) {
    const group = component[start] as number;
    if (reported[group]) continue;
    const selfLoop = successorsOf(g, start).includes(start);
    if ((size[group] as number) < 2 && !selfLoop) continue;
    reported[group] = 1;
    cycles.push(shortestCycleThrough(g, start, component).map((i) => g.nodes[i] as string));
  }
  return cycles;
}

/** `a -> b -> a`. */
export function formatCyclePath(cycle: readonly string[]): string {
  return cycle.join(" -> ");
}

/** Breadth-first search from `start` back to itself, staying inside its component. */
function shortestCycleThrough(g: IndexedNodeGraph, start: number, component: Int32Array): number[] {
  const group = component[start];
  const parent = new Map<number, number>();
  const queue: number[] = [start];
  for (let head = 0; head < queue.length; head++) {
    const at = queue[head] as number;
    for (const next of successorsOf(g, at)) {
      if (component[next] !== group) continue;
      if (next === start) {
        const backwards = [at];
        for (let step = at; step !== start; ) {
          step = parent.get(step) as number;
          backwards.push(step);
        }
        return [...backwards.reverse(), start];
      }
      if (!parent.has(next)) {
        parent.set(next, at);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

/** Tarjan's algorithm with an explicit stack; returns the component id of every node. */
function stronglyConnectedComponents(g: IndexedNodeGraph): Int32Array {
  const count = g.nodes.length;
  const index = new Int32Array(count).fill(-1);
  const low = new Int32Array(count);
  const onStack = new Uint8Array(count);
  const component = new Int32Array(count).fill(-1);
  const stack: number[] = [];
  const callNode: number[] = [];
  const callEdge: number[] = [];
  let nextIndex = 0;
  let nextComponent = 0;

  for (let root = 0; root < count; root++) {
    if (index[root] !== -1) continue;
    callNode.push(root);
    callEdge.push(g.successorStart[root] as number);
    index[root] = low[root] = nextIndex++;
    stack.push(root);
    onStack[root] = 1;
    while (callNode.length > 0) {
      const depth = callNode.length - 1;
      const v = callNode[depth] as number;
      const e = callEdge[depth] as number;
      if (e < (g.successorStart[v + 1] as number)) {
        callEdge[depth] = e + 1;
        const w = g.successors[e] as number;
        if (index[w] === -1) {
          index[w] = low[w] = nextIndex++;
          stack.push(w);
          onStack[w] = 1;
          callNode.push(w);
          callEdge.push(g.successorStart[w] as number);
        } else if (onStack[w]) {
          low[v] = Math.min(low[v] as number, index[w] as number);
        }
        continue;
      }
      callNode.pop();
      callEdge.pop();
      if (low[v] === index[v]) {
        let w: number;
        do {
          w = stack.pop() as number;
          onStack[w] = 0;
          component[w] = nextComponent;
        } while (w !== v);
        nextComponent++;
      }
      const caller = callNode[callNode.length - 1];
      if (caller !== undefined) low[caller] = Math.min(low[caller] as number, low[v] as number);
    }
  }
  return component;
}

function successorsOf(g: IndexedNodeGraph, v: number): Int32Array {
  return g.successors.subarray(g.successorStart[v] as number, g.successorStart[v + 1] as number);
}
