/**
 * The rules of the control-flow nodes (do_while, if_else, parallel_for) that Azure enforces when
 * the pipeline is submitted: checked at load time so the mistake points into the YAML.
 */
import { describe, type FileScope } from "./context.js";
import { NODE_REFERENCE } from "./bindings.js";
import { isMap, type YamlMap } from "./reader.js";
import type { KeyPath } from "./source.js";

export function checkControlFlow(scope: FileScope, jobs: YamlMap, path: KeyPath, nodes: ReadonlySet<string>): void {
  for (const [name, node] of Object.entries(jobs)) {
    if (!isMap(node)) continue;
    const at = [...path, name];
    const type = typeof node["type"] === "string" ? node["type"].toLowerCase() : undefined;
    if (type === "do_while") doWhile(scope, node, at, nodes);
    else if (type === "if_else") ifElse(scope, node, at, nodes);
    else if (type === "parallel_for") parallelFor(scope, node, at, nodes);
  }
}

function nodeReference(scope: FileScope, value: unknown, path: KeyPath, nodes: ReadonlySet<string>, what: string): void {
  const match = typeof value === "string" ? NODE_REFERENCE.exec(value) : null;
  if (!match?.[1]) {
    scope.report(
      "PW3110",
      `${what} must name a node in this pipeline, written '\${{parent.jobs.<node>}}', but it is ${describe(value)}.`,
      path,
      "value",
    );
    return;
  }
  if (!nodes.has(match[1])) {
    scope.report("PW3110", `${what} refers to '${match[1]}', which is not a node in this pipeline.`, path, "value");
  }
}

function doWhile(scope: FileScope, node: YamlMap, path: KeyPath, nodes: ReadonlySet<string>): void {
  if (node["body"] === undefined) scope.report("PW3113", "A do_while node needs a 'body': '${{parent.jobs.<node>}}'.", path);
  else nodeReference(scope, node["body"], [...path, "body"], nodes, "The do_while 'body'");
  const condition = node["condition"];
  if (condition === false) {
    scope.report("PW3113", "A do_while 'condition' of false would never run the loop; use a body output or a binding.", [...path, "condition"], "value");
  } else if (condition !== undefined && condition !== true && typeof condition !== "string") {
    scope.report("PW3113", `A do_while 'condition' must be a binding, a body output name or true, but it is ${describe(condition)}.`, [...path, "condition"], "value");
  }
  const mapping = node["mapping"];
  if (mapping === undefined || mapping === null) {
    scope.report("PW3113", "A do_while node needs a 'mapping' from body outputs to the body inputs they feed in the next iteration.", path);
  } else if (!isMap(mapping) || !Object.values(mapping).every((item) => typeof item === "string" || (Array.isArray(item) && item.every((i) => typeof i === "string")))) {
    scope.report("PW3113", "A do_while 'mapping' maps each body output name to a body input name or a list of them.", [...path, "mapping"], "value");
  }
  const limits = node["limits"];
  const count = isMap(limits) ? limits["max_iteration_count"] : undefined;
  if (count === undefined) {
    scope.report("PW3113", "A do_while node needs 'limits.max_iteration_count', an integer from 1 to 1000.", isMap(limits) ? [...path, "limits"] : path);
  } else if (typeof count !== "number" || !Number.isInteger(count) || count < 1 || count > 1000) {
    scope.report(
      "PW3113",
      `'limits.max_iteration_count' must be an integer from 1 to 1000, but it is ${describe(count)}.`,
      [...path, "limits", "max_iteration_count"],
      "value",
    );
  }
}

function ifElse(scope: FileScope, node: YamlMap, path: KeyPath, nodes: ReadonlySet<string>): void {
  const condition = node["condition"];
  if (condition === undefined) scope.report("PW3113", "An if_else node needs a 'condition': a binding or a boolean.", path);
  else if (typeof condition !== "string" && typeof condition !== "boolean") {
    scope.report("PW3113", `An if_else 'condition' must be a binding or a boolean, but it is ${describe(condition)}.`, [...path, "condition"], "value");
  }
  if (node["true_block"] === undefined && node["false_block"] === undefined) {
    scope.report("PW3113", "An if_else node needs a 'true_block' or a 'false_block'.", path);
  }
  for (const block of ["true_block", "false_block"]) {
    const value = node[block];
    if (value === undefined || value === null) continue;
    const items = Array.isArray(value) ? value : [value];
    items.forEach((item, index) =>
      nodeReference(scope, item, Array.isArray(value) ? [...path, block, index] : [...path, block], nodes, `The if_else '${block}'`),
    );
  }
}

function parallelFor(scope: FileScope, node: YamlMap, path: KeyPath, nodes: ReadonlySet<string>): void {
  if (node["body"] === undefined) scope.report("PW3113", "A parallel_for node needs a 'body': '${{parent.jobs.<node>}}'.", path);
  else nodeReference(scope, node["body"], [...path, "body"], nodes, "The parallel_for 'body'");
  const items = node["items"];
  if (items === undefined || items === null) {
    scope.report("PW3113", "A parallel_for node needs 'items': a JSON string, a list of mappings or a mapping of mappings.", path);
  } else if (typeof items !== "string" && !Array.isArray(items) && !isMap(items)) {
    scope.report("PW3113", `parallel_for 'items' must be a JSON string, a list or a mapping, but it is ${describe(items)}.`, [...path, "items"], "value");
  }
  const concurrency = node["max_concurrency"];
  if (concurrency !== undefined && (typeof concurrency !== "number" || !Number.isInteger(concurrency))) {
    scope.report("PW3106", `'max_concurrency' must be an integer, but it is ${describe(concurrency)}.`, [...path, "max_concurrency"], "value");
  }
}
