/** Component input and output ports (`inputs:` / `outputs:` of a component file). */
import type { InputPortModel, OutputPortModel, Scalar } from "@pipewright/dsl";
import { describe, type FileScope } from "./context.js";
import { defined, isMap, MapReader } from "./reader.js";
import type { KeyPath } from "./source.js";

const INPUT_KNOWN = ["intellectual_property", "path"];
const OUTPUT_KNOWN = ["early_available", "intellectual_property", "path", "name", "version"];

export function loadInputPorts(scope: FileScope, value: unknown, path: KeyPath): Record<string, InputPortModel> {
  const out: Record<string, InputPortModel> = {};
  for (const [name, spec] of portEntries(scope, value, path)) {
    const portPath = [...path, name];
    const r = new MapReader(scope, spec, portPath);
    const type = r.string("type", { required: `input '${name}' needs a type such as uri_folder or string` });
    const min = minMax(r, "min");
    const max = minMax(r, "max");
    out[name] = defined<InputPortModel>({
      type: type ?? "string",
      optional: r.boolean("optional"),
      default: r.scalar("default"),
      min,
      max,
      enum: enumValues(r),
      description: r.string("description"),
      mode: r.string("mode"),
      location: scope.at(portPath),
      extra: r.rest(INPUT_KNOWN, `input '${name}'`),
    } as InputPortModel);
  }
  return out;
}

export function loadOutputPorts(scope: FileScope, value: unknown, path: KeyPath): Record<string, OutputPortModel> {
  const out: Record<string, OutputPortModel> = {};
  for (const [name, spec] of portEntries(scope, value, path)) {
    const portPath = [...path, name];
    const r = new MapReader(scope, spec, portPath);
    const type = r.string("type", { required: `output '${name}' needs a type such as uri_folder` });
    out[name] = defined<OutputPortModel>({
      type: type ?? "uri_folder",
      description: r.string("description"),
      mode: r.string("mode"),
      isControl: r.boolean("is_control"),
      location: scope.at(portPath),
      extra: r.rest(OUTPUT_KNOWN, `output '${name}'`),
    } as OutputPortModel);
  }
  return out;
}

function portEntries(scope: FileScope, value: unknown, path: KeyPath): [string, Record<string, unknown>][] {
  if (value === undefined || value === null) return [];
  if (!isMap(value)) {
    scope.report("PW3106", `'${String(path[path.length - 1])}' must be a mapping of port names to port specs, but it is ${describe(value)}.`, path, "value");
    return [];
  }
  const out: [string, Record<string, unknown>][] = [];
  for (const [name, spec] of Object.entries(value)) {
    if (isMap(spec)) out.push([name, spec]);
    else {
      scope.report(
        "PW3106",
        `Port '${name}' must be a mapping such as '{ type: uri_folder }', but it is ${describe(spec)}.`,
        [...path, name],
        "value",
      );
    }
  }
  return out;
}

function minMax(r: MapReader, key: "min" | "max"): number | string | undefined {
  const value = r.take(key);
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number" || typeof value === "string") return value;
  r.wrongType(key, "a number", value);
  return undefined;
}

function enumValues(r: MapReader): Scalar[] | undefined {
  const value = r.take("enum");
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value) && value.every((item) => ["string", "number", "boolean"].includes(typeof item))) {
    return value as Scalar[];
  }
  r.wrongType("enum", "a list of values", value);
  return undefined;
}
