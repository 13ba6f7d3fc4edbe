/**
 * `--set name=value` for a submission: the job with those input values, typed by the pipeline's
 * input ports (numbers and booleans parsed, data kinds taken as paths or URIs).
 */
import { isPrimitiveKind, type BindingModel, type PipelineJobModel } from "@pipewright/dsl";
import type { RestProblem } from "./local-assets.js";

export function applyInputOverrides(
  job: PipelineJobModel,
  overrides: Readonly<Record<string, string>>,
  baseDir: string | undefined,
): { readonly job: PipelineJobModel; readonly problems: readonly RestProblem[] } {
  const problems: RestProblem[] = [];
  const inputs: Record<string, BindingModel> = { ...job.inputs };
  for (const [name, text] of Object.entries(overrides)) {
    const port = job.pipeline.inputs[name];
    const at = `${job.pipeline.name}/inputs/${name}`;
    if (!port) {
      const known = Object.keys(job.pipeline.inputs);
      problems.push({ severity: "error", path: at, message: `the pipeline has no input '${name}'${known.length ? ` (its inputs: ${known.join(", ")})` : ""}` });
      continue;
    }
    if (!isPrimitiveKind(port.type)) {
      inputs[name] = { kind: "data", type: port.type, path: text, ...(baseDir !== undefined ? { baseDir } : {}) };
      continue;
    }
    if (port.type === "boolean") {
      const lower = text.toLowerCase();
      if (lower !== "true" && lower !== "false") problems.push({ severity: "error", path: at, message: `'${text}' is not a boolean (true or false)` });
      else inputs[name] = { kind: "literal", value: lower === "true" };
    } else if (port.type === "integer" || port.type === "number") {
      const value = Number(text);
      if (text.trim() === "" || !Number.isFinite(value) || (port.type === "integer" && !Number.isInteger(value))) {
        problems.push({ severity: "error", path: at, message: `'${text}' is not ${port.type === "integer" ? "an integer" : "a number"}` });
      } else inputs[name] = { kind: "literal", value };
    } else {
      inputs[name] = { kind: "literal", value: text };
    }
  }
  return { job: { ...job, inputs }, problems };
}
