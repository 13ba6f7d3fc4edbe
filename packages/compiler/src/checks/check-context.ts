/** Shared state of one `checkPipelineJob` run: the diagnostics found and the options. */
import type {
  CommandComponentModel,
  ComponentModel,
  ComponentReferenceModel,
  NodeModel,
  PipelineComponentModel,
  SourceLocation,
} from "@pipewright/dsl";
import type { DiagnosticCode } from "../diagnostics/codes.js";
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import { indexNodes, type NodeIndex } from "../graph/node-graph.js";

export interface CheckOptions {
  /**
   * Whether a component is anonymous: loaded from a YAML file that a node references by path
   * (or defined inline in a YAML job). Azure ignores such a component's `name`, so the name rule
   * (PW1001) does not apply to it.
   * @default a component is anonymous when its location is in a `.yml`/`.yaml` file
   */
  readonly isAnonymousComponent?: (component: ComponentModel) => boolean;
}

export class CheckContext {
  readonly diagnostics: Diagnostic[] = [];
  private readonly visited = new WeakSet<object>();

  constructor(readonly options: CheckOptions) {}

  report(code: DiagnosticCode, message: string, path: string, location: SourceLocation | undefined): void {
    this.diagnostics.push(diagnostic(code, message, { path, location }));
  }

  /**
   * True the first time a component is seen. A component used by many nodes is checked once,
   * at the path of its first use, so 10,000 calls of one component give one diagnostic each.
   */
  firstVisit(component: object): boolean {
    if (this.visited.has(component)) return false;
    this.visited.add(component);
    return true;
  }
}

/** One pipeline body being checked: the pipeline component and where it sits. */
export interface BodyScope {
  /** `outer` for the job's pipeline, `outer/inner_node` for a nested pipeline. */
  readonly path: string;
  readonly component: PipelineComponentModel;
  /** Node names, shared with the dependency graph so a body is indexed once. */
  readonly nodes: NodeIndex;
}

export function bodyScope(component: PipelineComponentModel, path: string): BodyScope {
  return { path, component, nodes: indexNodes(component.jobs) };
}

/** The first node declared under a name. */
export function findNode(scope: BodyScope, name: string): NodeModel | undefined {
  const i = scope.nodes.index.get(name);
  return i === undefined ? undefined : scope.nodes.first[i];
}

export function isReference(component: ComponentModel | ComponentReferenceModel): component is ComponentReferenceModel {
  return component.type === "reference" && typeof (component as ComponentReferenceModel).ref === "string";
}

export function isCommandComponent(
  component: ComponentModel | ComponentReferenceModel,
): component is CommandComponentModel {
  return component.type === "command" && typeof (component as CommandComponentModel).command === "string";
}

export function isPipelineComponent(
  component: ComponentModel | ComponentReferenceModel,
): component is PipelineComponentModel {
  return component.type === "pipeline" && Array.isArray((component as PipelineComponentModel).jobs);
}

/** `Object.hasOwn` for model records: a port named `constructor` is not inherited from Object. */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

export function quote(name: string): string {
  return `'${name}'`;
}
