/**
 * The inputs of one node: every binding names something that exists (PW2005 node, PW2004 node
 * output, PW2006 pipeline input), is a known input (PW2002), fits its kind (PW2003) and value
 * (PW2007), is representable (PW2014); and every required input is bound (PW2001). Inputs
 * are required unless declared optional or given a default.
 */
import type { BindingModel, InputPortModel, NodeModel } from "@pipewright/dsl";
import { isReference, own, type BodyScope, type CheckContext } from "./check-context.js";
import { checkConcreteBinding, kindFits } from "./bound-values.js";

export function checkNodeInputs(node: NodeModel, nodePath: string, scope: BodyScope, ctx: CheckContext): void {
  const component = node.component;
  const ports = isReference(component) ? undefined : component.inputs;
  for (const [name, binding] of Object.entries(node.inputs)) {
    const path = `${nodePath}/inputs/${name}`;
    const input = `input '${name}' of node '${node.name}'`;
    const at = binding.location ?? node.location;
    const port = ports === undefined ? undefined : own(ports, name);
    if (ports !== undefined && port === undefined) {
      const declared = Object.keys(ports);
      ctx.report(
        "PW2002",
        `component '${componentName(node)}' has no input '${name}'` +
          (declared.length ? ` (its inputs: ${declared.join(", ")})` : " (it declares no inputs)"),
        path,
        at,
      );
    }
    checkBinding(binding, port, input, path, at, scope, ctx);
  }
  if (ports === undefined) return;
  for (const [name, port] of Object.entries(ports)) {
    if (port.optional === true || port.default !== undefined || Object.hasOwn(node.inputs, name)) continue;
    ctx.report(
      "PW2001",
      `node '${node.name}' does not bind the required input '${name}' (${port.type}) of component '${componentName(node)}'`,
      `${nodePath}/inputs/${name}`,
      node.location,
    );
  }
}

function checkBinding(
  binding: BindingModel,
  port: InputPortModel | undefined,
  input: string,
  path: string,
  at: BindingModel["location"],
  scope: BodyScope,
  ctx: CheckContext,
): void {
  switch (binding.kind) {
    case "literal":
    case "data":
      if (port !== undefined) checkConcreteBinding(port, binding, input, path, at, ctx);
      return;
    case "parent_input": {
      const parent = own(scope.component.inputs, binding.input);
      if (parent === undefined) {
        const declared = Object.keys(scope.component.inputs);
        ctx.report(
          "PW2006",
          `${input} is bound to pipeline input '${binding.input}', which pipeline '${scope.component.name}' does not declare` +
            (declared.length ? ` (its inputs: ${declared.join(", ")})` : ""),
          path,
          at,
        );
        return;
      }
      if (port !== undefined && !kindFits(parent.type, port.type, false)) {
        ctx.report(
          "PW2003",
          `${input} takes ${port.type}, but is bound to pipeline input '${binding.input}' of kind ${parent.type}`,
          path,
          at,
        );
      }
      return;
    }
    case "node_output": {
      const producer = scope.nodesByName.get(binding.node);
      if (producer === undefined) {
        ctx.report(
          "PW2005",
          `${input} is bound to an output of node '${binding.node}', which pipeline '${scope.component.name}' does not have`,
          path,
          at,
        );
        return;
      }
      if (isReference(producer.component)) return;
      const output = own(producer.component.outputs, binding.output);
      if (output === undefined) {
        const declared = Object.keys(producer.component.outputs);
        ctx.report(
          "PW2004",
          `${input} is bound to output '${binding.output}' of node '${binding.node}', but component '${producer.component.name}' has no such output` +
            (declared.length ? ` (its outputs: ${declared.join(", ")})` : ""),
          path,
          at,
        );
        return;
      }
      if (port !== undefined && !kindFits(output.type, port.type, false)) {
        ctx.report(
          "PW2003",
          `${input} takes ${port.type}, but is bound to the ${output.type} output '${binding.output}' of node '${binding.node}'` +
            (port.type === "mltable" && output.type === "uri_folder"
              ? " (only concrete uri_folder data, not a node output, may feed an mltable input)"
              : ""),
          path,
          at,
        );
      }
      return;
    }
    case "invalid":
      ctx.report("PW2014", `${input} cannot be bound to this value: ${binding.description}`, path, at);
      return;
    case "raw":
      // Verbatim YAML expressions (`${{parent.jobs...}}` forms pipewright does not model) pass through.
      return;
  }
}

function componentName(node: NodeModel): string {
  return isReference(node.component) ? node.component.ref : node.component.name;
}
