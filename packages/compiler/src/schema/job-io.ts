// Job-level inputs and outputs (FIELDS.md §3 "inputs"/"outputs", §4 "Which modes each job-level
// input/output accepts", §5 node inputs/outputs). Used by pipeline jobs and by nodes.
import { JOB_IO_KINDS, OUTPUT_BINDING_PATTERN, isRecord } from "./patterns.js";
import { ioKey } from "./ports.js";
import {
  bool, byShape, closedObject, custom, describeValue, forward, mapOf, num, oneOf, optional, report, str,
  versionValue, type Check, type SchemaMode,
} from "./schema-kit.js";

type InputKind = "data_input" | "mltable_input" | "model_input";

const INPUT_KINDS: ReadonlyArray<InputKind> = ["data_input", "mltable_input", "model_input"];
const INPUT_TYPES: ReadonlyArray<string> = INPUT_KINDS.flatMap((kind) => JOB_IO_KINDS[kind].types);
/** Without a `type`, Azure tries each input kind in turn, so any of their modes loads. */
const UNTYPED_INPUT_MODES: ReadonlyArray<string> = [...new Set(INPUT_KINDS.flatMap((kind) => JOB_IO_KINDS[kind].modes))];

function kindOfInputType(type: string): InputKind | undefined {
  return INPUT_KINDS.find((kind) => (JOB_IO_KINDS[kind].types as ReadonlyArray<string>).includes(type));
}

/** `mode` checked against the modes FIELDS.md allows for this kind, naming the kind in the error. */
function modeFor(modes: ReadonlyArray<string>, what: string, mode: SchemaMode): Check {
  return custom((value, ctx) => {
    if (typeof value !== "string") {
      report(ctx, `expected a mode string, got ${describeValue(value)}`);
      return;
    }
    const candidate = mode.strict ? value : value.toLowerCase();
    if (!modes.includes(candidate)) {
      report(ctx, `mode ${JSON.stringify(value)} is not allowed for ${what}; allowed: ${modes.join(", ")}`);
    }
  });
}

const literalValue: Check = closedObject({
  value: byShape({ string: str, number: num, boolean: bool }, "a string, number or boolean"),
});

function dataLikeInput(mode: SchemaMode, kind: InputKind | undefined, typeText: string): Check {
  const modes = kind ? JOB_IO_KINDS[kind].modes : UNTYPED_INPUT_MODES;
  const what = kind ? `a ${typeText} input` : "an input without a type";
  return closedObject(
    optional({
      type: oneOf(INPUT_TYPES, mode),
      path: str,
      mode: modeFor(modes, what, mode),
      datastore: str,
      ...(kind === "model_input" ? {} : { path_on_compute: str }),
    }),
  );
}

/**
 * One job-level input value: a bare scalar, `{value: ...}`, or a data/mltable/model input mapping.
 * Node inputs take the same forms; a binding string is just a string here.
 */
export function jobInputValue(mode: SchemaMode): Check {
  const untyped = dataLikeInput(mode, undefined, "");
  return custom((value, ctx) => {
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return;
    if (!isRecord(value)) {
      report(ctx, `an input is a literal, {value: ...} or a data input mapping, got ${describeValue(value)}`);
      return;
    }
    if ("value" in value) {
      forward(ctx, literalValue, value);
      return;
    }
    const type = value["type"];
    if (type === undefined) {
      forward(ctx, untyped, value);
      return;
    }
    if (typeof type !== "string") {
      report(ctx, `expected one of ${INPUT_TYPES.join(", ")}, got ${describeValue(type)}`, ["type"]);
      return;
    }
    const kind = kindOfInputType(mode.strict ? type : type.toLowerCase());
    if (!kind) {
      report(
        ctx,
        `job-level input type ${JSON.stringify(type)} is not one of ${INPUT_TYPES.join(", ")}; ` +
          "give parameters as plain values or {value: ...}",
        ["type"],
      );
      return;
    }
    forward(ctx, dataLikeInput(mode, kind, type), value);
  });
}

export function jobInputs(mode: SchemaMode): Check {
  return mapOf(ioKey, jobInputValue(mode));
}

function outputMapping(mode: SchemaMode): Check {
  return closedObject(
    optional({
      name: str,
      version: versionValue,
      mode: modeFor(JOB_IO_KINDS.output.modes, "an output", mode),
      type: oneOf(JOB_IO_KINDS.output.types, mode),
      path: str,
    }),
  );
}

/** Pipeline job outputs: an output mapping or null. */
export function jobOutputs(mode: SchemaMode): Check {
  return mapOf(ioKey, byShape({ object: outputMapping(mode), null: custom(() => {}) }, "an output mapping or nothing"));
}

const outputBinding: Check = custom((value, ctx) => {
  if (typeof value === "string" && !OUTPUT_BINDING_PATTERN.test(value)) {
    report(ctx, `a node output string must bind a pipeline output, \${{parent.outputs.<name>}}; got ${JSON.stringify(value)}`);
  }
});

/**
 * Node outputs: `${{parent.outputs.x}}`, an output mapping, or null. An inline command job
 * (a node without `component`) accepts any string, as Azure's command-job schema does.
 */
export function nodeOutputs(mode: SchemaMode, options: { readonly anyString: boolean }): Check {
  return mapOf(
    ioKey,
    byShape(
      { string: options.anyString ? str : outputBinding, object: outputMapping(mode), null: custom(() => {}) },
      "an output binding ${{parent.outputs.<name>}}, an output mapping or nothing",
    ),
  );
}
