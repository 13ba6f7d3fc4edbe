/**
 * A component's declared ports: names (PW1004), kinds (PW1007), defaults (PW1005) and modes
 * (PW1006), against the kind and mode tables of `@pipewright/dsl`.
 */
import {
  INPUT_MODES,
  OUTPUT_MODES,
  isDataKind,
  isPortKind,
  type ComponentModel,
  type InputPortModel,
  type OutputPortModel,
} from "@pipewright/dsl";
import type { CheckContext } from "./check-context.js";
import { valueProblem } from "./primitive-values.js";

/** The SDK's "valid key": dot-separated segments of `[a-zA-Z_][a-zA-Z0-9_]*` (FIELDS.md §1). */
const PORT_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** `path` is the legacy data kind Azure still loads; treated as a data kind of any shape. */
export function isKnownKind(kind: string): boolean {
  return isPortKind(kind) || kind === "path";
}

export function checkPortDeclarations(component: ComponentModel, path: string, ctx: CheckContext): void {
  for (const [name, port] of Object.entries(component.inputs)) {
    checkInputPort(name, port, `${path}/inputs/${name}`, component, ctx);
  }
  for (const [name, port] of Object.entries(component.outputs)) {
    checkOutputPort(name, port, `${path}/outputs/${name}`, component, ctx);
  }
}

function checkInputPort(name: string, port: InputPortModel, path: string, component: ComponentModel, ctx: CheckContext): void {
  const at = port.location ?? component.location;
  checkPortName("input", name, path, at, ctx);
  if (!isKnownKind(port.type)) {
    ctx.report("PW1007", `input '${name}' has the unknown kind '${port.type}'`, path, at);
    return;
  }
  if (port.default !== undefined) {
    const problem = valueProblem(port, port.default);
    if (problem) ctx.report("PW1005", `the default of input '${name}' does not fit: ${problem}`, path, at);
  }
  if (port.mode !== undefined) {
    const allowed: readonly string[] = isDataKind(port.type) ? INPUT_MODES[port.type] : [];
    if (!allowed.includes(port.mode) && port.type !== "path") {
      ctx.report(
        "PW1006",
        allowed.length
          ? `input '${name}' of kind ${port.type} cannot use mode '${port.mode}'; allowed: ${allowed.join(", ")}`
          : `input '${name}' of kind ${port.type} takes no mode (modes are for data inputs)`,
        path,
        at,
      );
    }
  }
}

function checkOutputPort(name: string, port: OutputPortModel, path: string, component: ComponentModel, ctx: CheckContext): void {
  const at = port.location ?? component.location;
  checkPortName("output", name, path, at, ctx);
  if (!isKnownKind(port.type)) {
    ctx.report("PW1007", `output '${name}' has the unknown kind '${port.type}'`, path, at);
    return;
  }
  if (port.mode !== undefined && port.type !== "path") {
    const allowed: readonly string[] = isDataKind(port.type) ? OUTPUT_MODES : [];
    if (!allowed.includes(port.mode)) {
      ctx.report(
        "PW1006",
        allowed.length
          ? `output '${name}' cannot use mode '${port.mode}'; allowed: ${allowed.join(", ")}`
          : `output '${name}' of kind ${port.type} takes no mode (modes are for data outputs)`,
        path,
        at,
      );
    }
  }
}

function checkPortName(
  direction: "input" | "output",
  name: string,
  path: string,
  at: ComponentModel["location"],
  ctx: CheckContext,
): void {
  if (PORT_NAME.test(name)) return;
  ctx.report(
    "PW1004",
    `${direction} name '${name}' must start with a letter or '_' and contain only letters, digits and '_'`,
    path,
    at,
  );
}
