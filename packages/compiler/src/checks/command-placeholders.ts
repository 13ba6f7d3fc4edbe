/**
 * PW1008: `${{inputs.x}}` / `${{outputs.y}}` in a command must name declared ports.
 * PW1009: an input inside an optional `$[[ ... ]]` segment must be declared optional, since the
 * segment is dropped only when that input gets no value (FIELDS.md §1).
 */
import type { CommandComponentModel } from "@pipewright/dsl";
import { own, type CheckContext } from "./check-context.js";

const PLACEHOLDER = /\$\{\{\s*(inputs|outputs)\.([^\s}]*?)\s*\}\}/g;
const OPTIONAL_SEGMENT = /\$\[\[([\s\S]*?)\]\]/g;

export function checkCommandPlaceholders(component: CommandComponentModel, path: string, ctx: CheckContext): void {
  const command = component.command;
  if (!command.includes("${{")) return;
  const reported = new Set<string>();
  for (const match of command.matchAll(PLACEHOLDER)) {
    const group = match[1] as "inputs" | "outputs";
    const name = match[2] ?? "";
    const declared = group === "inputs" ? own(component.inputs, name) : own(component.outputs, name);
    const key = `${group}.${name}`;
    if (declared !== undefined || reported.has(key)) continue;
    reported.add(key);
    const names = Object.keys(group === "inputs" ? component.inputs : component.outputs);
    ctx.report(
      "PW1008",
      `the command of component '${component.name}' uses \${{${key}}}, but no ${group === "inputs" ? "input" : "output"} '${name}' is declared` +
        (names.length ? ` (declared: ${names.join(", ")})` : ""),
      path,
      component.location,
    );
  }
  for (const segment of command.matchAll(OPTIONAL_SEGMENT)) {
    for (const match of (segment[1] ?? "").matchAll(PLACEHOLDER)) {
      if (match[1] !== "inputs") continue;
      const name = match[2] ?? "";
      const port = own(component.inputs, name);
      if (port === undefined || port.optional === true || reported.has(`optional.${name}`)) continue;
      reported.add(`optional.${name}`);
      ctx.report(
        "PW1009",
        `input '${name}' is used inside $[[ ... ]] in the command of component '${component.name}' but is not optional; ` +
          `declare it with optional: true, or move it out of the $[[ ]] segment`,
        path,
        port.location ?? component.location,
      );
    }
  }
}
