/**
 * The inputs of one node: every binding names something that exists (PW2005 node, PW2004 node
 * output, PW2006 pipeline input), is a known input (PW2002; PW2019 when bound on purpose through
 * `undeclaredInputs`), fits its kind (PW2003) and value (PW2007), is representable (PW2014); and
 * every required input is bound (PW2001). Inputs are required unless declared optional or given
 * a default. A component reference is checked against the ports its `componentRef` declares,
 * except for required inputs, which only the registered component knows.
 *
 * This runs once per node of a 10,000-node pipeline, so message and path strings are built
 * only when something is reported.
 */
import type { BindingModel, ComponentModel, InputPortModel, NodeModel } from "@pipewright/dsl";
import { findNode, isCommandComponent, isPipelineComponent, isReference, own, type BodyScope, type CheckContext } from "./check-context.js";
import { checkConcreteBinding, kindFits, sitePath, siteText, type InputSite } from "./bound-values.js";

/** Required input names per component, computed once per component. */
const requiredInputs = new WeakMap<ComponentModel, readonly string[]>();

export function checkNodeInputs(node: NodeModel, nodePath: string, scope: BodyScope, ctx: CheckContext): void {
  const component = node.component;
  // A reference declares the inputs its `componentRef` lists, or nothing is known of them.
  const ports = component.inputs;
  // Command and pipeline components declare every input, and so does a reference that lists
  // its inputs. Other kinds kept from YAML may take inputs they do not list (a prompt flow's
  // `data` and column mappings), so only known inputs are checked there.
  const closed = isCommandComponent(component) || isPipelineComponent(component) || isReference(component);
  for (const name in node.inputs) {
    const binding = node.inputs[name] as BindingModel;
    const port = ports === undefined ? undefined : own(ports, name);
    if (closed && ports !== undefined && port === undefined && node.undeclaredInputs?.includes(name)) {
      ctx.report(
        "PW2019",
        `node '${node.name}' binds '${name}', which component '${componentName(node)}' does not declare; Azure passes it on ` +
          "and the component ignores it",
        `${nodePath}/inputs/${name}`,
        binding.location ?? node.location,
      );
    } else if (closed && ports !== undefined && port === undefined) {
      const declared = Object.keys(ports);
      ctx.report(
        "PW2002",
        `component '${componentName(node)}' has no input '${name}'` +
          (declared.length ? ` (its inputs: ${declared.join(", ")})` : " (it declares no inputs)"),
        `${nodePath}/inputs/${name}`,
        binding.location ?? node.location,
      );
    }
    if (binding.kind === "literal" && port !== undefined && isPlainFit(port, binding.value)) continue;
    checkBinding(binding, port, node, name, nodePath, scope, ctx);
  }
  if (ports === undefined || isReference(component)) return;
  for (const name of required(component)) {
    if (Object.hasOwn(node.inputs, name)) continue;
    const port = ports[name] as InputPortModel;
    ctx.report(
      "PW2001",
      `node '${node.name}' does not bind the required input '${name}' (${port.type}) of component '${component.name}'`,
      `${nodePath}/inputs/${name}`,
      node.location,
    );
  }
}

/** The common case, decided without building any string: a string for a plain string input. */
function isPlainFit(port: InputPortModel, value: unknown): boolean {
  return port.type === "string" && typeof value === "string" && port.enum === undefined;
}

function required(component: ComponentModel): readonly string[] {
  let names = requiredInputs.get(component);
  if (names === undefined) {
    names = Object.keys(component.inputs).filter((name) => {
      const port = component.inputs[name] as InputPortModel;
      return port.optional !== true && port.default === undefined;
    });
    requiredInputs.set(component, names);
  }
  return names;
}

function checkBinding(
  binding: BindingModel,
  port: InputPortModel | undefined,
  node: NodeModel,
  name: string,
  nodePath: string,
  scope: BodyScope,
  ctx: CheckContext,
): void {
  const at = binding.location ?? node.location;
  const site: InputSite = { node: node.name, input: name, parentPath: nodePath };
  switch (binding.kind) {
    case "literal":
    case "data":
      if (port !== undefined) checkConcreteBinding(port, binding, site, node.location, ctx);
      return;
    case "parent_input": {
      const parent = own(scope.component.inputs, binding.input);
      if (parent === undefined) {
        const declared = Object.keys(scope.component.inputs);
        ctx.report(
          "PW2006",
          `${siteText(site)} is bound to pipeline input '${binding.input}', which pipeline '${scope.component.name}' does not declare` +
            (declared.length ? ` (its inputs: ${declared.join(", ")})` : ""),
          sitePath(site),
          at,
        );
        return;
      }
      if (port !== undefined && !kindFits(parent.type, port.type, false)) {
        ctx.report(
          "PW2003",
          `${siteText(site)} takes ${port.type}, but is bound to pipeline input '${binding.input}' of kind ${parent.type}`,
          sitePath(site),
          at,
        );
      }
      return;
    }
    case "node_output": {
      const producer = findNode(scope, binding.node);
      if (producer === undefined) {
        ctx.report(
          "PW2005",
          `${siteText(site)} is bound to an output of node '${binding.node}', which pipeline '${scope.component.name}' does not have`,
          sitePath(site),
          at,
        );
        return;
      }
      const outputs = producer.component.outputs;
      if (outputs === undefined) return;
      const output = own(outputs, binding.output);
      if (output === undefined) {
        const declared = Object.keys(outputs);
        ctx.report(
          "PW2004",
          `${siteText(site)} is bound to output '${binding.output}' of node '${binding.node}', but component '${componentName(producer)}' has no such output` +
            (declared.length ? ` (its outputs: ${declared.join(", ")})` : ""),
          sitePath(site),
          at,
        );
        return;
      }
      if (port !== undefined && !kindFits(output.type, port.type, false)) {
        ctx.report(
          "PW2003",
          `${siteText(site)} takes ${port.type}, but is bound to the ${output.type} output '${binding.output}' of node '${binding.node}'` +
            (port.type === "mltable" && output.type === "uri_folder"
              ? " (only concrete uri_folder data, not a node output, may feed an mltable input)"
              : ""),
          sitePath(site),
          at,
        );
      }
      return;
    }
    case "invalid":
      ctx.report("PW2014", `${siteText(site)} cannot be bound to this value: ${binding.description}`, sitePath(site), at);
      return;
    case "raw":
      // Verbatim YAML expressions (`${{parent.jobs...}}` forms pipewright does not model) pass through.
      return;
  }
}

function componentName(node: NodeModel): string {
  return isReference(node.component) ? node.component.ref : node.component.name;
}
