/** A pipeline job as `export const job = <pipeline>.job(inputs, options)`, its pipeline declared just before. */
import type { PipelineJobModel } from "@pipewright/dsl";
import { isKindAssignable } from "@pipewright/dsl";
import { fitsKind } from "./command-source.js";
import type { Emission } from "./emission.js";
import { code, literal, type Code } from "./literal.js";
import { dataExpression, outputSettings, pipelineExpression, type ComponentNames } from "./pipeline-source.js";
import { dropExtra } from "./command-source.js";

export interface JobStatements {
  /** The job's own pipeline, declared in the job's file; absent when the job names a component. */
  readonly pipeline?: Code;
  /** The identifier of the pipeline component the job names (`asComponent`), imported. */
  readonly component?: string;
  readonly job: (pipelineIdentifier: string) => Code;
}

export function jobStatements(job: PipelineJobModel, out: Emission, names: ComponentNames): JobStatements {
  const path = job.pipeline.name;
  const inputKinds = jobInputKinds(job);
  const settings = job.settings;
  dropExtra(settings.extra, out, `${path}/settings`, job.location);
  const jobSpec: Record<string, unknown> = {
    displayName: job.displayName,
    description: job.description,
    experimentName: job.experimentName,
    settings: cleanSettings(settings),
  };
  // A job that names a pipeline component calls that component's `.job()`, with its own fields as options.
  let pipeline: Code | undefined;
  let component: string | undefined;
  if (job.asComponent === true) {
    component = names.identifier(job.pipeline, out);
    if (component === undefined) out.block(`the pipeline component '${job.pipeline.name}' could not be generated`, path, job.location);
    for (const key of ["displayName", "description", "tags"] as const) {
      if (job.pipeline[key] !== undefined && job[key] === undefined) {
        out.drop(`the job sets no ${key}, but .job() gives it the component's, so the compiled job has one`, path, job.location);
      }
    }
  } else {
    pipeline = pipelineExpression(job.pipeline, out, names, path, jobSpec, inputKinds);
  }

  const values: Record<string, unknown> = {};
  for (const [name, binding] of Object.entries(job.inputs)) {
    const kind = inputKinds[name] ?? job.pipeline.inputs[name]?.type ?? "string";
    if (binding.kind === "literal") {
      if (fitsKind(binding.value, kind) || (kind === "number" && fitsKind(binding.value, "integer"))) values[name] = binding.value;
      else out.block(`job input '${name}': ${JSON.stringify(binding.value)} is not a ${kind} value`, `${path}/inputs/${name}`, binding.location);
    } else if (binding.kind === "data") {
      const expression = dataExpression(binding, kind, out, `${path}/inputs/${name}`);
      if (expression) values[name] = expression;
    } else {
      out.block(`job input '${name}' has no DSL form`, `${path}/inputs/${name}`, binding.location);
    }
  }
  const outputs: Record<string, unknown> = {};
  for (const [name, settings] of Object.entries(job.outputs)) {
    // The output's type is its port's kind, declared on the pipeline, which the emitter writes
    // unless it is uri_folder; a `type: uri_folder` the YAML spells out is kept.
    const { type, ...untyped } = settings;
    const kept = type === "uri_folder" && job.pipeline.outputs[name]?.type === "uri_folder" ? settings : untyped;
    const rendered = outputSettings(kept, out, `${path}/outputs/${name}`, job.location);
    if (settings.description !== undefined) out.drop(`job output '${name}' has a description the DSL cannot set; left out`, `${path}/outputs/${name}`, job.location);
    if (rendered) outputs[name] = rendered;
  }
  if (job.properties !== undefined) out.drop("job 'properties' have no DSL option; left out", path, job.location);
  dropExtra(job.extra, out, path, job.location);
  const options: Record<string, unknown> = {
    name: job.name,
    ...(job.asComponent === true ? jobSpec : {}),
    tags: job.tags,
    compute: job.compute,
    outputs: Object.keys(outputs).length ? outputs : undefined,
    asComponent: job.asComponent,
  };
  const hasOptions = Object.values(options).some((value) => value !== undefined);
  const args = [Object.keys(values).length || hasOptions ? literal(values) : "", hasOptions ? literal(options) : ""].filter(Boolean);
  return {
    ...(pipeline ? { pipeline } : {}),
    ...(component ? { component } : {}),
    job: (identifier) => code(`${identifier}.job(${args.join(", ")})`),
  };
}

function cleanSettings(settings: PipelineJobModel["settings"]): Record<string, unknown> | undefined {
  const { extra: _extra, ...rest } = settings;
  return Object.keys(rest).length ? rest : undefined;
}

/**
 * The kind of each job input port. A literal's own kind (20 is an integer) unless every input
 * it feeds has one kind the literal also fits (20 feeding number inputs makes a number port).
 */
function jobInputKinds(job: PipelineJobModel): Record<string, string> {
  const consumers = new Map<string, Set<string>>();
  for (const node of job.pipeline.jobs) {
    const component = node.component;
    if (component.type === "reference" && "ref" in component) continue;
    const ports = (component as { inputs: Readonly<Record<string, { type: string }>> }).inputs;
    for (const [input, binding] of Object.entries(node.inputs)) {
      const kind = ports[input]?.type;
      if (binding.kind !== "parent_input" || kind === undefined) continue;
      const set = consumers.get(binding.input) ?? new Set<string>();
      set.add(kind);
      consumers.set(binding.input, set);
    }
  }
  const kinds: Record<string, string> = {};
  for (const [name, port] of Object.entries(job.pipeline.inputs)) {
    const binding = job.inputs[name];
    const wanted = consumers.get(name);
    const only = wanted && wanted.size === 1 ? [...wanted][0] : undefined;
    if (only !== undefined && binding?.kind === "literal" && fitsKind(binding.value, only)) kinds[name] = only;
    else if (only !== undefined && binding?.kind !== "literal" && binding !== undefined && isKindAssignable(port.type, only)) kinds[name] = port.type;
    else kinds[name] = port.type;
  }
  return kinds;
}
