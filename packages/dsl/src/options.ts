/** Options shared by components, nodes and jobs, in the DSL's camelCase spelling. */
import type { DataKind, OutputMode } from "./kinds.js";
import type { DistributionModel } from "./model.js";
import type { DataRef, OutputRef, PipelineInputRef } from "./refs.js";

/** An environment reference (`azureml:name:version`, `azureml:name@latest`, registry URI) or inline. */
export type EnvironmentSpec =
  | string
  | {
      readonly image?: string;
      /** Path to a conda YAML file, relative to the declaring file, or the conda spec inline. */
      readonly condaFile?: string | Readonly<Record<string, unknown>>;
      readonly build?: { readonly path: string; readonly dockerfilePath?: string };
      readonly osType?: "linux" | "windows";
    };

export interface ResourcesSpec {
  readonly instanceCount?: number;
  readonly instanceType?: string;
  readonly shmSize?: string;
  readonly maxInstanceCount?: number;
  readonly dockerArgs?: string;
  readonly locations?: readonly string[];
  readonly properties?: Readonly<Record<string, unknown>>;
}

export type DistributionSpec =
  | { readonly type: "mpi"; readonly processCountPerInstance?: number }
  | { readonly type: "pytorch"; readonly processCountPerInstance?: number }
  | { readonly type: "tensorflow"; readonly workerCount?: number; readonly parameterServerCount?: number }
  | { readonly type: "ray" };

/** An interactive service on the node's compute, e.g. `{ type: "tensor_board", logDir: "outputs/tblogs" }`. */
export interface ServiceSpec {
  readonly type: "ssh" | "jupyter_lab" | "tensor_board" | "vs_code";
  readonly port?: number;
  /** Which nodes of a multi-node job run it, e.g. `{ node_index: 0 }`. @default the head node */
  readonly nodes?: Readonly<Record<string, unknown>>;
  readonly properties?: Readonly<Record<string, unknown>>;
  /** ssh only: the public key allowed in. */
  readonly sshPublicKeys?: string;
  /** tensor_board only: the folder it reads logs from. */
  readonly logDir?: string;
}

/** Settings for one node output (or a job-level output). */
export interface OutputSettings {
  /**
   * The output's kind written on the node, as some YAML does (`type: uri_folder`). Azure takes
   * the kind the component declares; this only restates it. @default not written
   */
  readonly type?: DataKind;
  readonly mode?: OutputMode;
  /** Where the output is written, e.g. `azureml://datastores/<ds>/paths/<p>`. */
  readonly path?: string;
  /** Register the output as a data asset with this name. */
  readonly name?: string;
  readonly version?: string;
}

/** Per-node overrides, the second argument of a component call. */
export interface NodeOptions<OutputName extends PropertyKey = string> {
  /** The node's name under `jobs:`. @default the component name, `_1`, `_2`... on repeats */
  readonly name?: string;
  readonly displayName?: string;
  readonly description?: string;
  readonly tags?: Readonly<Record<string, string>>;
  /** e.g. `azureml:cpu-cluster`, `serverless`, `local`. @default the pipeline's default compute */
  readonly compute?: string;
  readonly environment?: EnvironmentSpec;
  readonly environmentVariables?: Readonly<Record<string, string>>;
  readonly resources?: ResourcesSpec;
  readonly distribution?: DistributionSpec;
  /** `limits.timeout`, in seconds. */
  readonly timeout?: number;
  /** Interactive services (ssh, Jupyter Lab, TensorBoard, VS Code) by name. */
  readonly services?: Readonly<Record<string, ServiceSpec>>;
  readonly outputs?: { readonly [K in OutputName]?: OutputSettings };
  /**
   * Escape hatch: inputs the component does not declare, bound anyway and written as given.
   * Azure accepts them and the component ignores them; the compiler warns about each (PW2019).
   * Declared inputs belong in the first argument, where they are typed.
   */
  readonly undeclaredInputs?: Readonly<Record<string, UndeclaredInputValue>>;
}

/** What an undeclared input may be bound to: any port value, unchecked. */
export type UndeclaredInputValue = OutputRef | PipelineInputRef | DataRef | string | number | boolean;

export interface PipelineSettingsSpec {
  /** `serverless` or `azureml:<compute>`. */
  readonly defaultCompute?: string;
  /** `azureml:<datastore>`. */
  readonly defaultDatastore?: string;
  readonly continueOnStepFailure?: boolean;
  readonly forceRerun?: boolean;
}

export type { DistributionModel };
