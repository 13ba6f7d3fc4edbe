// The spec leaves `PipelineJob.jobs`, `PipelineJob.settings` and `ComponentVersion.componentSpec`
// free-form. These checks hold them to the shapes the Python SDK sends (REST.md §2.1), and work out
// which pipeline steps depend on which (from `${{parent.jobs.<node>.outputs.<name>}}` bindings).
import { isJsonObject, stringMap, type Json, type JsonObject } from "./json.js";
import type { SpecIssue } from "./spec-validator.js";

export interface PipelineNodeShape {
  readonly name: string;
  readonly type: string;
  readonly componentId: string | undefined;
  readonly computeId: string | undefined;
  readonly displayName: string | undefined;
  readonly tags: Readonly<Record<string, string>>;
  readonly dependsOn: readonly string[];
}

export interface PipelineShape {
  readonly issues: readonly SpecIssue[];
  readonly nodes: readonly PipelineNodeShape[];
  readonly continueOnStepFailure: boolean;
}

const INPUT_TYPES = new Set(["literal", "uri_file", "uri_folder", "mltable", "custom_model", "mlflow_model", "triton_model"]);
const OUTPUT_TYPES = new Set(["uri_file", "uri_folder", "mltable", "custom_model", "mlflow_model", "triton_model"]);
const BINDING = /\$\{\{\s*([^}]*?)\s*\}\}/g;

function strings(value: Json, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const item of value) strings(item, out);
  else if (isJsonObject(value)) for (const item of Object.values(value)) strings(item, out);
  return out;
}

function optionalString(node: JsonObject, key: string, path: string, issues: SpecIssue[]): string | undefined {
  const value = node[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") {
    issues.push({ code: "SDK_SHAPE_INVALID_TYPE", path: `${path}.${key}`, message: `Expected a string, found ${Array.isArray(value) ? "array" : typeof value}` });
    return undefined;
  }
  return value;
}

function checkNodeInputs(inputs: Json | undefined, path: string, issues: SpecIssue[]): void {
  if (inputs === undefined || inputs === null) return;
  if (!isJsonObject(inputs)) {
    issues.push({ code: "SDK_SHAPE_INVALID_TYPE", path, message: "Node inputs must be an object" });
    return;
  }
  for (const [name, input] of Object.entries(inputs)) {
    const at = `${path}.${name}`;
    if (!isJsonObject(input)) {
      issues.push({ code: "SDK_SHAPE_INVALID_TYPE", path: at, message: "Each node input must be an object like {\"job_input_type\": \"literal\", \"value\": \"...\"}" });
      continue;
    }
    const kind = input["job_input_type"] ?? input["jobInputType"];
    if (typeof kind !== "string" || !INPUT_TYPES.has(kind)) {
      issues.push({ code: "SDK_SHAPE_INPUT_TYPE", path: at, message: `job_input_type must be one of ${[...INPUT_TYPES].join(", ")}` });
      continue;
    }
    if (kind === "literal") {
      const value = input["value"];
      if (typeof value !== "string" || value === "") {
        issues.push({ code: "SDK_SHAPE_LITERAL_VALUE", path: `${at}.value`, message: "A literal node input needs a non-empty string value (numbers and booleans are sent as strings)" });
      }
    } else if (typeof input["uri"] !== "string" || input["uri"] === "") {
      issues.push({ code: "SDK_SHAPE_ASSET_URI", path: `${at}.uri`, message: `A ${kind} node input needs a uri` });
    }
  }
}

