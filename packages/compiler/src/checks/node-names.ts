/**
 * PW1002: node names (keys under `jobs:`) must fully match `^[a-z_][a-z0-9_]*$` (FIELDS.md §1).
 * PW1003: node names must be unique within a pipeline body; each repeat is reported.
 */
import type { SourceLocation } from "@pipewright/dsl";
import { findNode, type BodyScope, type CheckContext } from "./check-context.js";

const NODE_NAME = /^[a-z_][a-z0-9_]*$/;

export function checkNodeNames(scope: BodyScope, ctx: CheckContext): void {
  for (const node of scope.component.jobs) {
    if (!NODE_NAME.test(node.name)) {
      ctx.report(
        "PW1002",
        `node name '${node.name}' must start with a lowercase letter or '_' and contain only lowercase letters, digits and '_'; ` +
          `pass another name in the node options ({ name: "..." })`,
        `${scope.path}/${node.name}`,
        node.location,
      );
    }
    const first = findNode(scope, node.name);
    if (first !== undefined && first !== node) {
      ctx.report(
        "PW1003",
        `pipeline '${scope.component.name}' already has a node named '${node.name}'${where(first.location)}; give this node another name`,
        `${scope.path}/${node.name}`,
        node.location,
      );
    }
  }
}

function where(location: SourceLocation | undefined): string {
  return location ? ` (declared at line ${location.line})` : "";
}
