import { expect } from "chai";
import type { BindingModel, NodeModel, PipelineComponentModel } from "@pipewright/dsl";
import { findCycles, formatCyclePath } from "../src/graph/cycles.js";
import { buildNodeGraph, type NodeGraph } from "../src/graph/node-graph.js";
import { NodeCycleError, topologicalOrder, tryTopologicalOrder } from "../src/graph/topological-order.js";

const component = {
  type: "command",
  name: "step",
  inputs: {},
  outputs: { out: { type: "uri_folder" } },
  command: "true",
} as const;

/** A body where each entry `name: [deps...]` reads the `out` output of each dependency. */
function body(spec: Readonly<Record<string, readonly string[]>> | readonly [string, readonly string[]][]): { jobs: NodeModel[] } {
  const entries: readonly (readonly [string, readonly string[]])[] = Array.isArray(spec)
    ? (spec as readonly [string, readonly string[]][])
    : Object.entries(spec);
  return {
    jobs: entries.map(([name, deps]) => {
      const inputs: Record<string, BindingModel> = {};
      deps.forEach((dep, i) => (inputs[`in_${i}`] = { kind: "node_output", node: dep, output: "out" }));
      return { name, type: "command", component, inputs, outputs: {} };
    }),
  };
}

function chain(length: number): { jobs: NodeModel[] } {
  const spec: [string, string[]][] = [];
  for (let i = 0; i < length; i++) spec.push([`n${i}`, i === 0 ? [] : [`n${i - 1}`]]);
  return body(spec);
}

describe("the node dependency graph", () => {
  it("lists nodes in declaration order with their dependencies and dependents", () => {
    const graph = buildNodeGraph(body({ prep: [], train: ["prep"], score: ["train", "prep"] }));
    expect(graph.nodes).to.deep.equal(["prep", "train", "score"]);
    expect(graph.dependenciesOf("score")).to.deep.equal(["train", "prep"]);
    expect(graph.dependentsOf("prep")).to.deep.equal(["train", "score"]);
    expect(graph.dependenciesOf("prep")).to.deep.equal([]);
    expect(graph.has("train")).to.equal(true);
    expect(graph.has("nope")).to.equal(false);
    expect(graph.dependenciesOf("nope")).to.deep.equal([]);
  });

  it("adds one edge when a node reads several outputs of the same node", () => {
    const graph = buildNodeGraph(body({ prep: [], train: ["prep", "prep", "prep"] }));
    expect(graph.dependenciesOf("train")).to.deep.equal(["prep"]);
    expect(graph.dependentsOf("prep")).to.deep.equal(["train"]);
  });

  it("leaves out bindings to unknown nodes and merges nodes that share a name", () => {
    const graph = buildNodeGraph(body([["a", []], ["b", ["ghost", "a"]], ["b", ["a", "c"]], ["c", []]]));
    expect(graph.nodes).to.deep.equal(["a", "b", "c"]);
    expect(graph.dependenciesOf("b")).to.deep.equal(["a", "c"]);
  });

  it("builds from a pipeline component model as the DSL produces it", () => {
    const pipeline: PipelineComponentModel = { type: "pipeline", name: "p", inputs: {}, outputs: {}, ...body({ x: [], y: ["x"] }) };
    expect(buildNodeGraph(pipeline).dependentsOf("x")).to.deep.equal(["y"]);
  });
});

describe("topological order", () => {
  it("keeps declaration order when the body is declared in dependency order", () => {
    expect(topologicalOrder(buildNodeGraph(body({ a: [], b: ["a"], c: [], d: ["b", "c"] })))).to.deep.equal(["a", "b", "c", "d"]);
  });

  it("puts every node after the nodes it reads from, declared-first among the ready ones", () => {
    const graph = buildNodeGraph(body({ report: ["train", "prep"], train: ["prep"], prep: [], lint: [] }));
    expect(topologicalOrder(graph)).to.deep.equal(["prep", "train", "report", "lint"]);
  });

  it("returns undefined from tryTopologicalOrder and throws NodeCycleError from topologicalOrder on a cycle", () => {
    const graph = buildNodeGraph(body({ a: ["c"], b: ["a"], c: ["b"], d: [] }));
    expect(tryTopologicalOrder(graph)).to.equal(undefined);
    expect(() => topologicalOrder(graph))
      .to.throw(NodeCycleError)
      .with.property("cycles")
      .that.deep.equals([["a", "b", "c", "a"]]);
  });

  it("orders a 10,000-node chain without running out of stack", () => {
    const order = topologicalOrder(buildNodeGraph(chain(10_000)));
    expect(order).to.have.length(10_000);
    expect(order[9_999]).to.equal("n9999");
  });

  it("accepts a NodeGraph implemented by the caller", () => {
    const graph: NodeGraph = {
      nodes: ["late", "early"],
      has: (node) => node === "late" || node === "early",
      dependenciesOf: (node) => (node === "late" ? ["early"] : []),
      dependentsOf: (node) => (node === "early" ? ["late"] : []),
    };
    expect(topologicalOrder(graph)).to.deep.equal(["early", "late"]);
  });
});

describe("cycle detection", () => {
  it("finds nothing in an acyclic body", () => {
    expect(findCycles(buildNodeGraph(body({ a: [], b: ["a"], c: ["a", "b"] })))).to.deep.equal([]);
  });

  it("returns a cycle as a path that ends where it starts, from the first-declared node", () => {
    const cycles = findCycles(buildNodeGraph(body({ prep: ["score"], train: ["prep"], score: ["train"] })));
    expect(cycles).to.deep.equal([["prep", "train", "score", "prep"]]);
    expect(formatCyclePath(cycles[0] as string[])).to.equal("prep -> train -> score -> prep");
  });

  it("reports a node reading its own output as a cycle of one", () => {
    expect(findCycles(buildNodeGraph(body({ a: [], loop: ["loop"] })))).to.deep.equal([["loop", "loop"]]);
  });

  it("reports one shortest cycle per group of mutually dependent nodes, in declaration order", () => {
    const cycles = findCycles(
      buildNodeGraph(body({ x: ["z"], y: ["x"], z: ["y", "x"], free: [], a: ["b"], b: ["a"] })),
    );
    expect(cycles).to.deep.equal([
      ["x", "z", "x"],
      ["a", "b", "a"],
    ]);
  });

  it("finds a cycle closing a 10,000-node chain without running out of stack", () => {
    const long = chain(10_000);
    const first = long.jobs[0] as NodeModel;
    long.jobs[0] = { ...first, inputs: { back: { kind: "node_output", node: "n9999", output: "out" } } };
    const cycles = findCycles(buildNodeGraph(long));
    expect(cycles).to.have.length(1);
    expect(cycles[0]).to.have.length(10_001);
    expect(cycles[0]?.[0]).to.equal("n0");
    expect(cycles[0]?.[1]).to.equal("n1");
  });
});
