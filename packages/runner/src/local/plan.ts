/**
 * `planJob(job)`: flattens a pipeline job into command steps. Nested pipeline nodes are expanded
 * into their inner nodes, with every binding resolved through the parent pipeline's inputs and
 * outputs, defaults applied and primitive values coerced to their port types.
 */
import { isDataKind, isPrimitiveKind } from "@pipewright/dsl";
import type {
  BindingModel,
  CommandComponentModel,
  ComponentModel,
  InputPortModel,
  JobOutputModel,
  NodeModel,
  NodeOutputModel,
  PipelineComponentModel,
  PipelineJobModel,
  Scalar,
} from "@pipewright/dsl";
import { isAbsolute, resolve } from "node:path";
import { localCodeFolder } from "../code-snapshot.js";
import { coercePrimitive, parseScalar, renderValue } from "./coerce.js";
import { dataSource } from "./data-source.js";
import { RunnerError } from "./errors.js";
import type { ExecutionPlan, IgnoredSetting, PlannedStep, StepInput, StepOutput } from "./plan-types.js";

export interface PlanOptions {
  /** `--set name=value` overrides of job inputs, as typed. */
  readonly overrides?: Readonly<Record<string, string>>;
  /** Folder that relative paths in overrides resolve against. @default the job's baseDir */
  readonly overridesBaseDir?: string;
}

const SAFE_NODE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;
const SAFE_PORT_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;

type OutputSettings = NodeOutputModel | JobOutputModel;
interface StepOutputRef {
  readonly step: string;
  readonly output: string;
}

export function planJob(job: PipelineJobModel, options: PlanOptions = {}): ExecutionPlan {
  const steps: PlannedStep[] = [];
  const ignored: IgnoredSetting[] = [];
  const root = job.pipeline;
  const jobBaseDir = job.baseDir ?? root.baseDir ?? process.cwd();

  for (const name of Object.keys(options.overrides ?? {})) {
    if (!(name in root.inputs)) {
      throw new RunnerError("PW4005", `--set ${name}: the pipeline '${root.name}' has no input '${name}' (inputs: ${Object.keys(root.inputs).join(", ") || "none"})`);
    }
  }
  const rootInputs: Record<string, StepInput> = {};
  for (const [name, port] of Object.entries(root.inputs)) {
    const override = options.overrides?.[name];
    const path = `${root.name}/inputs/${name}`;
    let resolved: StepInput;
    if (override !== undefined) {
      resolved = isDataKind(port.type) || !isPrimitiveKind(port.type)
        ? { kind: "data", type: port.type, source: dataSource(override, options.overridesBaseDir ?? jobBaseDir) }
        : valueInput(port, parseScalar(override), path);
    } else {
      const binding = job.inputs[name];
      resolved = binding ? resolveBinding(binding, port, path, () => jobBaseDir, {}, (n, o) => missingOutput(n, o, path)) : { kind: "unset" };
    }
    rootInputs[name] = withDefault(resolved, port, path, root.baseDir ?? jobBaseDir);
  }
  if (job.compute) ignored.push({ step: "(job)", setting: "compute", value: job.compute });
  if (job.settings.defaultCompute) ignored.push({ step: "(job)", setting: "settings.default_compute", value: job.settings.defaultCompute });
  if (job.settings.defaultDatastore) ignored.push({ step: "(job)", setting: "settings.default_datastore", value: job.settings.defaultDatastore });

  const outputs = expandPipeline(root, root.name, [], rootInputs, job.outputs, steps, ignored);
  return {
    pipelineName: root.name,
    ...(job.displayName !== undefined ? { displayName: job.displayName } : {}),
    ...(job.experimentName !== undefined ? { experimentName: job.experimentName } : {}),
    continueOnStepFailure: job.settings.continueOnStepFailure === true,
    forceRerun: job.settings.forceRerun === true,
    steps,
    outputs,
    ignored,
  };
}

