/** A command component as `command({...})`: typed ports, the command built from them, paths relative to the generated file. */
import {
  INPUT_MODES,
  OUTPUT_MODES,
  isDataKind,
  isPrimitiveKind,
  type CommandComponentModel,
  type DataKind,
  type DistributionModel,
  type EnvironmentModel,
  type Extra,
  type InputPortModel,
  type OutputPortModel,
  type ResourcesModel,
  type ServiceModel,
  type SourceLocation,
} from "@pipewright/dsl";
import { code, literal, type Code } from "./literal.js";
import type { Emission } from "./emission.js";

const FACTORY: Readonly<Record<string, string>> = {
  uri_file: "uriFile",
  uri_folder: "uriFolder",
  mltable: "mltable",
  custom_model: "customModel",
  mlflow_model: "mlflowModel",
  triton_model: "tritonModel",
  string: "string",
  number: "number",
  integer: "integer",
  boolean: "boolean",
};

export function factoryName(kind: string): string | undefined {
  return FACTORY[kind];
}

export function commandExpression(component: CommandComponentModel, out: Emission, path: string): Code {
  const spec: Record<string, unknown> = {
    name: component.inlineJob ? component.name : componentName(component.name, out, path, component.location),
    version: component.version,
    displayName: component.displayName,
    description: component.description,
    tags: component.tags,
    isDeterministic: component.isDeterministic,
    inline: component.inlineJob ? true : undefined,
    inputs: portsObject(component.inputs, (port, name) => inputPort(port, out, `${path}/inputs/${name}`, component.inlineJob === true)),
    outputs: portsObject(component.outputs, (port, name) => outputPort(port, out, `${path}/outputs/${name}`)),
    code: component.code === undefined ? undefined : out.path(component.code, component.baseDir),
    environment: component.environment === undefined ? undefined : environment(component.environment, component.baseDir, out, path, component.location),
    resources: component.resources && resources(component.resources, out, path, component.location),
    distribution: component.distribution && distribution(component.distribution, out, path, component.location),
    additionalIncludes: component.additionalIncludes?.map((include) => out.path(include, component.baseDir)),
    properties: component.properties,
    command: commandText(component),
  };
  dropExtra(component.extra, out, path, component.location);
  return code(`${out.use("command")}(${literal(spec)})`);
}

export function portsObject<P>(ports: Readonly<Record<string, P>>, render: (port: P, name: string) => Code | undefined): Record<string, Code> | undefined {
  const out: Record<string, Code> = {};
  for (const [name, port] of Object.entries(ports)) {
    const rendered = render(port, name);
    if (rendered) out[name] = rendered;
  }
  return Object.keys(out).length ? out : undefined;
}

export function inputPort(port: InputPortModel, out: Emission, path: string, inline = false): Code | undefined {
  const factory = factoryName(port.type);
  if (!factory) {
    out.block(`input kind '${port.type}' has no DSL port (use one of ${Object.keys(FACTORY).join(", ")})`, path, port.location);
    return undefined;
  }
  const options: Record<string, unknown> = {};
  if (port.optional !== undefined && !inline) options["optional"] = port.optional;
  if (port.description !== undefined) options["description"] = port.description;
  if (port.default !== undefined) {
    // A string input's default may be any scalar: Azure reads it as text (`default: True`).
    if (fitsKind(port.default, port.type) || port.type === "string") options["default"] = port.default;
    else out.drop(`the default ${JSON.stringify(port.default)} is not a ${port.type} value, so the DSL cannot declare it; left out`, path, port.location);
  }
  for (const bound of ["min", "max"] as const) {
    const value = port[bound];
    if (value === undefined) continue;
    if (typeof value === "number" && (port.type === "number" || port.type === "integer")) options[bound] = value;
    else out.drop(`'${bound}: ${String(value)}' cannot be declared on a ${port.type} input in the DSL; left out`, path, port.location);
  }
  if (port.enum !== undefined) {
    if (port.type === "string" && port.enum.every((item) => typeof item === "string")) options["enum"] = [...port.enum];
    else out.drop(`an enum on a ${port.type} input cannot be declared in the DSL; left out`, path, port.location);
  }
  if (port.mode !== undefined) {
    if (isDataKind(port.type) && (INPUT_MODES[port.type as DataKind] as readonly string[]).includes(port.mode)) options["mode"] = port.mode;
    else out.drop(`input mode '${port.mode}' is not one the DSL allows for ${port.type}; left out`, path, port.location);
  }
  dropExtra(port.extra, out, path, port.location);
  return code(`${out.use("Input")}.${factory}(${Object.keys(options).length ? literal(options) : ""})`);
}

export function outputPort(port: OutputPortModel, out: Emission, path: string): Code | undefined {
  const factory = factoryName(port.type);
  if (!factory) {
    out.block(`output kind '${port.type}' has no DSL port`, path, port.location);
    return undefined;
  }
  const options: Record<string, unknown> = {};
  if (port.description !== undefined) options["description"] = port.description;
  if (port.mode !== undefined) {
    if (isDataKind(port.type) && (OUTPUT_MODES as readonly string[]).includes(port.mode)) options["mode"] = port.mode;
    else out.drop(`output mode '${port.mode}' is not one the DSL allows; left out`, path, port.location);
  }
  if (port.isControl !== undefined) {
    if (isPrimitiveKind(port.type)) options["isControl"] = port.isControl;
    else out.drop("'is_control' on a data output cannot be declared in the DSL; left out", path, port.location);
  }
  dropExtra(port.extra, out, path, port.location);
  return code(`${out.use("Output")}.${factory}(${Object.keys(options).length ? literal(options) : ""})`);
}

