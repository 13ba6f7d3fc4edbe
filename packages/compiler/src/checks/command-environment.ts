/**
 * PW1010: a command component needs an environment (FIELDS.md §2, required). A component written
 * as a command job node (`inlineJob`) may get it from the node instead.
 */
import type { CommandComponentModel, NodeModel } from "@pipewright/dsl";
import type { CheckContext } from "./check-context.js";

/** Checked once per component; for inline command nodes, once per node. */
export function checkCommandEnvironment(
  component: CommandComponentModel,
  node: NodeModel | undefined,
  path: string,
  ctx: CheckContext,
): void {
  if (component.environment !== undefined) return;
  if (component.inlineJob === true) {
    if (node === undefined || node.environment !== undefined) return;
    ctx.report(
      "PW1010",
      `command node '${node.name}' has no environment; set environment on component '${component.name}' or on the node`,
      path,
      node.location ?? component.location,
    );
    return;
  }
  ctx.report(
    "PW1010",
    `command component '${component.name}' has no environment; set environment to an 'azureml:' environment, a registry environment or an inline image`,
    path,
    component.location,
  );
}
