/**
 * The pipeline body being built. Component calls add nodes to the innermost body; the stack lives
 * on globalThis so two copies of this package (e.g. linked and installed) still share it.
 */
import type { SourceLocation } from "./location.js";
import type { BindingModel, NodeModel } from "./model.js";
import { isRef } from "./refs.js";

export class PipelineBodyBuilder {
  readonly nodes: NodeModel[] = [];
  private readonly defaultNameUses = new Map<string, number>();
  private readonly taken = new Set<string>();

  constructor(
    readonly scope: number,
    readonly pipelineName: string,
  ) {}

  /** `prep`, then `prep_1`, `prep_2`... for repeats; explicit names are kept as given. */
  nodeName(componentName: string, explicit: string | undefined): string {
    if (explicit !== undefined) {
      this.taken.add(explicit);
      return explicit;
    }
    const base = componentName.replace(/[^a-z0-9_]/gi, "_").toLowerCase() || "node";
    let uses = this.defaultNameUses.get(base) ?? 0;
    let candidate = uses === 0 ? base : `${base}_${uses}`;
    while (this.taken.has(candidate)) candidate = `${base}_${++uses}`;
    this.defaultNameUses.set(base, uses + 1);
    this.taken.add(candidate);
    return candidate;
  }

  /** Turns what the user passed for one input into a binding, never throwing. */
  toBinding(value: unknown, location: SourceLocation | undefined): BindingModel | undefined {
    const at = location ? { location } : {};
    if (value === undefined) return undefined;
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
      return { kind: "literal", value, ...at };
    }
    if (isRef(value)) {
      if (value.__ref === "data") {
        const binding: Record<string, unknown> = { kind: "data", type: value.kind, path: value.path };
        if (value.mode !== undefined) binding["mode"] = value.mode;
        if (value.baseDir !== undefined) binding["baseDir"] = value.baseDir;
        if (value.location ?? location) binding["location"] = value.location ?? location;
        return binding as BindingModel;
      }
      if (value.scope !== this.scope) {
        const what =
          value.__ref === "output"
            ? `the output '${value.output}' of node '${value.node}'`
            : `the pipeline input '${value.input}'`;
        return {
          kind: "invalid",
          description: `${what} belongs to another pipeline body; pass it in as an input of '${this.pipelineName}' instead`,
          ...at,
        };
      }
      return value.__ref === "output"
        ? { kind: "node_output", node: value.node, output: value.output, ...at }
        : { kind: "parent_input", input: value.input, ...at };
    }
    const shown = value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;
    return {
      kind: "invalid",
      description: `${shown} is not a port value; pass a node output, a pipeline input, data such as uriFolder("./data"), or a string, number or boolean`,
      ...at,
    };
  }
}

interface ContextState {
  stack: PipelineBodyBuilder[];
  nextScope: number;
}

const STATE_KEY = Symbol.for("pipewright.dsl.context");

function state(): ContextState {
  const holder = globalThis as unknown as Record<symbol, ContextState | undefined>;
  return (holder[STATE_KEY] ??= { stack: [], nextScope: 1 });
}

export function currentBuilder(): PipelineBodyBuilder | undefined {
  const stack = state().stack;
  return stack[stack.length - 1];
}

/** Runs a pipeline body with a fresh builder on the stack. */
export function withBuilder<T>(pipelineName: string, body: (builder: PipelineBodyBuilder) => T): T {
  const s = state();
  const builder = new PipelineBodyBuilder(s.nextScope++, pipelineName);
  s.stack.push(builder);
  try {
    return body(builder);
  } finally {
    s.stack.pop();
  }
}
