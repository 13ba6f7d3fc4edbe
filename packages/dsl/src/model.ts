/**
 * The pipeline model: plain, frozen data that the DSL builds and the YAML loader also produces.
 * Everything downstream (checks, emitters, runners) reads only this. Field names are camelCase;
 * the emitters map them to Azure's snake_case. `extra` keeps keys pipewright does not model, so
 * a YAML file loaded and written back loses nothing.
 */
import type { SourceLocation } from "./location.js";

export type Scalar = string | number | boolean;
export type Extra = Readonly<Record<string, unknown>>;

export interface InputPortModel {
  /** A port kind; a string outside PORT_KINDS only when loaded from YAML (e.g. legacy `path`). */
  readonly type: string;
  readonly optional?: boolean;
  readonly default?: Scalar;
  readonly min?: number | string;
  readonly max?: number | string;
  readonly enum?: readonly Scalar[];
  readonly description?: string;
  readonly mode?: string;
  readonly location?: SourceLocation;
  readonly extra?: Extra;
}

export interface OutputPortModel {
  readonly type: string;
  readonly description?: string;
  readonly mode?: string;
  /** Primitive control outputs (`is_control`), used by control-flow nodes. */
  readonly isControl?: boolean;
  readonly location?: SourceLocation;
  readonly extra?: Extra;
}

export interface InlineEnvironmentModel {
  readonly image?: string;
  /** A path to a conda YAML file (relative to the component's baseDir) or the conda spec inline. */
  readonly condaFile?: string | Readonly<Record<string, unknown>>;
  readonly build?: { readonly path: string; readonly dockerfilePath?: string };
  readonly osType?: "linux" | "windows";
  readonly name?: string;
  readonly version?: string;
  readonly description?: string;
  readonly extra?: Extra;
}

/** `azureml:name:version`, `azureml:name@label`, `azureml://registries/...`, or inline. */
export type EnvironmentModel = string | InlineEnvironmentModel;

export interface ResourcesModel {
  readonly instanceCount?: number;
  readonly instanceType?: string;
  readonly shmSize?: string;
  readonly maxInstanceCount?: number;
  readonly dockerArgs?: string;
  readonly locations?: readonly string[];
  readonly properties?: Readonly<Record<string, unknown>>;
  readonly extra?: Extra;
}

export type DistributionModel =
  | { readonly type: "mpi"; readonly processCountPerInstance?: number; readonly extra?: Extra }
  | { readonly type: "pytorch"; readonly processCountPerInstance?: number; readonly extra?: Extra }
  | {
      readonly type: "tensorflow";
      readonly workerCount?: number;
      readonly parameterServerCount?: number;
      readonly extra?: Extra;
    }
  | { readonly type: "ray"; readonly extra?: Extra };

/** An interactive service on a node's compute (`services:`): ssh, jupyter_lab, tensor_board, vs_code. */
export interface ServiceModel {
  readonly type?: string;
  readonly port?: number;
  readonly nodes?: Readonly<Record<string, unknown>>;
  readonly properties?: Readonly<Record<string, unknown>>;
  readonly sshPublicKeys?: string;
  readonly logDir?: string;
  readonly extra?: Extra;
}

interface ComponentCommon {
  readonly name: string;
  readonly version?: string;
  readonly displayName?: string;
  readonly description?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly isDeterministic?: boolean;
  readonly inputs: Readonly<Record<string, InputPortModel>>;
  readonly outputs: Readonly<Record<string, OutputPortModel>>;
  /** Absolute folder that relative paths in this component (code, conda file) resolve against. */
  readonly baseDir?: string;
  readonly location?: SourceLocation;
  readonly extra?: Extra;
}

export interface CommandComponentModel extends ComponentCommon {
  readonly type: "command";
  readonly command: string;
  readonly code?: string;
  readonly environment?: EnvironmentModel;
  readonly resources?: ResourcesModel;
  readonly distribution?: DistributionModel;
  readonly additionalIncludes?: readonly string[];
  readonly properties?: Readonly<Record<string, unknown>>;
  /**
   * Written as a command job node (`command:` and `environment:` on the node itself, no
   * component file), the form hello-pipeline-io.yml uses.
   */
  readonly inlineJob?: boolean;
}

export interface PipelineComponentModel extends ComponentCommon {
  readonly type: "pipeline";
  /** Nodes in the order they were declared. */
  readonly jobs: readonly NodeModel[];
  /** Mistakes found while the DSL ran the pipeline body, reported by the compiler. */
  readonly problems?: readonly ModelProblem[];
}

/** A mistake the DSL noticed while building, kept as data for the compiler to report. */
export interface ModelProblem {
  readonly kind:
    | "pipeline_output_not_node_output"
    | "pipeline_output_unknown"
    | "node_output_bound_twice";
  /** The pipeline output concerned. */
  readonly output: string;
  readonly message: string;
  readonly location?: SourceLocation;
}

/** A component of a kind pipewright keeps but does not model (parallel, spark, ...), from YAML. */
export interface OpaqueComponentModel extends ComponentCommon {
  readonly type: string;
  /** Every key of the source document besides the common ones above. */
  readonly body: Readonly<Record<string, unknown>>;
  /**
   * Absolute path of the file this component was loaded from, set only when that file must stay
   * where it is: a prompt flow (`flow.dag.yaml`, a Run file) has no `type` and names files
   * relative to its own folder, so a copy would change it. Emitters then refer to this file by a
   * path relative to the file they write, and write no copy of it.
   */
  readonly sourceFile?: string;
}

