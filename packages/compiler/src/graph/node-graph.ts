/**
 * The dependency graph of one pipeline body: an edge `a -> b` when node `b` reads an output of
 * node `a`. Stored as compressed index arrays rather than in a general graph library:
 * @dagrejs/graphlib needed about 200 ms to build a 10,000-node graph here, and its recursive
 * topsort/tarjan overflow the stack on a 10,000-node chain. Nothing of the representation leaks
 * into the public types.
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

/**
 * The index form the algorithms work on (not exported from the package). Node i's successors
 * are `successors[successorStart[i] .. successorStart[i + 1])`; likewise for predecessors.
 */
export class IndexedNodeGraph implements NodeGraph {
  constructor(
    readonly nodes: readonly string[],
    private readonly index: ReadonlyMap<string, number>,
    readonly successorStart: Int32Array,
    readonly successors: Int32Array,
    readonly predecessorStart: Int32Array,
    readonly predecessors: Int32Array,
  ) {}

  has(node: string): boolean {
    return this.index.has(node);
  }

  dependenciesOf(node: string): readonly string[] {
    const i = this.index.get(node);
    return i === undefined ? [] : this.names(this.predecessors, this.predecessorStart, i);
  }

  dependentsOf(node: string): readonly string[] {
    const i = this.index.get(node);
    return i === undefined ? [] : this.names(this.successors, this.successorStart, i);
  }

  private names(targets: Int32Array, start: Int32Array, i: number): string[] {
    const out: string[] = [];
    for (let e = start[i] as number; e < (start[i + 1] as number); e++) out.push(this.nodes[targets[e] as number] as string);
    return out;
  }

  /** Any NodeGraph (e.g. a caller's own implementation) in index form. */
  static from(graph: NodeGraph): IndexedNodeGraph {
    if (graph instanceof IndexedNodeGraph) return graph;
    const nodes = [...graph.nodes];
    const index = new Map<string, number>();
    nodes.forEach((name, i) => index.set(name, i));
    const edges = new EdgeList();
    nodes.forEach((name, consumer) => {
      for (const dependency of graph.dependenciesOf(name)) {
        const producer = index.get(dependency);
        if (producer !== undefined) edges.add(producer, consumer);
      }
    });
    return edges.toGraph(nodes, index);
  }
}

/** Names in first-declaration order, the index of each, and the node first declared under it. */
export interface NodeIndex {
  readonly names: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  readonly first: readonly NodeModel[];
}

export function indexNodes(jobs: readonly NodeModel[]): NodeIndex {
  const names: string[] = [];
  const first: NodeModel[] = [];
  const index = new Map<string, number>();
  for (const node of jobs) {
    if (!index.has(node.name)) {
      index.set(node.name, names.length);
      names.push(node.name);
      first.push(node);
    }
  }
  return { names, index, first };
}

/**
 * Builds the dependency graph of a pipeline body from its `node_output` bindings. Bindings to a
 * node that does not exist are left out (the checks report them); nodes sharing a name are one
 * graph node (the checks report the duplicate). Linear in nodes plus bindings.
 */
export function buildNodeGraph(pipeline: NodeGraphSource): NodeGraph {
  return buildIndexedGraph(pipeline.jobs, indexNodes(pipeline.jobs));
}

export function buildIndexedGraph(jobs: readonly NodeModel[], { names, index }: NodeIndex): IndexedNodeGraph {
  const edges = new EdgeList();
  // lastVisit[p] === v when node visit v already added its edge from p: dedupes without a Set.
  const lastVisit = new Int32Array(names.length).fill(-1);
  for (let visit = 0; visit < jobs.length; visit++) {
    const node = jobs[visit] as NodeModel;
    const consumer = index.get(node.name) as number;
    const inputs = node.inputs;
    for (const name in inputs) {
      const binding = inputs[name];
      if (binding?.kind !== "node_output") continue;
      const producer = index.get(binding.node);
      if (producer === undefined || lastVisit[producer] === visit) continue;
      lastVisit[producer] = visit;
      edges.add(producer, consumer);
    }
  }
  return edges.toGraph(names, index);
}

/** Edges collected in a growable pair of arrays, then laid out per node (counting sort). */
class EdgeList {
  private from = new Int32Array(64);
  private to = new Int32Array(64);
  private count = 0;

  add(producer: number, consumer: number): void {
    if (this.count === this.from.length) {
      const from = new Int32Array(this.count * 2);
      const to = new Int32Array(this.count * 2);
      from.set(this.from);
      to.set(this.to);
      this.from = from;
      this.to = to;
    }
    this.from[this.count] = producer;
    this.to[this.count] = consumer;
    this.count++;
  }

  toGraph(names: readonly string[], index: ReadonlyMap<string, number>): IndexedNodeGraph {
    const { from, to } = this.dedupe(names.length);
    const [successorStart, successors] = layout(names.length, from, to);
    const [predecessorStart, predecessors] = layout(names.length, to, from);
    return new IndexedNodeGraph(names, index, successorStart, successors, predecessorStart, predecessors);
  }

  /** Repeated edges can only come from nodes that share a name; drop them, keeping the first. */
  private dedupe(nodeCount: number): { from: Int32Array; to: Int32Array } {
    const from = this.from.subarray(0, this.count);
    const to = this.to.subarray(0, this.count);
    const [start, targets] = layout(nodeCount, from, to);
    let repeated = false;
    const seen = new Int32Array(nodeCount).fill(-1);
    for (let v = 0; v < nodeCount && !repeated; v++) {
      for (let e = start[v] as number; e < (start[v + 1] as number); e++) {
        const w = targets[e] as number;
        if (seen[w] === v) repeated = true;
        seen[w] = v;
      }
    }
    if (!repeated) return { from, to };
    const kept = new Set<string>();
    const keptFrom: number[] = [];
    const keptTo: number[] = [];
    for (let e = 0; e < this.count; e++) {
      const key = `${from[e]}>${to[e]}`;
      if (kept.has(key)) continue;
      kept.add(key);
      keptFrom.push(from[e] as number);
      keptTo.push(to[e] as number);
    }
    return { from: Int32Array.from(keptFrom), to: Int32Array.from(keptTo) };
  }
}

/** Groups edges by their `key` end, keeping insertion order within a group. */
function layout(nodeCount: number, key: Int32Array, value: Int32Array): [Int32Array, Int32Array] {
  const start = new Int32Array(nodeCount + 1);
  for (let e = 0; e < key.length; e++) start[(key[e] as number) + 1] = (start[(key[e] as number) + 1] as number) + 1;
  for (let i = 0; i < nodeCount; i++) start[i + 1] = (start[i + 1] as number) + (start[i] as number);
  const fill = start.slice(0, nodeCount);
  const out = new Int32Array(key.length);
  for (let e = 0; e < key.length; e++) {
    const k = key[e] as number;
    out[fill[k] as number] = value[e] as number;
    fill[k] = (fill[k] as number) + 1;
  }
  return [start, out];
}