export function fitsKind(value: unknown, kind: string): boolean {
  if (kind === "string" || isDataKind(kind)) return typeof value === "string";
  if (kind === "boolean") return typeof value === "boolean";
  if (kind === "integer") return typeof value === "number" && Number.isInteger(value);
  if (kind === "number") return typeof value === "number";
  return false;
}

export function environment(env: EnvironmentModel, baseDir: string | undefined, out: Emission, path: string, location: SourceLocation | undefined): unknown {
  if (typeof env === "string") return env;
  const spec: Record<string, unknown> = {
    image: env.image,
    condaFile: typeof env.condaFile === "string" ? out.path(env.condaFile, baseDir) : env.condaFile,
    build: env.build && { path: out.path(env.build.path, baseDir), dockerfilePath: env.build.dockerfilePath },
    osType: env.osType,
  };
  const lost = [
    ...(env.name !== undefined ? ["name"] : []),
    ...(env.version !== undefined ? ["version"] : []),
    ...(env.description !== undefined ? ["description"] : []),
    ...Object.keys(env.extra ?? {}),
  ];
  if (lost.length) out.drop(`the DSL's inline environment has no ${lost.map((key) => `'${key}'`).join(", ")}; left out`, `${path}/environment`, location);
  return spec;
}

export function resources(model: ResourcesModel, out: Emission, path: string, location: SourceLocation | undefined): unknown {
  dropExtra(model.extra, out, `${path}/resources`, location);
  return {
    instanceCount: model.instanceCount,
    instanceType: model.instanceType,
    shmSize: model.shmSize,
    maxInstanceCount: model.maxInstanceCount,
    dockerArgs: model.dockerArgs,
    locations: model.locations && [...model.locations],
    properties: model.properties,
  };
}

const SERVICE_TYPES: readonly string[] = ["ssh", "jupyter_lab", "tensor_board", "vs_code"];

/** A node's `services` as the DSL's `ServiceSpec`s, or undefined when one has no DSL form. */
export function services(model: Readonly<Record<string, ServiceModel>>, out: Emission, path: string, location: SourceLocation | undefined): unknown {
  const spec: Record<string, unknown> = {};
  for (const [name, service] of Object.entries(model)) {
    if (service.type === undefined || !SERVICE_TYPES.includes(service.type)) {
      out.block(`service '${name}' has type ${JSON.stringify(service.type)}; the DSL's services are ${SERVICE_TYPES.join(", ")}`, `${path}/services/${name}`, location);
      return undefined;
    }
    dropExtra(service.extra, out, `${path}/services/${name}`, location);
    const { extra: _extra, ...rest } = service;
    spec[name] = rest;
  }
  return spec;
}

export function distribution(model: DistributionModel, out: Emission, path: string, location: SourceLocation | undefined): unknown {
  dropExtra(model.extra, out, `${path}/distribution`, location);
  const { extra: _extra, ...rest } = model;
  return rest;
}

export function dropExtra(extra: Extra | undefined, out: Emission, path: string, location: SourceLocation | undefined): void {
  const keys = Object.keys(extra ?? {});
  if (keys.length === 0) return;
  out.drop(`${keys.map((key) => `'${key}'`).join(", ")} ${keys.length === 1 ? "has" : "have"} no DSL field; left out`, path, location);
}

const PLACEHOLDER = /\$\{\{(inputs|outputs)\.([A-Za-z_][A-Za-z0-9_]*)\}\}/g;

/**
 * The command as a function of the typed ports when it names any (so a renamed or removed port
 * is a type error), else as a string. Either way it renders to the same text.
 */
function commandText(component: CommandComponentModel): unknown {
  const used = new Set<string>();
  let text = "";
  let last = 0;
  for (const match of component.command.matchAll(PLACEHOLDER)) {
    const group = match[1] as "inputs" | "outputs";
    const name = match[2] ?? "";
    if (!(name in component[group])) continue;
    used.add(group);
    text += escapeTemplate(component.command.slice(last, match.index)) + `\${${group}.${name}}`;
    last = (match.index ?? 0) + match[0].length;
  }
  if (used.size === 0) return component.command;
  text += escapeTemplate(component.command.slice(last));
  const params = ["inputs", "outputs"].filter((group) => used.has(group)).join(", ");
  return code(`({ ${params} }) =>\n  \`${text}\``);
}

function escapeTemplate(text: string): string {
  return text
    .replace(/\\/g, "\\\\")
    .replace(/`/g, "\\`")
    .replace(/\$\{/g, "\\${")
    .replace(/\r/g, "\\r")
    .replace(/\n/g, "\\n");
}

const COMPONENT_NAME = /^[a-z][a-z0-9_]*$/;

/**
 * A component name the compiler accepts. Azure ignores the name of a component file referenced
 * by path (FIELDS.md §1), so `r-iris-example` becomes `r_iris_example`, with a warning.
 */
export function componentName(name: string, out: Emission, path: string, location: SourceLocation | undefined): string {
  if (COMPONENT_NAME.test(name)) return name;
  let fixed = name.toLowerCase().replace(/[^a-z0-9_]+/g, "_").replace(/^_+|_+$/g, "");
  if (!/^[a-z]/.test(fixed)) fixed = `c_${fixed}`;
  out.drop(`component name '${name}' is not lowercase letters, digits and '_'; written as '${fixed}'`, path, location);
  return fixed;
}