export type ComponentModel = CommandComponentModel | PipelineComponentModel | OpaqueComponentModel;

/**
 * A component named, not defined: `azureml:name:version`, `azureml:name@label`, a registry URI.
 * `inputs` and `outputs`, when given, declare the ports the pipeline uses (DSL `componentRef`),
 * so wiring can be checked; without them nothing is known about the component's ports.
 */
export interface ComponentReferenceModel {
  readonly type: "reference";
  readonly ref: string;
  readonly inputs?: Readonly<Record<string, InputPortModel>>;
  readonly outputs?: Readonly<Record<string, OutputPortModel>>;
  readonly location?: SourceLocation;
}

/** What a node input (or a job input) is bound to. */
export type BindingModel =
  | { readonly kind: "literal"; readonly value: Scalar; readonly location?: SourceLocation }
  | { readonly kind: "parent_input"; readonly input: string; readonly location?: SourceLocation }
  | {
      readonly kind: "node_output";
      readonly node: string;
      readonly output: string;
      readonly location?: SourceLocation;
    }
  | ({ readonly kind: "data" } & DataBindingModel)
  /** A value the DSL could not represent (e.g. an object passed where a port value belongs). */
  | { readonly kind: "invalid"; readonly description: string; readonly location?: SourceLocation }
  /** Any other `${{...}}` expression or structure kept verbatim from YAML. */
  | { readonly kind: "raw"; readonly value: unknown; readonly location?: SourceLocation };

export interface DataBindingModel {
  readonly type: string;
  /** As written: a relative local path, `azureml:...`, `azureml://datastores/...`, http(s)... */
  readonly path?: string;
  readonly mode?: string;
  readonly pathOnCompute?: string;
  readonly datastore?: string;
  /** Absolute folder a relative local `path` resolves against. */
  readonly baseDir?: string;
  readonly location?: SourceLocation;
  readonly extra?: Extra;
}

/** Settings of a node output: mode, where it is written, and registering it as an asset. */
export interface NodeOutputModel {
  /** The parent pipeline output this output is bound to (`${{parent.outputs.x}}`). */
  readonly bindTo?: string;
  readonly type?: string;
  readonly mode?: string;
  readonly path?: string;
  readonly name?: string;
  readonly version?: string;
  readonly location?: SourceLocation;
  readonly extra?: Extra;
}

export interface NodeModel {
  readonly name: string;
  /** `command`, `pipeline`, or another Azure node type kept from YAML. */
  readonly type: string;
  readonly component: ComponentModel | ComponentReferenceModel;
  readonly inputs: Readonly<Record<string, BindingModel>>;
  /**
   * Inputs in `inputs` that the component does not declare, bound on purpose (DSL
   * `undeclaredInputs`): Azure passes them on and the component ignores them.
   */
  readonly undeclaredInputs?: readonly string[];
  readonly outputs: Readonly<Record<string, NodeOutputModel>>;
  readonly displayName?: string;
  readonly description?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly compute?: string;
  readonly environment?: EnvironmentModel;
  readonly environmentVariables?: Readonly<Record<string, string>>;
  readonly resources?: ResourcesModel;
  readonly distribution?: DistributionModel;
  readonly limits?: { readonly timeout?: number };
  readonly services?: Readonly<Record<string, ServiceModel>>;
  readonly properties?: Readonly<Record<string, unknown>>;
  /** How the node got its name: chosen by the user, or defaulted from the component name. */
  readonly naming?: "explicit" | "default";
  readonly location?: SourceLocation;
  readonly extra?: Extra;
}

export interface PipelineSettingsModel {
  readonly defaultCompute?: string;
  readonly defaultDatastore?: string;
  readonly continueOnStepFailure?: boolean;
  readonly forceRerun?: boolean;
  readonly extra?: Extra;
}

export interface JobOutputModel {
  readonly type?: string;
  readonly mode?: string;
  readonly path?: string;
  readonly name?: string;
  readonly version?: string;
  readonly description?: string;
  readonly extra?: Extra;
}

/** A pipeline bound to concrete inputs: the thing that is compiled, run or submitted. */
export interface PipelineJobModel {
  readonly type: "pipeline_job";
  readonly name?: string;
  readonly displayName?: string;
  readonly description?: string;
  readonly experimentName?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly properties?: Readonly<Record<string, unknown>>;
  readonly compute?: string;
  readonly settings: PipelineSettingsModel;
  /** Job-level input values: literals or data. */
  readonly inputs: Readonly<Record<string, BindingModel>>;
  readonly outputs: Readonly<Record<string, JobOutputModel>>;
  /** The graph: its ports declare the job's inputs and outputs, its jobs are the nodes. */
  readonly pipeline: PipelineComponentModel;
  /**
   * The job names its pipeline as a pipeline component (`component:` and a file of its own)
   * instead of listing the nodes under `jobs:`. Azure runs the same graph either way.
   */
  readonly asComponent?: boolean;
  readonly baseDir?: string;
  readonly location?: SourceLocation;
  readonly extra?: Extra;
}
