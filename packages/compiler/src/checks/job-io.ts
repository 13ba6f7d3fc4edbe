/**
 * The job's own inputs and outputs against the pipeline's ports: unknown names (PW2002, PW2004),
 * unbound required inputs (PW2001), values and data that do not fit (PW2003, PW2007, PW2016),
 * bindings a job cannot have (PW2014), output modes (PW2015).
 */
import { OUTPUT_MODES, type PipelineJobModel } from "@pipewright/dsl";
import { own, type CheckContext } from "./check-context.js";
import { checkConcreteBinding, checkDataMode, type InputSite } from "./bound-values.js";

export function checkJobIo(job: PipelineJobModel, rootPath: string, ctx: CheckContext): void {
  const ports = job.pipeline.inputs;
  for (const [name, binding] of Object.entries(job.inputs)) {
    const path = `${rootPath}/inputs/${name}`;
    const input = `job input '${name}'`;
    const site: InputSite = { node: undefined, input: name, parentPath: rootPath };
    const at = binding.location ?? job.location;
    const port = own(ports, name);
    if (port === undefined) {
      const declared = Object.keys(ports);
      ctx.report(
        "PW2002",
        `pipeline '${job.pipeline.name}' has no input '${name}'` + (declared.length ? ` (its inputs: ${declared.join(", ")})` : ""),
        path,
        at,
      );
      if (binding.kind === "data") checkDataMode(binding, site, at, ctx);
      continue;
    }
    switch (binding.kind) {
      case "literal":
      case "data":
        checkConcreteBinding(port, binding, site, job.location, ctx);
        break;
      case "invalid":
        ctx.report("PW2014", `${input} cannot be bound to this value: ${binding.description}`, path, at);
        break;
      case "parent_input":
      case "node_output":
        ctx.report(
          "PW2014",
          `${input} is bound to ${binding.kind === "parent_input" ? "a pipeline input" : "a node output"}; a job input takes data or a literal value`,
          path,
          at,
        );
        break;
      case "raw":
        break;
    }
  }
  for (const [name, port] of Object.entries(ports)) {
    if (port.optional === true || port.default !== undefined || Object.hasOwn(job.inputs, name)) continue;
    ctx.report(
      "PW2001",
      `the job does not bind the required input '${name}' (${port.type}) of pipeline '${job.pipeline.name}'`,
      `${rootPath}/inputs/${name}`,
      job.location,
    );
  }
  for (const [name, settings] of Object.entries(job.outputs)) {
    const path = `${rootPath}/outputs/${name}`;
    if (own(job.pipeline.outputs, name) === undefined) {
      ctx.report("PW2004", `pipeline '${job.pipeline.name}' has no output '${name}' to configure`, path, job.location);
      continue;
    }
    if (settings.mode !== undefined && !(OUTPUT_MODES as readonly string[]).includes(settings.mode)) {
      ctx.report(
        "PW2015",
        `job output '${name}' cannot use mode '${settings.mode}'; allowed: ${OUTPUT_MODES.join(", ")}`,
        path,
        job.location,
      );
    }
  }
}
