/**
 * `componentRef("azureml:train:1", { inputs, outputs })`: a registered component, named rather
 * than defined, callable like any component. The ports declared here are the ones the pipeline
 * uses, so its wiring is typed and the compiler checks kinds against them; the component itself
 * lives in the workspace or registry and is not written out (the node says `component: <ref>`).
 */
import type { CallArgs, NodeOutputs } from "./call-types.js";
import { defined, deepFreeze } from "./convert.js";
import { captureLocation } from "./location.js";
import type { ComponentReferenceModel, InputPortModel, OutputPortModel } from "./model.js";
import { addNode, type Node } from "./node.js";
import type { NodeOptions } from "./options.js";
import type { AnyInputSpec, AnyOutputSpec } from "./ports.js";

export interface ComponentRefSpec<I extends Record<string, AnyInputSpec>, O extends Record<string, AnyOutputSpec>> {
  /** The kind of component the reference names, which is the type of its nodes. @default "command" */
  readonly type?: "command" | "pipeline";
  /** The inputs the pipeline binds, as the registered component declares them. */
  readonly inputs?: I;
  /** The outputs the pipeline reads or sets, as the registered component declares them. */
  readonly outputs?: O;
}

export interface ComponentRef<I extends Record<string, AnyInputSpec>, O extends Record<string, AnyOutputSpec>> {
  (...args: CallArgs<I, NodeOptions<keyof O>>): Node<NodeOutputs<O>>;
  readonly kind: "component_ref";
  readonly model: ComponentReferenceModel;
}

/**
 * A registered component: `azureml:<name>:<version>`, `azureml:<name>@<label>` or
 * `azureml://registries/<registry>/components/<name>/...` (FIELDS.md §1).
 */
export function componentRef<
  const I extends Record<string, AnyInputSpec> = {},
  const O extends Record<string, AnyOutputSpec> = {},
>(ref: string, spec: ComponentRefSpec<I, O> = {}): ComponentRef<I, O> {
  const location = captureLocation();
  // Left out when not given: the compiler then knows nothing of those ports and checks none.
  const model: ComponentReferenceModel = deepFreeze(
    defined<ComponentReferenceModel>({
      type: "reference",
      ref,
      inputs: spec.inputs && portModels<InputPortModel>(spec.inputs),
      outputs: spec.outputs && portModels<OutputPortModel>(spec.outputs),
      location,
    } as ComponentReferenceModel),
  );
  const nodeType = spec.type ?? "command";
  const call = (inputValues?: Readonly<Record<string, unknown>>, options?: NodeOptions) =>
    addNode(model, inputValues, options, captureLocation(), nodeType);
  return Object.assign(call, { kind: "component_ref" as const, model }) as unknown as ComponentRef<I, O>;
}

function portModels<M>(ports: Readonly<Record<string, { readonly model: M }>>): Record<string, M> {
  const out: Record<string, M> = {};
  for (const [name, port] of Object.entries(ports)) out[name] = port.model;
  return out;
}