function checkNodeOutputs(outputs: Json | undefined, path: string, issues: SpecIssue[]): void {
  if (outputs === undefined || outputs === null) return;
  if (!isJsonObject(outputs)) {
    issues.push({ code: "SDK_SHAPE_INVALID_TYPE", path, message: "Node outputs must be an object" });
    return;
  }
  for (const [name, output] of Object.entries(outputs)) {
    const at = `${path}.${name}`;
    if (!isJsonObject(output)) {
      issues.push({ code: "SDK_SHAPE_INVALID_TYPE", path: at, message: "Each node output must be an object" });
      continue;
    }
    if (typeof output["value"] === "string") continue; // a binding such as ${{parent.outputs.model}}
    const kind = output["job_output_type"] ?? output["jobOutputType"];
    if (typeof kind !== "string" || !OUTPUT_TYPES.has(kind)) {
      issues.push({ code: "SDK_SHAPE_OUTPUT_TYPE", path: at, message: `A node output is either a binding {"type": "literal", "value": "\${{parent.outputs.x}}"} or has job_output_type in ${[...OUTPUT_TYPES].join(", ")}` });
    }
  }
}

function findCycle(nodes: readonly PipelineNodeShape[]): string[] | undefined {
  const deps = new Map(nodes.map((n) => [n.name, n.dependsOn]));
  const state = new Map<string, "active" | "done">();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === "done") return undefined;
    if (state.get(name) === "active") return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, "active");
    stack.push(name);
    for (const dep of deps.get(name) ?? []) {
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(name, "done");
    return undefined;
  };
  for (const node of nodes) {
    const cycle = visit(node.name);
    if (cycle) return cycle;
  }
  return undefined;
}

/** Checks a PipelineJob's free-form parts; `properties` is the JobBase `properties` object. */
export function inspectPipelineJob(properties: JsonObject): PipelineShape {
  const issues: SpecIssue[] = [];
  const settings = properties["settings"];
  let continueOnStepFailure = false;
  if (settings !== undefined && settings !== null) {
    if (!isJsonObject(settings)) {
      issues.push({ code: "SDK_SHAPE_INVALID_TYPE", path: "properties.settings", message: "settings must be an object" });
    } else {
      for (const key of ["continue_on_step_failure", "force_rerun"]) {
        const value = settings[key];
        if (value !== undefined && value !== null && typeof value !== "boolean") {
          issues.push({ code: "SDK_SHAPE_INVALID_TYPE", path: `properties.settings.${key}`, message: `${key} must be a boolean` });
        }
      }
      for (const key of ["default_compute", "default_datastore", "_source"]) optionalString(settings, key, "properties.settings", issues);
      continueOnStepFailure = settings["continue_on_step_failure"] === true;
    }
  }
  const pipelineInputs = isJsonObject(properties["inputs"]) ? properties["inputs"] : {};
  const pipelineOutputs = isJsonObject(properties["outputs"]) ? properties["outputs"] : {};
  const jobs = properties["jobs"];
  const nodes: PipelineNodeShape[] = [];
  if (jobs !== undefined && jobs !== null && !isJsonObject(jobs)) {
    issues.push({ code: "SDK_SHAPE_INVALID_TYPE", path: "properties.jobs", message: "jobs must be an object keyed by node name" });
  }
  const nodeNames = new Set(isJsonObject(jobs) ? Object.keys(jobs) : []);
  for (const [name, node] of Object.entries(isJsonObject(jobs) ? jobs : {})) {
    const path = `properties.jobs.${name}`;
    if (!isJsonObject(node)) {
      issues.push({ code: "SDK_SHAPE_INVALID_TYPE", path, message: "Each pipeline node must be an object" });
      continue;
    }
    const type = optionalString(node, "type", path, issues);
    if (type === undefined) issues.push({ code: "SDK_SHAPE_MISSING", path, message: "A pipeline node needs a type (for example \"command\")" });
    const componentId = optionalString(node, "componentId", path, issues);
    if (componentId === undefined && node["component"] === undefined) {
      issues.push({ code: "SDK_SHAPE_MISSING", path, message: "A pipeline node needs a componentId (the ARM id of a registered component version)" });
    }
    const declaredName = optionalString(node, "name", path, issues);
    if (declaredName !== undefined && declaredName !== name) {
      issues.push({ code: "SDK_SHAPE_NAME", path: `${path}.name`, message: `The node's name "${declaredName}" differs from its key "${name}"` });
    }
    checkNodeInputs(node["inputs"], `${path}.inputs`, issues);
    checkNodeOutputs(node["outputs"], `${path}.outputs`, issues);
    const dependsOn = new Set<string>();
    for (const text of strings(node)) {
      for (const found of text.matchAll(BINDING)) {
        const expression = found[1] ?? "";
        const parts = expression.split(".");
        if (parts[0] !== "parent") continue;
        if (parts[1] === "inputs" && parts[2] !== undefined && !Object.hasOwn(pipelineInputs, parts[2])) {
          issues.push({ code: "SDK_SHAPE_BINDING", path, message: `\${{${expression}}} names a pipeline input that does not exist` });
        } else if (parts[1] === "outputs" && parts[2] !== undefined && !Object.hasOwn(pipelineOutputs, parts[2])) {
          issues.push({ code: "SDK_SHAPE_BINDING", path, message: `\${{${expression}}} names a pipeline output that does not exist` });
        } else if (parts[1] === "jobs" && parts[2] !== undefined) {
          if (parts[2] === name) issues.push({ code: "SDK_SHAPE_BINDING", path, message: `\${{${expression}}} binds the node to itself` });
          else if (!nodeNames.has(parts[2])) issues.push({ code: "SDK_SHAPE_BINDING", path, message: `\${{${expression}}} names a node that is not in jobs` });
          else dependsOn.add(parts[2]);
        }
      }
    }
    nodes.push({
      name,
      type: type ?? "command",
      componentId,
      computeId: optionalString(node, "computeId", path, issues),
      displayName: optionalString(node, "display_name", path, issues),
      tags: stringMap(node["tags"]),
      dependsOn: [...dependsOn],
    });
  }
  const cycle = findCycle(nodes);
  if (cycle) issues.push({ code: "SDK_SHAPE_CYCLE", path: "properties.jobs", message: `The node bindings form a cycle: ${cycle.join(" -> ")}` });
  return { issues, nodes, continueOnStepFailure };
}