/** Adds the steps of one pipeline body; returns where each of its outputs is produced. */
function expandPipeline(
  pipeline: PipelineComponentModel,
  rootName: string,
  prefix: readonly string[],
  inputs: Readonly<Record<string, StepInput>>,
  outputSettings: Readonly<Record<string, OutputSettings>>,
  steps: PlannedStep[],
  ignored: IgnoredSetting[],
): Record<string, StepOutputRef> {
  const byName = new Map(pipeline.jobs.map((node) => [node.name, node]));
  const expanded = new Map<string, Record<string, StepOutputRef>>();
  const inProgress = new Set<string>();
  const pipelineOutputs: Record<string, StepOutputRef> = {};
  const where = (node: NodeModel) => [rootName, ...prefix, node.name].join("/");

  const nodeOutputs = (nodeName: string, from: string): Record<string, StepOutputRef> => {
    const done = expanded.get(nodeName);
    if (done) return done;
    const node = byName.get(nodeName);
    if (!node) throw new RunnerError("PW4005", `'${from}' reads an output of '${nodeName}', which is not a node of pipeline '${pipeline.name}'`, { path: from });
    if (inProgress.has(nodeName)) throw new RunnerError("PW4005", `nodes of pipeline '${pipeline.name}' depend on each other in a cycle through '${nodeName}'`, { path: from });
    inProgress.add(nodeName);
    const result = expandNode(node);
    inProgress.delete(nodeName);
    expanded.set(nodeName, result);
    return result;
  };

  const expandNode = (node: NodeModel): Record<string, StepOutputRef> => {
    const path = where(node);
    if (!SAFE_NODE_NAME.test(node.name)) {
      throw new RunnerError("PW4006", `node name '${node.name}' may only contain letters, digits, '_' and '-' (it names a folder of the run)`, { path, location: node.location });
    }
    if (node.component.type === "reference" && "ref" in node.component) {
      throw new RunnerError("PW4002", `node '${node.name}' uses the registered component '${node.component.ref}'; running registered components locally is not supported yet: define the component in code or load its YAML file`, { path, location: node.location });
    }
    const component = node.component as ComponentModel;
    const stepPath = [...prefix, node.name];
    const inputValues: Record<string, StepInput> = {};
    const baseDir = component.baseDir ?? pipeline.baseDir ?? process.cwd();
    for (const name of Object.keys(node.inputs)) {
      if (!(name in component.inputs)) throw new RunnerError("PW4005", `node '${node.name}' binds '${name}', which component '${component.name}' does not declare`, { path: `${path}/inputs/${name}`, location: node.location });
    }
    for (const [name, port] of Object.entries(component.inputs)) {
      checkPortName(name, `${path}/inputs/${name}`);
      const binding = node.inputs[name];
      const inputPath = `${path}/inputs/${name}`;
      const resolved = binding
        ? resolveBinding(binding, port, inputPath, () => (binding.location ? dirOf(binding.location.file) : baseDir), inputs, (n, o) => nodeOutputs(n, inputPath)[o] ?? missingOutput(n, o, inputPath))
        : ({ kind: "unset" } as const);
      inputValues[name] = withDefault(resolved, port, inputPath, baseDir);
    }

    if (component.type === "pipeline") {
      const inner = component as PipelineComponentModel;
      const innerSettings: Record<string, OutputSettings> = {};
      for (const [name, settings] of Object.entries(node.outputs)) {
        const outer = settings.bindTo !== undefined ? outputSettings[settings.bindTo] : undefined;
        innerSettings[name] = { ...settings, ...(outer ?? {}) };
      }
      const produced = expandPipeline(inner, rootName, stepPath, inputValues, innerSettings, steps, ignored);
      for (const [name, settings] of Object.entries(node.outputs)) {
        const ref = produced[name];
        if (settings.bindTo !== undefined && ref) pipelineOutputs[settings.bindTo] = ref;
      }
      return produced;
    }
    if (component.type !== "command") {
      throw new RunnerError("PW4001", `node '${node.name}' is a '${component.type}' node; only command and pipeline nodes run locally`, { path, location: node.location });
    }
    const command = component as CommandComponentModel;
    const id = stepPath.join("/");
    const outputs: Record<string, StepOutput> = {};
    const produced: Record<string, StepOutputRef> = {};
    const registerOutputs: Record<string, { name: string; version?: string }> = {};
    for (const [name, port] of Object.entries(command.outputs)) {
      checkPortName(name, `${path}/outputs/${name}`);
      const own = node.outputs[name];
      const outer = own?.bindTo !== undefined ? outputSettings[own.bindTo] : undefined;
      const mode = outer?.mode ?? own?.mode ?? port.mode;
      const target = outer?.path ?? own?.path;
      outputs[name] = { type: port.type, ...(mode !== undefined ? { mode } : {}), ...(target !== undefined ? { path: target } : {}) };
      produced[name] = { step: id, output: name };
      const asset = outer?.name ?? own?.name;
      const assetVersion = outer?.name !== undefined ? outer.version : own?.version;
      if (asset !== undefined) registerOutputs[name] = { name: asset, ...(assetVersion !== undefined ? { version: assetVersion } : {}) };
      if (own?.bindTo !== undefined) pipelineOutputs[own.bindTo] = { step: id, output: name };
    }
    const dependsOn: string[] = [];
    for (const input of Object.values(inputValues)) {
      if (input.kind === "step_output" && !dependsOn.includes(input.step)) dependsOn.push(input.step);
    }
    const environment = node.environment ?? command.environment;
    noteIgnored(id, node, command, environment, ignored);
    const timeout = node.limits?.timeout;
    steps.push({
      id,
      nodePath: stepPath,
      ...(node.displayName !== undefined ? { displayName: node.displayName } : {}),
      component: command,
      ...(command.code !== undefined ? { codeDir: localCodeFolder(command, codeFolder(command, path), path) } : {}),
      inputs: inputValues,
      outputs,
      ...(environment !== undefined ? { environment } : {}),
      environmentVariables: { ...(node.environmentVariables ?? {}) },
      ...(timeout !== undefined ? { timeoutSeconds: timeout } : {}),
      deterministic: command.isDeterministic !== false,
      dependsOn,
      ...(Object.keys(registerOutputs).length ? { registerOutputs } : {}),
    });
    return produced;
  };

  for (const node of pipeline.jobs) nodeOutputs(node.name, where(node));
  return pipelineOutputs;
}

