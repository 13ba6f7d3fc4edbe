/**
 * The type machinery behind a component call. Kept shallow on purpose: one mapped type per
 * call, no recursion over the pipeline, so editor latency stays flat on 500-step pipelines.
 */
import type { DataKind, PortKind } from "./kinds.js";
import type { AnyInputSpec, AnyOutputSpec, InputSpec, OutputSpec } from "./ports.js";
import type { DataRef, OutputRef, PipelineInputRef } from "./refs.js";

/** Flattens intersections so editor hovers show one plain object. */
export type Prettify<T> = { [K in keyof T]: T[K] } & {};

export type KindOf<S> =
  S extends InputSpec<infer K, boolean> ? K : S extends OutputSpec<infer K> ? K : never;

type OmittableOf<S> = S extends { readonly __omittable?: infer O } ? O : false;

/** A number input also takes integer-typed handles; every other kind must match exactly. */
type AcceptedKinds<K extends PortKind> = K extends "number" ? "number" | "integer" : K;

/**
 * Concrete data a data input of kind K also takes, beyond data of its own kind, because Azure ML
 * accepts it and its own samples do it: a folder holding an `MLTable` file feeds an mltable input,
 * and a single file feeds a uri_folder input (basics/4b_datastore_datapath_uri, 4c_web_url_input).
 * Node outputs are never widened this way: their kinds must match.
 */
type ExtraDataKinds<K extends DataKind> = K extends "mltable" ? "uri_folder" : K extends "uri_folder" ? "uri_file" : never;

/** A boolean as text, as YAML written for Python often quotes it (`"False"`); Azure reads it as the boolean. */
export type BooleanText = "true" | "false" | "True" | "False";

/**
 * A literal for an input of kind K. Azure hands every value to the command line as text, so a
 * string input also takes a number or boolean (`center_crop: 224`, corpus
 * image_classification_with_densenet) and a boolean input takes its text; the compiler's value
 * check (PW2007) accepts the same.
 */
type LiteralFor<K extends PortKind> = K extends "string"
  ? string | number | boolean
  : K extends "boolean"
    ? boolean | BooleanText
    : number;

/** What may be bound to an input of kind K inside a pipeline body. */
export type InputValue<K extends PortKind> = K extends DataKind
  ?
      | OutputRef<K>
      | PipelineInputRef<K>
      | DataRef<K>
      | DataRef<ExtraDataKinds<K>>
  : OutputRef<AcceptedKinds<K>> | PipelineInputRef<AcceptedKinds<K>> | LiteralFor<K>;

type RequiredKeys<I> = {
  [K in keyof I]: OmittableOf<I[K]> extends true ? never : K;
}[keyof I];
type OptionalKeys<I> = Exclude<keyof I, RequiredKeys<I>>;

/** The object a component call takes: required inputs as required keys, the rest optional. */
export type CallInputs<I extends Record<string, AnyInputSpec>> = Prettify<
  { readonly [K in RequiredKeys<I>]: InputValue<KindOf<I[K]>> } & {
    readonly [K in OptionalKeys<I>]?: InputValue<KindOf<I[K]>> | undefined;
  }
>;

/** A node's outputs as typed handles. */
export type NodeOutputs<O extends Record<string, AnyOutputSpec>> = {
  readonly [K in keyof O]: OutputRef<KindOf<O[K]>>;
};

/** A pipeline's inputs as seen from inside its body. */
export type PipelineInputs<I extends Record<string, AnyInputSpec>> = {
  readonly [K in keyof I]: PipelineInputRef<KindOf<I[K]>>;
};

/**
 * A uri_file pipeline output may take a uri_folder node output and the other way round: a job
 * may name a file for what a step writes in its output's place (corpus:
 * basics/hello-pipeline-customize-output-file); the compiler allows the same (PW2003).
 */
type FileOrFolder<K extends PortKind> = K extends "uri_file" ? "uri_folder" : K extends "uri_folder" ? "uri_file" : never;

/** What a pipeline body returns: a node output of the same kind for every declared output. */
export type PipelineOutputs<O extends Record<string, AnyOutputSpec>> = {
  readonly [K in keyof O]: OutputRef<KindOf<O[K]> | FileOrFolder<KindOf<O[K]>>>;
};

/** A value for a pipeline job input: concrete data (or a path/URI string) or a literal. */
export type JobInputValue<K extends PortKind> = K extends DataKind
  ? DataRef<K> | DataRef<ExtraDataKinds<K>> | string
  : K extends "string"
    ? string
    : K extends "boolean"
      ? boolean
      : number;

export type JobInputs<I extends Record<string, AnyInputSpec>> = Prettify<
  { readonly [K in RequiredKeys<I>]: JobInputValue<KindOf<I[K]>> } & {
    readonly [K in OptionalKeys<I>]?: JobInputValue<KindOf<I[K]>> | undefined;
  }
>;

/** Call arguments: the inputs object may be left out only when no input is required. */
export type CallArgs<I extends Record<string, AnyInputSpec>, Options> = [RequiredKeys<I>] extends [never]
  ? [inputs?: CallInputs<I>, options?: Options]
  : [inputs: CallInputs<I>, options?: Options];

export type JobArgs<I extends Record<string, AnyInputSpec>, Options> = [RequiredKeys<I>] extends [never]
  ? [inputs?: JobInputs<I>, options?: Options]
  : [inputs: JobInputs<I>, options?: Options];
