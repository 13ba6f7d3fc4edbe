/**
 * Per-node output settings: each names a declared output (PW2004) and uses an output mode
 * (PW2015, FIELDS.md §4: mount, upload, rw_mount, direct; data outputs only).
 */
import { OUTPUT_MODES, isDataKind, type NodeModel } from "@pipewright/dsl";
import { isReference, own, type CheckContext } from "./check-context.js";

export function checkNodeOutputs(node: NodeModel, nodePath: string, ctx: CheckContext): void {
  const component = node.component;
  for (const [name, settings] of Object.entries(node.outputs)) {
    const path = `${nodePath}/outputs/${name}`;
    const at = settings.location ?? node.location;
    // A reference declares the outputs its `componentRef` lists, or nothing is known of them.
    const declaredPorts = component.outputs;
    const port = declaredPorts === undefined ? undefined : own(declaredPorts, name);
    if (declaredPorts !== undefined && port === undefined) {
      const declared = Object.keys(declaredPorts);
      ctx.report(
        "PW2004",
        `node '${node.name}' sets output '${name}', but component '${isReference(component) ? component.ref : component.name}' has no such output` +
          (declared.length ? ` (its outputs: ${declared.join(", ")})` : ""),
        path,
        at,
      );
      continue;
    }
    if (settings.mode === undefined) continue;
    const kind = settings.type ?? port?.type;
    const allowed: readonly string[] = kind === undefined || isDataKind(kind) || kind === "path" ? OUTPUT_MODES : [];
    if (allowed.includes(settings.mode)) continue;
    ctx.report(
      "PW2015",
      allowed.length
        ? `output '${name}' of node '${node.name}' cannot use mode '${settings.mode}'; allowed: ${allowed.join(", ")}`
        : `output '${name}' of node '${node.name}' is a ${kind} value and takes no mode`,
      path,
      at,
    );
  }
}
