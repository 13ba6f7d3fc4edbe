/** PW1001: a component's name must match `^[a-z][a-z0-9_]*$` (FIELDS.md §1). */
import type { ComponentModel } from "@pipewright/dsl";
import type { CheckContext } from "./check-context.js";

const COMPONENT_NAME = /^[a-z][a-z0-9_]*$/;

export function checkComponentName(component: ComponentModel, path: string, ctx: CheckContext): void {
  const anonymous = ctx.options.isAnonymousComponent ?? isLoadedFromYaml;
  if (anonymous(component)) return;
  if (COMPONENT_NAME.test(component.name)) return;
  const suggestion = component.name.toLowerCase().replace(/[^a-z0-9_]/g, "_").replace(/^[^a-z]+/, "");
  ctx.report(
    "PW1001",
    `component name '${component.name}' must start with a lowercase letter and contain only lowercase letters, digits and '_'` +
      (suggestion ? ` (for example '${suggestion}')` : ""),
    path,
    component.location,
  );
}

/**
 * The default test for anonymous components: one declared in a YAML file, or of a kind only YAML
 * produces (parallel, spark, automl, flow...). Azure registers every component of a YAML pipeline
 * job (inline or referenced by path) anonymously, ignoring its name; the rule is pipewright's own
 * for components written with the DSL (FIELDS.md §1).
 */
export function isLoadedFromYaml(component: ComponentModel): boolean {
  if (component.type !== "command" && component.type !== "pipeline") return true;
  return /\.ya?ml$/i.test(component.location?.file ?? "");
}
