import type { PipelineJobModel } from "@pipewright/dsl";
import type { Diagnostic } from "../diagnostics/diagnostic.js";

/** Every check on a pipeline job, sorted. (Being filled in: see the checks helper.) */
export function checkPipelineJob(_job: PipelineJobModel): Diagnostic[] {
  return [];
}