/** Checks `ComponentVersion.componentSpec` against the YAML-shaped dict the SDK sends. */
export function inspectComponentSpec(spec: Json | undefined): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const path = "properties.componentSpec";
  if (spec === undefined || spec === null) {
    issues.push({ code: "SDK_SHAPE_MISSING", path, message: "A component version needs a componentSpec" });
    return issues;
  }
  if (!isJsonObject(spec)) {
    issues.push({ code: "SDK_SHAPE_INVALID_TYPE", path, message: "componentSpec must be an object" });
    return issues;
  }
  const type = optionalString(spec, "type", path, issues);
  if (type === undefined) issues.push({ code: "SDK_SHAPE_MISSING", path, message: "componentSpec needs a type (for example \"command\")" });
  if (type === "command") {
    const command = optionalString(spec, "command", path, issues);
    if (command === undefined || command.trim() === "") issues.push({ code: "SDK_SHAPE_MISSING", path: `${path}.command`, message: "A command component needs a command" });
    if (spec["environment"] === undefined) issues.push({ code: "SDK_SHAPE_MISSING", path: `${path}.environment`, message: "A command component needs an environment" });
  }
  for (const key of ["code", "name", "version", "display_name"]) {
    const value = spec[key];
    if (value !== undefined && value !== null && typeof value !== "string" && !(key === "version" && typeof value === "number")) {
      issues.push({ code: "SDK_SHAPE_INVALID_TYPE", path: `${path}.${key}`, message: `${key} must be a string` });
    }
  }
  for (const key of ["inputs", "outputs"]) {
    const ports = spec[key];
    if (ports === undefined || ports === null) continue;
    if (!isJsonObject(ports)) {
      issues.push({ code: "SDK_SHAPE_INVALID_TYPE", path: `${path}.${key}`, message: `${key} must be an object keyed by port name` });
      continue;
    }
    for (const [name, port] of Object.entries(ports)) {
      if (!isJsonObject(port) || typeof port["type"] !== "string") {
        issues.push({ code: "SDK_SHAPE_PORT", path: `${path}.${key}.${name}`, message: "Each port must be an object with a type" });
      }
    }
  }
  return issues;
}
