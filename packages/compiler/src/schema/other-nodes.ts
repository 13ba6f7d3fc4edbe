// Node kinds pipewright keeps but does not type in full (FIELDS.md §5): their required keys
// are checked and everything else passes through, in both modes, because FIELDS.md does not
// list their whole schema.
import { z } from "zod";
import { DATA_BINDING_PATTERN, NODE_BINDING_PATTERN, isRecord } from "./patterns.js";
import {
  anyMap, bool, byShape, custom, describeValue, forward, int, oneOf, report, str, type Check, type SchemaMode,
} from "./schema-kit.js";

/** At least one of `keys` must be present; the message says which forms the node has. */
function requireOneOf(keys: ReadonlyArray<string>, what: string): Check {
  return custom((value, ctx) => {
    if (!isRecord(value)) {
      report(ctx, `a node is a mapping, got ${describeValue(value)}`);
      return;
    }
    if (!keys.some((key) => key in value)) report(ctx, `required: ${what}`, [keys[0] ?? ""]);
  });
}

function passThrough(shape: Record<string, Check>, ...extra: Check[]): Check {
  const base = z.looseObject(shape);
  return custom((value, ctx) => {
    forward(ctx, base, value);
    for (const check of extra) forward(ctx, check, value);
  });
}

const componentOrString: Check = byShape({ string: str, object: anyMap }, "a component reference or an inline component");

const trial: Check = custom((value, ctx) => {
  if (typeof value === "string" && value.startsWith("azureml://")) {
    report(ctx, "a sweep trial is an inline component, a local file or an azureml: reference, not a registry reference");
  } else if (typeof value !== "string" && !isRecord(value)) {
    report(ctx, value === undefined ? "required: the trial component" : `expected a trial component, got ${describeValue(value)}`);
  }
});

const nodeBinding: Check = custom((value, ctx) => {
  if (typeof value !== "string" || !NODE_BINDING_PATTERN.test(value)) {
    report(ctx, `expected a node binding \${{parent.jobs.<node>}}, got ${describeValue(value)}`);
  }
});

const dataBinding: Check = custom((value, ctx) => {
  if (typeof value !== "string" || !DATA_BINDING_PATTERN.test(value)) {
    report(ctx, `expected a data binding \${{...}}, got ${describeValue(value)}`);
  }
});

export function sweepNode(mode: SchemaMode): Check {
  return passThrough({ type: oneOf(["sweep"], mode), trial });
}

export function parallelNode(mode: SchemaMode): Check {
  return passThrough(
    { type: oneOf(["parallel"], mode), component: componentOrString.optional(), task: anyMap.optional() },
    requireOneOf(["component", "task"], "a parallel node needs a component or an inline task"),
  );
}

export function sparkNode(mode: SchemaMode): Check {
  return passThrough(
    { type: oneOf(["spark"], mode), component: componentOrString.optional(), entry: anyMap.optional() },
    requireOneOf(["component", "entry"], "a spark node needs a component or an inline entry"),
  );
}

export function automlNode(mode: SchemaMode): Check {
  return passThrough({ type: oneOf(["automl"], mode), task: str });
}

export function importNode(mode: SchemaMode): Check {
  return passThrough(
    { type: oneOf(["import"], mode), component: componentOrString.optional(), source: anyMap.optional() },
    requireOneOf(["component", "source"], "an import node needs a component or an inline source"),
  );
}

export function dataTransferNode(mode: SchemaMode): Check {
  return passThrough(
    { type: oneOf(["data_transfer"], mode), task: oneOf(["copy_data", "import_data", "export_data"], mode) },
    custom((value, ctx) => {
      if (!isRecord(value)) return;
      const task = typeof value["task"] === "string" ? value["task"].toLowerCase() : "";
      if (task === "import_data" && !("source" in value)) report(ctx, "required: an import_data node needs a source", ["source"]);
      if (task === "export_data" && !("sink" in value)) report(ctx, "required: an export_data node needs a sink", ["sink"]);
    }),
  );
}

/** `do_while`: body, mapping and limits.max_iteration_count (1..1000) are required; `false` never loops. */
export function doWhileNode(mode: SchemaMode): Check {
  return passThrough({
    type: oneOf(["do_while"], mode),
    body: nodeBinding,
    condition: byShape(
      {
        string: str,
        boolean: custom((value, ctx) => {
          if (value === false) report(ctx, "condition false would never run the body; use a binding, an output name or true");
        }),
      },
      "a binding, the name of a body output, or true",
    ).optional(),
    mapping: z.record(z.string(), byShape({ string: str, array: z.array(z.string()) }, "an input name or a list of input names")),
    limits: z.looseObject({
      max_iteration_count: z.number().int("must be an integer").min(1, "must be at least 1").max(1000, "must be at most 1000"),
    }),
  });
}

const blocks: Check = byShape({ string: nodeBinding, array: z.array(nodeBinding) }, "a node binding or a list of them");

export function ifElseNode(mode: SchemaMode): Check {
  return passThrough({
    type: oneOf(["if_else"], mode),
    condition: byShape({ string: dataBinding, boolean: bool }, "a data binding or a boolean"),
    true_block: blocks.optional(),
    false_block: blocks.optional(),
  });
}

export function parallelForNode(mode: SchemaMode): Check {
  return passThrough({
    type: oneOf(["parallel_for"], mode),
    body: nodeBinding,
    items: byShape(
      { string: str, object: z.record(z.string(), anyMap), array: z.array(anyMap) },
      "a JSON string, a mapping of mappings or a list of mappings",
    ),
    max_concurrency: int.optional(),
  });
}
