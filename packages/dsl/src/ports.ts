/**
 * Port declarations: `Input.uriFolder()`, `Input.number({ default: 0.2, min: 0, max: 1 })`,
 * `Output.mlflowModel()`. The type parameters carry the kind and whether the input may be left
 * unbound, which is all the call-site typing needs.
 */
import type {
  DataKind,
  InputModeFor,
  OutputMode,
  PortKind,
  PrimitiveKind,
  PrimitiveValue,
} from "./kinds.js";
import { captureLocation, type SourceLocation } from "./location.js";
import type { InputPortModel, OutputPortModel } from "./model.js";

/** A declared input port. `Omittable` is true when a caller may leave it unbound. */
export interface InputSpec<K extends PortKind = PortKind, Omittable extends boolean = boolean> {
  readonly __port: "input";
  readonly type: K;
  /** Type-level only: whether a caller may leave it unbound. */
  readonly __omittable?: Omittable;
  readonly model: InputPortModel;
}

export interface OutputSpec<K extends PortKind = PortKind> {
  readonly __port: "output";
  readonly type: K;
  readonly model: OutputPortModel;
}

export type AnyInputSpec = InputSpec<PortKind, boolean>;
export type AnyOutputSpec = OutputSpec<PortKind>;

interface CommonInputOptions {
  readonly optional?: boolean;
  readonly description?: string;
}

export interface DataInputOptions<K extends DataKind> extends CommonInputOptions {
  readonly mode?: InputModeFor<K>;
  /** A default path or asset reference. */
  readonly default?: string;
}

export interface NumberInputOptions extends CommonInputOptions {
  readonly default?: number;
  readonly min?: number;
  readonly max?: number;
}

export interface StringInputOptions extends CommonInputOptions {
  /** Text; a number or boolean is its text to Azure (`default: True` with `enum: ['True', 'False']`). */
  readonly default?: string | number | boolean;
  readonly enum?: readonly string[];
}

export interface BooleanInputOptions extends CommonInputOptions {
  readonly default?: boolean;
}

export interface DataOutputOptions {
  readonly description?: string;
  readonly mode?: OutputMode;
}

export interface PrimitiveOutputOptions {
  readonly description?: string;
  /** Marks a control output that control-flow nodes can branch on (`is_control`). */
  readonly isControl?: boolean;
}

/** True when options make an input omittable: `optional: true` or a default. */
type OmittableFrom<O> = O extends { readonly optional: true }
  ? true
  : O extends { readonly default: unknown }
    ? true
    : false;

function inputSpec<K extends PortKind, O extends CommonInputOptions & object>(
  type: K,
  options: O | undefined,
  location: SourceLocation | undefined,
): InputSpec<K, OmittableFrom<O>> {
  const model: Record<string, unknown> = { type };
  if (options) {
    for (const [key, value] of Object.entries(options)) {
      if (value !== undefined) model[key] = Array.isArray(value) ? Object.freeze([...value]) : value;
    }
  }
  if (location) model["location"] = location;
  return Object.freeze({
    __port: "input",
    type,
    model: Object.freeze(model) as unknown as InputPortModel,
  }) as InputSpec<K, OmittableFrom<O>>;
}

function outputSpec<K extends PortKind>(
  type: K,
  options: DataOutputOptions | PrimitiveOutputOptions | undefined,
  location: SourceLocation | undefined,
): OutputSpec<K> {
  const model: Record<string, unknown> = { type };
  if (options) {
    for (const [key, value] of Object.entries(options)) {
      if (value !== undefined) model[key] = value;
    }
  }
  if (location) model["location"] = location;
  return Object.freeze({
    __port: "output",
    type,
    model: Object.freeze(model) as unknown as OutputPortModel,
  });
}

function dataInput<K extends DataKind>(type: K) {
  return <const O extends DataInputOptions<K> = {}>(options?: O) =>
    inputSpec(type, options, captureLocation());
}

function dataOutput<K extends DataKind>(type: K) {
  return (options?: DataOutputOptions): OutputSpec<K> => outputSpec(type, options, captureLocation());
}

function primitiveOutput<K extends PrimitiveKind>(type: K) {
  return (options?: PrimitiveOutputOptions): OutputSpec<K> =>
    outputSpec(type, options, captureLocation());
}

/** Input port declarations, one per Azure ML kind. */
export const Input = {
  uriFile: dataInput("uri_file"),
  uriFolder: dataInput("uri_folder"),
  mltable: dataInput("mltable"),
  customModel: dataInput("custom_model"),
  mlflowModel: dataInput("mlflow_model"),
  tritonModel: dataInput("triton_model"),
  string: <const O extends StringInputOptions = {}>(options?: O) =>
    inputSpec("string", options, captureLocation()),
  number: <const O extends NumberInputOptions = {}>(options?: O) =>
    inputSpec("number", options, captureLocation()),
  integer: <const O extends NumberInputOptions = {}>(options?: O) =>
    inputSpec("integer", options, captureLocation()),
  boolean: <const O extends BooleanInputOptions = {}>(options?: O) =>
    inputSpec("boolean", options, captureLocation()),
} as const;

/** Output port declarations: data kinds, and primitive outputs (command components only). */
export const Output = {
  uriFile: dataOutput("uri_file"),
  uriFolder: dataOutput("uri_folder"),
  mltable: dataOutput("mltable"),
  customModel: dataOutput("custom_model"),
  mlflowModel: dataOutput("mlflow_model"),
  tritonModel: dataOutput("triton_model"),
  string: primitiveOutput("string"),
  number: primitiveOutput("number"),
  integer: primitiveOutput("integer"),
  boolean: primitiveOutput("boolean"),
} as const;

/** The primitive value type an input of kind K takes, e.g. `number` for "integer". */
export type ValueOf<K extends PortKind> = K extends PrimitiveKind ? PrimitiveValue<K> : never;

/** What a command and a pipeline component spec both declare. */
export interface ComponentSpecBase<I extends Record<string, AnyInputSpec>, O extends Record<string, AnyOutputSpec>> {
  /** Lowercase letters, digits and `_`, starting with a letter. */
  readonly name: string;
  readonly version?: string | number;
  readonly displayName?: string;
  readonly description?: string;
  readonly tags?: Readonly<Record<string, string>>;
  /** Whether identical inputs give identical outputs, so a run may be reused. @default true */
  readonly isDeterministic?: boolean;
  readonly inputs?: I;
  readonly outputs?: O;
}

/** A component model's header fields from its spec (the models' key order). */
export function componentFields(spec: ComponentSpecBase<Record<string, AnyInputSpec>, Record<string, AnyOutputSpec>>) {
  return {
    name: spec.name,
    version: spec.version === undefined ? undefined : String(spec.version),
    displayName: spec.displayName,
    description: spec.description,
    tags: spec.tags,
    isDeterministic: spec.isDeterministic,
  };
}
