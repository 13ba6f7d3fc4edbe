/** Adding a node to the pipeline body being built: shared by command and pipeline components. */
import { currentBuilder } from "./context.js";
import {
  defined,
  distributionModel,
  environmentModel,
  outputSettingsModel,
  resourcesModel,
  servicesModel,
} from "./convert.js";
import type { SourceLocation } from "./location.js";
import type {
  BindingModel,
  ComponentModel,
  ComponentReferenceModel,
  NodeModel,
  NodeOutputModel,
  OutputPortModel,
} from "./model.js";
import type { NodeOptions } from "./options.js";
import type { OutputRef } from "./refs.js";

/** A node in a pipeline body; its outputs are typed handles for wiring. */
export interface Node<Outputs> {
  readonly name: string;
  readonly outputs: Outputs;
}

export class ComponentCalledOutsidePipelineError extends Error {
  constructor(componentName: string) {
    super(
      `Component '${componentName}' was called outside a pipeline body. Call components inside ` +
        `pipeline({ ... }, (inputs) => { ... }), and bind a pipeline to concrete inputs with .job({ ... }).`,
    );
    this.name = "ComponentCalledOutsidePipelineError";
  }
}

/**
 * Adds a node for `component`. A component reference is a `nodeType` node (command unless
 * said otherwise) whose outputs are the ones its `componentRef` declares.
 */
export function addNode(
  component: ComponentModel | ComponentReferenceModel,
  inputs: Readonly<Record<string, unknown>> | undefined,
  options: NodeOptions | undefined,
  location: SourceLocation | undefined,
  nodeType?: string,
): Node<Record<string, OutputRef>> {
  const componentName = "ref" in component ? referenceName(component.ref) : component.name;
  const builder = currentBuilder();
  if (!builder) throw new ComponentCalledOutsidePipelineError(componentName);
  const name = builder.nodeName(componentName, options?.name);

  const bindings: Record<string, BindingModel> = {};
  if (inputs) {
    for (const input in inputs) {
      const binding = builder.toBinding(inputs[input], location);
      if (binding) bindings[input] = Object.freeze(binding);
    }
  }
  const undeclared: string[] = [];
  if (options?.undeclaredInputs) {
    for (const [input, value] of Object.entries(options.undeclaredInputs)) {
      const binding = builder.toBinding(value, location);
      if (!binding) continue;
      bindings[input] = Object.freeze(binding);
      undeclared.push(input);
    }
  }

  const outputs: Record<string, NodeOutputModel> = {};
  if (options?.outputs) {
    for (const [output, settings] of Object.entries(options.outputs)) {
      if (settings) outputs[output] = Object.freeze(outputSettingsModel(settings));
    }
  }

  // Nodes are frozen as they are made, so freezing the finished pipeline does not walk them again
  // (this runs once per node: 10,000 times in the compile benchmark).
  const node: Record<string, unknown> = {
    name,
    type: nodeType ?? component.type,
    component,
    inputs: Object.freeze(bindings),
    outputs: Object.freeze(outputs),
  };
  if (undeclared.length) node["undeclaredInputs"] = Object.freeze(undeclared);
  if (options) {
    const overrides = defined({
      displayName: options.displayName,
      description: options.description,
      tags: options.tags && Object.freeze({ ...options.tags }),
      compute: options.compute,
      environment: options.environment && environmentModel(options.environment),
      environmentVariables: options.environmentVariables && Object.freeze({ ...options.environmentVariables }),
      resources: options.resources && resourcesModel(options.resources),
      distribution: options.distribution && distributionModel(options.distribution),
      limits: options.timeout !== undefined ? Object.freeze({ timeout: options.timeout }) : undefined,
      services: options.services && servicesModel(options.services),
    });
    Object.assign(node, overrides);
  }
  node["naming"] = options?.name !== undefined ? "explicit" : "default";
  if (location) node["location"] = location;
  Object.freeze(node);
  builder.nodes.push(node as unknown as NodeModel);

  const handles: Record<string, OutputRef> = {};
  const declared: Readonly<Record<string, OutputPortModel>> = component.outputs ?? {};
  for (const [output, port] of Object.entries(declared)) {
    handles[output] = Object.freeze({
      __ref: "output",
      kind: port.type as OutputRef["kind"],
      node: name,
      output,
      scope: builder.scope,
    });
  }
  return Object.freeze({ name, outputs: outputHandles(handles, name, builder.scope) });
}

/** `azureml:train:1`, `azureml:train@latest`, `azureml://registries/r/components/train/versions/1` -> `train`. */
function referenceName(ref: string): string {
  const registry = /\/components\/([^/]+)/.exec(ref);
  if (registry?.[1]) return registry[1];
  return ref.replace(/^azureml:/, "").replace(/[:@].*$/, "");
}

/**
 * Reading an output the component does not declare (possible from JavaScript or through a cast)
 * yields a handle to that missing output, so the compiler can report it where it is wired
 * instead of the binding silently vanishing.
 */
function outputHandles(
  handles: Record<string, OutputRef>,
  node: string,
  scope: number,
): Record<string, OutputRef> {
  return new Proxy(Object.freeze(handles), {
    get(target, property, receiver) {
      if (typeof property !== "string" || property in target || property === "then" || property === "toJSON") {
        return Reflect.get(target, property, receiver);
      }
      return Object.freeze({ __ref: "output", kind: "uri_folder", node, output: property, scope });
    },
  });
}
