/**
 * The one list of Azure ML port kinds. Types and runtime checks both derive from these
 * `as const` tables, so a kind added here is known everywhere at once.
 */
export const DATA_KINDS = [
  "uri_file",
  "uri_folder",
  "mltable",
  "custom_model",
  "mlflow_model",
  "triton_model",
] as const;

export const PRIMITIVE_KINDS = ["string", "number", "integer", "boolean"] as const;

export const PORT_KINDS = [...DATA_KINDS, ...PRIMITIVE_KINDS] as const;

export type DataKind = (typeof DATA_KINDS)[number];
export type PrimitiveKind = (typeof PRIMITIVE_KINDS)[number];
export type PortKind = (typeof PORT_KINDS)[number];

/** Every I/O mode Azure ML knows (`InputOutputModes`), plus the component-only `link`. */
export const IO_MODES = [
  "mount",
  "download",
  "upload",
  "ro_mount",
  "rw_mount",
  "eval_mount",
  "eval_download",
  "direct",
  "link",
] as const;
export type IoMode = (typeof IO_MODES)[number];

/** Input modes per data kind, from the job-level input table in FIELDS.md §4. */
export const INPUT_MODES = {
  uri_file: ["ro_mount", "download", "direct"],
  uri_folder: ["ro_mount", "download", "direct"],
  mltable: ["ro_mount", "download", "eval_mount", "eval_download", "direct"],
  custom_model: ["ro_mount", "download", "direct"],
  mlflow_model: ["ro_mount", "download", "direct"],
  triton_model: ["ro_mount", "download", "direct"],
} as const satisfies Record<DataKind, readonly IoMode[]>;

/** Output modes, the same for every data kind (FIELDS.md §4). */
export const OUTPUT_MODES = ["rw_mount", "upload", "mount", "direct"] as const satisfies readonly IoMode[];

export type InputModeFor<K extends DataKind> = (typeof INPUT_MODES)[K][number];
export type OutputMode = (typeof OUTPUT_MODES)[number];

/** Primitive value carried by a primitive kind. */
export type PrimitiveValue<K extends PrimitiveKind> = K extends "string"
  ? string
  : K extends "boolean"
    ? boolean
    : number;

export function isDataKind(kind: string): kind is DataKind {
  return (DATA_KINDS as readonly string[]).includes(kind);
}

export function isPrimitiveKind(kind: string): kind is PrimitiveKind {
  return (PRIMITIVE_KINDS as readonly string[]).includes(kind);
}

export function isPortKind(kind: string): kind is PortKind {
  return (PORT_KINDS as readonly string[]).includes(kind);
}

/**
 * Whether a value of kind `from` may feed an input of kind `to`. Kinds must match, except that an
 * `integer` fits a `number` input (Azure coerces it without loss).
 */
export function isKindAssignable(from: string, to: string): boolean {
  return from === to || (from === "integer" && to === "number");
}
