/**
 * Resolving asset references for local runs. A job's registered-component nodes become the
 * stored components before the job is planned; data and model inputs become the stored files
 * (or the URI registered) before any step starts; an unknown reference is PW4502 then, never a
 * step failure later. Outputs that carry an asset name are registered once their step succeeds,
 * as Azure ML registers them.
 */
import { MODEL_ASSET_TYPES } from "@pipewright/dsl";
import type { CommandComponentModel, ComponentModel, EnvironmentModel, NodeModel, PipelineComponentModel, PipelineJobModel } from "@pipewright/dsl";
import { isPrimitiveKind } from "@pipewright/dsl";
import { parseAssetReference, type AssetSelector } from "./asset-reference.js";
import type { LocalRegistry } from "./local-registry.js";
import type { AssetRecord, RegistryKind } from "./records.js";
import { RegistryError } from "./registry-error.js";

/** What a step output registers (`name`/`version` on the output), with where it was produced. */
export interface OutputRegistration {
  readonly name: string;
  readonly version?: string;
  /** The output's type: model types register models, the others data. */
  readonly type: string;
  /** The output as produced (absolute). */
  readonly path: string;
  readonly job: string;
  readonly step: string;
  readonly output: string;
}

/** The hook the local executor calls; the local registry implements it. */
export interface AssetResolver {
  /** The job with every registered-component node replaced by the stored component. */
  resolveJob(job: PipelineJobModel): PipelineJobModel;
  /** The local path (or registered URI) of a data or model reference given to an input of `type`. */
  resolveInput(ref: string, type: string, where: string): string;
  /** Registers a produced output; returns the version registered. */
  registerOutput(output: OutputRegistration): AssetRecord | undefined;
}

const MODEL_TYPES: ReadonlySet<string> = new Set(MODEL_ASSET_TYPES);

export class LocalAssetResolver implements AssetResolver {
  private readonly open: () => LocalRegistry;

  /** Over a registry, or a function opening it when a job first names an asset. */
  constructor(registry: LocalRegistry | (() => LocalRegistry)) {
    this.open = typeof registry === "function" ? registry : () => registry;
  }

  private get registry(): LocalRegistry {
    return this.open();
  }

  resolveJob(job: PipelineJobModel): PipelineJobModel {
    const pipeline = this.resolvePipeline(job.pipeline, job.pipeline.name);
    return pipeline === job.pipeline ? job : { ...job, pipeline };
  }

  resolveInput(ref: string, type: string, where: string): string {
    const parsed = parseAssetReference(ref);
    if (parsed.kind === "unsupported") throw new RegistryError("PW4503", `'${ref}' cannot be resolved locally: ${parsed.why}`, [], { path: where });
    const kind: RegistryKind = parsed.assetKind ?? (MODEL_TYPES.has(type) ? "model" : "data");
    if (kind !== "data" && kind !== "model") {
      throw new RegistryError("PW4503", `'${ref}' names ${kind === "environment" ? "an environment" : "a component"}, which cannot be an input's data`, [], { path: where });
    }
    const record = this.find(kind, parsed.name, parsed.selector, ref, where);
    if (record.kind !== "data" && record.kind !== "model") throw new RegistryError("PW4503", `'${ref}' is not data`, [], { path: where });
    return record.path;
  }

  registerOutput(output: OutputRegistration): AssetRecord | undefined {
    if (isPrimitiveKind(output.type)) return undefined;
    const kind = MODEL_TYPES.has(output.type) ? "model" : "data";
    const description = `output '${output.output}' of step '${output.step}' in local job '${output.job}'`;
    const common = { name: output.name, type: output.type, path: output.path, description, ...(output.version !== undefined ? { version: output.version } : {}) };
    return kind === "model" ? this.registry.register({ kind: "model", ...common }) : this.registry.register({ kind: "data", ...common });
  }

  private resolvePipeline(pipeline: PipelineComponentModel, path: string): PipelineComponentModel {
    let changed = false;
    const jobs = pipeline.jobs.map((node): NodeModel => {
      const where = `${path}/${node.name}`;
      const component = this.resolveNodeComponent(node, where);
      if (node.environment !== undefined) this.checkEnvironment(node.environment, `${where}/environment`);
      if (component === node.component) return node;
      changed = true;
      return { ...node, component };
    });
    return changed ? { ...pipeline, jobs } : pipeline;
  }

  private resolveNodeComponent(node: NodeModel, where: string): NodeModel["component"] {
    const component = node.component;
    if (component.type === "reference" && "ref" in component) {
      const parsed = parseAssetReference(component.ref);
      if (parsed.kind === "unsupported") throw new RegistryError("PW4503", `node '${node.name}' uses the component '${component.ref}', which cannot be resolved locally: ${parsed.why}`, [], { path: where });
      const record = this.find("component", parsed.name, parsed.selector, component.ref, where);
      const loaded = this.registry.loadComponent(record.name, { version: record.version });
      return this.resolveComponent(loaded, where);
    }
    return this.resolveComponent(component as ComponentModel, where);
  }

  private resolveComponent(component: ComponentModel, where: string): ComponentModel {
    if (component.type === "pipeline" && "jobs" in component) return this.resolvePipeline(component, where);
    if (component.type === "command" && "command" in component) {
      const command = component as CommandComponentModel;
      if (command.environment !== undefined) this.checkEnvironment(command.environment, `${where}/environment`);
    }
    return component;
  }

  /**
   * Steps run with this machine's tools, so an environment is only recorded. A reference to an
   * environment this registry knows must still name a version it has; other names (curated
   * environments) are left to Azure.
   */
  private checkEnvironment(environment: EnvironmentModel, where: string): void {
    if (typeof environment !== "string" || !environment.startsWith("azureml:")) return;
    const parsed = parseAssetReference(environment);
    if (parsed.kind !== "asset") return;
    if (!this.registry.list("environment", parsed.name, { includeArchived: true }).length) return;
    this.find("environment", parsed.name, parsed.selector, environment, where);
  }

  private find(kind: RegistryKind, name: string, selector: AssetSelector, ref: string, where: string): AssetRecord {
    try {
      return this.registry.get(kind, name, selector);
    } catch (error) {
      if (error instanceof RegistryError) throw new RegistryError(error.code, `'${ref}' cannot be resolved: ${error.message}`, error.diagnostics, { path: where });
      throw error;
    }
  }
}
