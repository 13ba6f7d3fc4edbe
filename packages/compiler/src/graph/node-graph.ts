/**
 * The dependency graph of one pipeline body: an edge `a -> b` when node `b` reads an output of
 * node `a`. Stored as index arrays rather than a general graph library: @dagrejs/graphlib needed
 * about 200 ms to build a 10,000-node graph here, and its recursive topsort/tarjan overflow the
 * stack on a 10,000-node chain. Nothing of the representation leaks into the public types.
 */
import type { NodeModel } from "@pipewright/dsl";

/** A read-only view of a pipeline body's node dependencies. */
export interface NodeGraph {
  /** Node names in declaration order; a repeated name appears once, at its first declaration. */
  readonly nodes: readonly string[];
  has(node: string): boolean;
  /** Nodes whose outputs this node reads, in the order the bindings name them. */
  dependenciesOf(node: string): readonly string[];
  /** Nodes that read an output of this node, in declaration order. */
  dependentsOf(node: string): readonly string[];
}

/** What `buildNodeGraph` needs of a pipeline: its nodes, in declaration order. */
export interface NodeGraphSource {
  readonly jobs: readonly NodeModel[];
}

/** The index form the algorithms work on. Not exported from the package. */
export class IndexedNodeGraph implements NodeGraph {
  readonly nodes: readonly string[];
  /** successors[i]: indices of the nodes reading an output of node i. */
  readonly successors: readonly (readonly number[])[];
  /** predecessors[i]: indices of the nodes node i reads from. */
  readonly predecessors: readonly (readonly number[])[];
  private readonly index: ReadonlyMap<string, number>;

  constructor(
    nodes: readonly string[],
    index: ReadonlyMap<string, number>,
    successors: readonly (readonly number[])[],
    predecessors: readonly (readonly number[])[],
  ) {
    this.nodes = nodes;
    this.index = index;
    this.successors = successors;
    this.predecessors = predecessors;
  }

  indexOf(node: string): number | undefined {
    return this.index.get(node);
  }

  has(node: string): boolean {
    return this.index.has(node);
  }

  dependenciesOf(node: string): readonly string[] {
    const i = this.index.get(node);
    return i === undefined ? [] : (this.predecessors[i] ?? []).map((p) => this.nodes[p] as string);
  }

  dependentsOf(node: string): readonly string[] {
    const i = this.index.get(node);
    return i === undefined ? [] : (this.successors[i] ?? []).map((s) => this.nodes[s] as string);
  }

  /** Any NodeGraph (e.g. a caller's own implementation) in index form. */
  static from(graph: NodeGraph): IndexedNodeGraph {
    if (graph instanceof IndexedNodeGraph) return graph;
    const index = new Map<string, number>();
    graph.nodes.forEach((name, i) => index.set(name, i));
    const successors: number[][] = graph.nodes.map(() => []);
    const predecessors: number[][] = graph.nodes.map(() => []);
    graph.nodes.forEach((name, consumer) => {
      for (const dependency of graph.dependenciesOf(name)) {
        const producer = index.get(dependency);
        if (producer === undefined) continue;
        (predecessors[consumer] as number[]).push(producer);
        (successors[producer] as number[]).push(consumer);
      }
    });
    return new IndexedNodeGraph([...graph.nodes], index, successors, predecessors);
  }
}

/**
 * Builds the dependency graph of a pipeline body from its `node_output` bindings. Bindings to a
 * node that does not exist are left out (the checks report them); nodes sharing a name are one
 * graph node (the checks report the duplicate). Linear in nodes plus bindings.
 */
export function buildNodeGraph(pipeline: NodeGraphSource): NodeGraph {
  const names: string[] = [];
  const index = new Map<string, number>();
  for (const node of pipeline.jobs) {
    if (!index.has(node.name)) {
      index.set(node.name, names.length);
      names.push(node.name);
    }
  }
  const successors: number[][] = names.map(() => []);
  const predecessors: number[][] = names.map(() => []);
  // lastVisit[p] === v when node visit v already added its edge from p: dedupes without a Set.
  const lastVisit = new Int32Array(names.length).fill(-1);
  const seen = new Uint8Array(names.length);
  pipeline.jobs.forEach((node, visit) => {
    const consumer = index.get(node.name) as number;
    // A second node with the same name merges into the first; only then can edges repeat.
    const merging = seen[consumer] === 1;
    seen[consumer] = 1;
    const into = predecessors[consumer] as number[];
    for (const binding of Object.values(node.inputs)) {
      if (binding.kind !== "node_output") continue;
      const producer = index.get(binding.node);
      if (producer === undefined || lastVisit[producer] === visit) continue;
      lastVisit[producer] = visit;
      if (merging && into.includes(producer)) continue;
      into.push(producer);
      (successors[producer] as number[]).push(consumer);
    }
  });
  return new IndexedNodeGraph(names, index, successors, predecessors);
}
