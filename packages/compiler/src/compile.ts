/** `compile(job, options)`: every check, then (when nothing is an error) the YAML documents. */
import type { PipelineJobModel } from "@pipewright/dsl";
import { checkPipelineJob } from "./checks/index.js";
import type { CompileOptions, CompileResult } from "./compile-types.js";
import { hasErrors } from "./diagnostics/diagnostic.js";
import { emitPipelineJob } from "./emit/emit-pipeline-job.js";

export function compile(job: PipelineJobModel, options: CompileOptions): CompileResult {
  const checked = checkPipelineJob(job);
  if (hasErrors(checked)) return { diagnostics: checked, documents: [] };
  const emitted = emitPipelineJob(job, options);
  const diagnostics = [...checked, ...emitted.diagnostics];
  return { diagnostics, documents: hasErrors(diagnostics) ? [] : emitted.documents };
}
