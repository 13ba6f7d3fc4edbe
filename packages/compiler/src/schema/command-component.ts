// Command component (`commandComponent.schema.json`, FIELDS.md §2).
import { COMPONENT_NAME_PATTERN } from "./patterns.js";
import { componentInputs, componentOutputs } from "./ports.js";
import { code, distribution, environment, queueSettings, resources } from "./runtime.js";
import {
  anyMap, bool, custom, dumpOnly, forward, matching, report, nonEmptyString, oneOf, openObject, optional, str, stringList, stringMap,
  versionValue, type Check, type SchemaMode,
} from "./schema-kit.js";

export interface ComponentOptions {
  /**
   * The component is loaded anonymously (referenced by path from a node, or inline): Azure pops
   * its `name` and `version` with only a warning, so the name rule does not apply.
   * @default false
   */
  readonly anonymous?: boolean;
}

export const COMPONENT_NAME_MESSAGE =
  "a component name should only contain lowercase letters, digits and _, and start with a lowercase letter";

export const componentName: Check = custom((value, ctx) => {
  if (value === undefined) report(ctx, "required: a registered component needs a name");
  else forward(ctx, matching(COMPONENT_NAME_PATTERN, COMPONENT_NAME_MESSAGE), value);
});

/** `name` is required and checked for registered components; anything goes for anonymous ones. */
export function nameField(options: ComponentOptions): Record<string, Check> {
  return options.anonymous === true ? { name: str.optional() } : { name: componentName };
}

/** Keys every component kind shares (`ComponentSchema`). */
export function componentHeader(mode: SchemaMode, options: ComponentOptions): Record<string, Check> {
  return {
    ...nameField(options),
    ...optional({
      $schema: str,
      version: versionValue,
      display_name: str,
      description: str,
      tags: stringMap,
      is_deterministic: bool,
      inputs: componentInputs(mode),
      outputs: componentOutputs(mode),
    }),
    ...dumpOnly(["id", "creation_context", "latest_version"], mode),
  };
}

/**
 * Azure loads the top level with unknown keys included, so outside strict mode unknown keys
 * (such as `environment_variables`, which the component schema excludes) are accepted.
 */
export function commandComponent(mode: SchemaMode, options: ComponentOptions = {}): Check {
  const runtime = { mode, bindable: false };
  return openObject(
    {
      ...componentHeader(mode, options),
      command: nonEmptyString,
      environment: environment(mode),
      ...optional({
        type: oneOf(["command"], mode),
        code,
        resources: resources(runtime),
        distribution: distribution(runtime),
        properties: anyMap,
        additional_includes: stringList,
        queue_settings: queueSettings(mode),
      }),
    },
    mode,
  );
}
