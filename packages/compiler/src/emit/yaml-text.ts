/** The one place YAML text is produced, so every emitted file has the same style. */
import { stringify } from "yaml";

const SCHEMA_BASE = "https://azuremlschemas.azureedge.net/latest/";

export const SCHEMA_URLS = {
  pipeline_job: `${SCHEMA_BASE}pipelineJob.schema.json`,
  command_component: `${SCHEMA_BASE}commandComponent.schema.json`,
  pipeline_component: `${SCHEMA_BASE}pipelineComponent.schema.json`,
} as const;

/** Schemas of component kinds pipewright keeps but does not model (loaded from YAML). */
const OTHER_COMPONENT_SCHEMAS: Readonly<Record<string, string>> = {
  parallel: `${SCHEMA_BASE}parallelComponent.schema.json`,
  spark: `${SCHEMA_BASE}sparkComponent.schema.json`,
  data_transfer: `${SCHEMA_BASE}dataTransferComponent.schema.json`,
  import: `${SCHEMA_BASE}importComponent.schema.json`,
};

export function componentSchemaUrl(type: string): string {
  if (type === "command") return SCHEMA_URLS.command_component;
  if (type === "pipeline") return SCHEMA_URLS.pipeline_component;
  return OTHER_COMPONENT_SCHEMAS[type] ?? `${SCHEMA_BASE}${camel(type)}Component.schema.json`;
}

function camel(snake: string): string {
  return snake.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

/**
 * Plain data to YAML text. No line folding (`lineWidth: 0`) so a long command stays on one line
 * (a command with line breaks of its own becomes a `|-` block) and the text does not depend on a
 * width heuristic; empty values written the Azure way (`key:` rather than `key: null`); no
 * anchors, so shared objects are written out each time. Scalars are quoted by YAML 1.1 rules:
 * Azure reads the files with PyYAML (YAML 1.1), where a plain `on`, `yes`, `1:20` or
 * `2001-12-14` is not a string, so such strings must be quoted to stay strings.
 */
export function yamlText(document: Readonly<Record<string, unknown>>): string {
  return stringify(document, { version: "1.1", lineWidth: 0, minContentWidth: 0, nullStr: "", aliasDuplicateObjects: false });
}
