// Pipeline component (`pipelineComponent.schema.json`, FIELDS.md §7).
import { componentHeader, type ComponentOptions } from "./command-component.js";
import { pipelineJobs } from "./pipeline-jobs.js";
import { oneOf, openObject, type Check, type SchemaMode } from "./schema-kit.js";

/**
 * `type: pipeline` is required: without it Azure would load the file as a command component.
 * The schema lists no `settings`, `compute` or `experiment_name`; Azure loads the top level with
 * unknown keys included, so only strict mode rejects them.
 */
export function pipelineComponent(mode: SchemaMode, options: ComponentOptions = {}): Check {
  return openObject(
    {
      ...componentHeader(mode, options),
      type: oneOf(["pipeline"], mode),
      jobs: pipelineJobs(mode).optional(),
    },
    mode,
  );
}