function resolveBinding(
  binding: BindingModel,
  port: InputPortModel,
  path: string,
  /** The folder a relative path in the binding is relative to (read only when one is: reading a call site formats its stack frame). */
  baseDir: () => string,
  parentInputs: Readonly<Record<string, StepInput>>,
  nodeOutput: (node: string, output: string) => StepOutputRef,
): StepInput {
  switch (binding.kind) {
    case "literal":
      if (!isPrimitiveKind(port.type)) {
        return { kind: "data", type: port.type, source: dataSource(String(binding.value), baseDir()) };
      }
      return valueInput(port, binding.value, path);
    case "data":
      return {
        kind: "data",
        type: isPrimitiveKind(port.type) ? binding.type : port.type,
        source: dataSource(binding.path ?? "", binding.baseDir ?? baseDir()),
        ...(binding.mode !== undefined ? { mode: binding.mode } : {}),
      };
    case "parent_input": {
      const value = parentInputs[binding.input];
      if (!value) throw new RunnerError("PW4005", `'${path}' is bound to the pipeline input '${binding.input}', which is not declared`, { path, location: binding.location });
      if (value.kind === "value" && isPrimitiveKind(port.type)) return valueInput(port, value.value, path);
      if (value.kind === "value") return { kind: "data", type: port.type, source: dataSource(renderValue(value.value), baseDir()) };
      if (value.kind === "unset") return value;
      return { ...value, type: port.type };
    }
    case "node_output": {
      const ref = nodeOutput(binding.node, binding.output);
      return { kind: "step_output", type: port.type, step: ref.step, output: ref.output };
    }
    case "invalid":
      throw new RunnerError("PW4005", `'${path}' cannot be bound: ${binding.description}`, { path, location: binding.location });
    case "raw":
      throw new RunnerError("PW4005", `'${path}' is bound to ${JSON.stringify(binding.value)}, an expression the local runner does not evaluate; bind a node output, a pipeline input or a literal`, { path, location: binding.location });
  }
}

function valueInput(port: InputPortModel, value: Scalar, path: string): StepInput {
  const coerced = coercePrimitive(port.type, value);
  if (coerced === undefined) {
    throw new RunnerError("PW4008", `'${path}' is ${port.type}, and ${JSON.stringify(value)} is not a valid ${port.type}`, { path });
  }
  return { kind: "value", type: port.type, value: coerced };
}

function withDefault(input: StepInput, port: InputPortModel, path: string, baseDir: string): StepInput {
  if (input.kind !== "unset" || port.default === undefined) return input;
  if (isPrimitiveKind(port.type)) return valueInput(port, port.default, path);
  return { kind: "data", type: port.type, source: dataSource(String(port.default), baseDir) };
}

function missingOutput(node: string, output: string, path: string): never {
  throw new RunnerError("PW4005", `'${path}' reads output '${output}' of node '${node}', which it does not have`, { path });
}

function checkPortName(name: string, path: string): void {
  if (!SAFE_PORT_NAME.test(name)) {
    throw new RunnerError("PW4006", `port name '${name}' may only contain letters, digits, '_' and '.' (it names a folder of the run)`, { path });
  }
}

function codeFolder(component: CommandComponentModel, path: string): string {
  const code = component.code ?? "";
  if (code.startsWith("azureml:") || /^[a-z][a-z0-9+.-]*:\/\//i.test(code) || code.startsWith("git+")) {
    throw new RunnerError("PW4002", `component '${component.name}' takes its code from '${code}'; the local runner needs a local code folder`, { path, location: component.location });
  }
  const local = code.startsWith("file:") ? code.slice("file:".length) : code;
  return isAbsolute(local) ? local : resolve(component.baseDir ?? process.cwd(), local);
}

function dirOf(file: string): string {
  return resolve(file, "..");
}

function noteIgnored(
  step: string,
  node: NodeModel,
  component: CommandComponentModel,
  environment: unknown,
  ignored: IgnoredSetting[],
): void {
  const add = (setting: string, value: unknown) => {
    if (value !== undefined) ignored.push({ step, setting, value: typeof value === "string" ? value : JSON.stringify(value) });
  };
  add("compute", node.compute);
  const resources = { ...(component.resources ?? {}), ...(node.resources ?? {}) };
  add("resources.instance_type", resources.instanceType);
  add("resources.instance_count", resources.instanceCount);
  add("resources.max_instance_count", resources.maxInstanceCount);
  add("resources.shm_size", resources.shmSize);
  add("resources.docker_args", resources.dockerArgs);
  add("resources.locations", resources.locations);
  add("resources.properties", resources.properties);
  add("distribution", node.distribution ?? component.distribution);
  if (environment !== undefined) {
    ignored.push({ step, setting: "environment", value: `${typeof environment === "string" ? environment : JSON.stringify(environment)} (not built locally: the step ran with this machine's tools)` });
  }
}
