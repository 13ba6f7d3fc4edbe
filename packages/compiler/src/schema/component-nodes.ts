// The two node kinds pipewright emits, fully typed: `command` and `pipeline` (FIELDS.md §5).
// Azure keeps unknown keys on nodes, so outside strict mode they are accepted.
import { z } from "zod";
import { commandComponent } from "./command-component.js";
import { jobInputs, nodeOutputs } from "./job-io.js";
import {
  code, commandLimits, componentRef, compute, distribution, environment, identity, queueSettings, resources, services,
} from "./runtime.js";
import { isRecord } from "./patterns.js";
import {
  byShape, closedObject, custom, forward, nonEmptyString, oneOf, openObject, optional, report, str,
  type Check, type SchemaMode,
} from "./schema-kit.js";

const nullableStringMap: Check = z.record(z.string(), z.string().nullable());

function nodeBasics(mode: SchemaMode, type: string): Record<string, Check> {
  return optional({
    type: oneOf([type], mode),
    $schema: str,
    name: str,
    display_name: str,
    description: str,
    tags: nullableStringMap,
    properties: nullableStringMap,
    comment: str,
    compute,
    inputs: jobInputs(mode),
  });
}

function commandRuntime(mode: SchemaMode): Record<string, Check> {
  const runtime = { mode, bindable: true };
  return optional({
    limits: commandLimits(runtime),
    environment: environment(mode),
    environment_variables: z.record(z.string(), z.string()),
    resources: resources(runtime),
    distribution: distribution(runtime),
    services: services(mode),
    identity: identity(mode),
    queue_settings: queueSettings(mode),
    code,
  });
}

/** A command node that uses a component: inline (anonymous), a local file, `azureml:` or registry. */
function componentCommandNode(mode: SchemaMode): Check {
  return openObject(
    {
      ...nodeBasics(mode, "command"),
      ...commandRuntime(mode),
      component: byShape(
        { string: componentRef, object: commandComponent(mode, { anonymous: true }) },
        "a component reference (file, azureml:, azureml://registries/...) or an inline command component",
      ),
      // Overrides Azure reads but does not write back.
      command: nonEmptyString.optional(),
      outputs: nodeOutputs(mode, { anyString: false }).optional(),
    },
    mode,
  );
}

/** A node written as an inline command job (no `component`); Azure checks its keys strictly. */
function inlineCommandJobNode(mode: SchemaMode): Check {
  return closedObject({
    ...nodeBasics(mode, "command"),
    ...commandRuntime(mode),
    command: nonEmptyString,
    experiment_name: str.optional(),
    outputs: nodeOutputs(mode, { anyString: true }).optional(),
  });
}

export function commandNode(mode: SchemaMode): Check {
  const withComponent = componentCommandNode(mode);
  const inlineJob = inlineCommandJobNode(mode);
  return custom((value, ctx) => {
    if (isRecord(value) && !("component" in value) && !("command" in value)) {
      report(ctx, "required: a command node needs a component (or, written as an inline job, a command)", ["component"]);
      return;
    }
    const schema = isRecord(value) && !("component" in value) ? inlineJob : withComponent;
    forward(ctx, schema, value);
  });
}

const noInlinePipeline: Check = custom((_value, ctx) => {
  report(ctx, "an inline pipeline component is not supported; reference a pipeline component file, azureml: or registry component");
});

export function pipelineNode(mode: SchemaMode): Check {
  return openObject(
    {
      ...nodeBasics(mode, "pipeline"),
      component: byShape(
        { string: componentRef, object: noInlinePipeline },
        "a pipeline component reference (file, azureml:, azureml://registries/...)",
      ),
      outputs: nodeOutputs(mode, { anyString: false }).optional(),
    },
    mode,
  );
}
