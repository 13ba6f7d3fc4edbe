// Component input and output ports (FIELDS.md §4, "Component inputs" / "Component outputs").
// Port `type` and `mode` are case-sensitive in Azure, unlike the job-level enums.
import { z } from "zod";
import { IO_KEY_PATTERN, PARAMETER_TYPES, PORT_DATA_TYPES, PORT_MODES, isRecord } from "./patterns.js";
import {
  bool, byShape, closedObject, custom, describeValue, forward, mapOf, matching, num, oneOf, openObject, optional,
  report, str, type Check, type SchemaMode,
} from "./schema-kit.js";

const PORT_TYPES_TEXT = [...PARAMETER_TYPES, ...PORT_DATA_TYPES].join(", ");

export const ioKey: Check = matching(
  IO_KEY_PATTERN,
  "input/output names are letters, digits and _ (not starting with a digit), dot-separated only for groups",
);

function parameterPort(mode: SchemaMode): Check {
  return closedObject({
    type: oneOf(PARAMETER_TYPES, mode, { caseSensitive: true }),
    ...optional({
      optional: bool,
      default: byShape({ string: str, number: num, boolean: bool }, "a string, number or boolean default"),
      description: str,
      min: byShape({ string: str, number: num }, "a number (or numeric string)"),
      max: byShape({ string: str, number: num }, "a number (or numeric string)"),
      enum: z.array(z.string()),
    }),
  });
}

function dataInputPort(mode: SchemaMode): Check {
  return closedObject({
    type: oneOf(PORT_DATA_TYPES, mode, { caseSensitive: true }),
    ...optional({
      description: str,
      optional: bool,
      default: str,
      mode: oneOf(PORT_MODES, mode, { caseSensitive: true }),
    }),
  });
}

function dataOutputPort(mode: SchemaMode): Check {
  return closedObject({
    type: oneOf(PORT_DATA_TYPES, mode, { caseSensitive: true }),
    ...optional({ description: str, mode: oneOf(PORT_MODES, mode, { caseSensitive: true }) }),
  });
}

/** `is_control` / `early_available` are private preview; Azure keeps unknown keys here. */
function primitiveOutputPort(mode: SchemaMode): Check {
  return openObject(
    {
      type: oneOf(PARAMETER_TYPES, mode, { caseSensitive: true }),
      ...optional({
        description: str,
        mode: oneOf(PORT_MODES, mode, { caseSensitive: true }),
        is_control: bool,
        early_available: bool,
      }),
    },
    mode,
  );
}

function portByType(parameter: Check, data: Check, what: string): Check {
  return custom((value, ctx) => {
    if (!isRecord(value)) {
      report(ctx, `a component ${what} is a mapping with a "type" (${PORT_TYPES_TEXT}), got ${describeValue(value)}`);
      return;
    }
    const type = value["type"];
    if (type === undefined) {
      report(ctx, `required: the ${what} type (${PORT_TYPES_TEXT})`, ["type"]);
      return;
    }
    if (typeof type === "string" && (PARAMETER_TYPES as ReadonlyArray<string>).includes(type)) forward(ctx, parameter, value);
    else if (typeof type === "string" && (PORT_DATA_TYPES as ReadonlyArray<string>).includes(type)) forward(ctx, data, value);
    else report(ctx, `unknown ${what} type ${JSON.stringify(type)}; expected one of ${PORT_TYPES_TEXT}`, ["type"]);
  });
}

export function componentInputs(mode: SchemaMode): Check {
  return mapOf(ioKey, portByType(parameterPort(mode), dataInputPort(mode), "input"));
}

/** Command and pipeline components are the only kinds allowed primitive outputs. */
export function componentOutputs(mode: SchemaMode): Check {
  return mapOf(ioKey, portByType(primitiveOutputPort(mode), dataOutputPort(mode), "output"));
}
