// The `jobs:` map of pipeline jobs and pipeline components: node names and dispatch on `type`.
import { commandNode, pipelineNode } from "./component-nodes.js";
import {
  automlNode, dataTransferNode, doWhileNode, ifElseNode, importNode, parallelForNode, parallelNode, sparkNode, sweepNode,
} from "./other-nodes.js";
import { NODE_NAME_PATTERN, NODE_TYPES, isRecord } from "./patterns.js";
import { custom, describeValue, forward, mapOf, matching, report, type Check, type SchemaMode } from "./schema-kit.js";

type NodeType = (typeof NODE_TYPES)[number];

export const NODE_NAME_MESSAGE =
  "a node name should only contain lowercase letters, digits and _, and start with a lowercase letter or _";

export const nodeName: Check = matching(NODE_NAME_PATTERN, NODE_NAME_MESSAGE);

function nodeSchemas(mode: SchemaMode): Record<NodeType, Check> {
  return {
    command: commandNode(mode),
    pipeline: pipelineNode(mode),
    sweep: sweepNode(mode),
    parallel: parallelNode(mode),
    spark: sparkNode(mode),
    automl: automlNode(mode),
    import: importNode(mode),
    data_transfer: dataTransferNode(mode),
    do_while: doWhileNode(mode),
    if_else: ifElseNode(mode),
    parallel_for: parallelForNode(mode),
  };
}

/**
 * One node. Azure lower-cases `type`; without one it tries every node schema, and in practice
 * (the corpus, the SDK's own order) a type-less node is a command node.
 */
export function pipelineNodeCheck(mode: SchemaMode): Check {
  const schemas = nodeSchemas(mode);
  return custom((value, ctx) => {
    if (!isRecord(value)) {
      report(ctx, `a node is a mapping, got ${describeValue(value)}`);
      return;
    }
    const raw = value["type"];
    if (raw === undefined) {
      forward(ctx, schemas.command, value);
      return;
    }
    const type = typeof raw === "string" ? (mode.strict ? raw : raw.toLowerCase()) : undefined;
    const schema = type !== undefined && type in schemas ? schemas[type as NodeType] : undefined;
    if (!schema) report(ctx, `unknown node type ${describeValue(raw)}; expected one of ${NODE_TYPES.join(", ")}`, ["type"]);
    else forward(ctx, schema, value);
  });
}

export function pipelineJobs(mode: SchemaMode): Check {
  return mapOf(nodeName, pipelineNodeCheck(mode));
}
