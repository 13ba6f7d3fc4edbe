// Pipeline job (`pipelineJob.schema.json`, FIELDS.md §3).
import { z } from "zod";
import { jobInputs, jobOutputs } from "./job-io.js";
import { AZUREML_REF_PATTERN, isRecord } from "./patterns.js";
import { nodeName, pipelineJobs } from "./pipeline-jobs.js";
import { componentRef, compute, identity, services } from "./runtime.js";
import {
  bool, closedObject, custom, dumpOnly, forward, matching, nonEmptyString, oneOf, openObject, optional, report, str,
  type Check, type SchemaMode,
} from "./schema-kit.js";

/** Unknown settings keys are accepted silently by Azure (the corpus has `default_datestore`). */
export function pipelineSettings(mode: SchemaMode): Check {
  return openObject(
    optional({
      // `serverless`, `azureml:<compute>`, or (as compute fields allow) any other name.
      default_compute: nonEmptyString,
      default_datastore: matching(AZUREML_REF_PATTERN, "default_datastore is azureml:<datastore>"),
      continue_on_step_failure: bool,
      force_rerun: bool,
      // Private preview: names of nodes run first / last.
      on_init: nodeName,
      on_finalize: nodeName,
    }),
    mode,
  );
}

const nullableStringMap: Check = z.record(z.string(), z.string().nullable());

/** `jobs` and `component` are mutually exclusive; a pipeline job needs one of them. */
export function pipelineJob(mode: SchemaMode): Check {
  const shape = closedObject({
    type: oneOf(["pipeline"], mode),
    ...optional({
      $schema: str,
      name: str,
      display_name: str,
      description: str,
      experiment_name: str,
      tags: nullableStringMap,
      properties: nullableStringMap,
      compute,
      identity: identity(mode),
      services: services(mode),
      settings: pipelineSettings(mode),
      inputs: jobInputs(mode),
      outputs: jobOutputs(mode),
      jobs: pipelineJobs(mode),
      component: componentRef,
    }),
    ...dumpOnly(["id", "status", "log_files", "creation_context"], mode),
  });
  return custom((value, ctx) => {
    forward(ctx, shape, value);
    if (!isRecord(value)) return;
    if ("jobs" in value && "component" in value) {
      report(ctx, "a pipeline job has either jobs or component, not both", ["component"]);
    } else if (!("jobs" in value) && !("component" in value)) {
      report(ctx, "required: a pipeline job needs jobs (or a pipeline component)", ["jobs"]);
    }
  });
}
