/** The execution plan: a pipeline job flattened into command steps with resolved bindings. */
import type { CommandComponentModel, EnvironmentModel, Scalar } from "@pipewright/dsl";

/** Where an input's data comes from before it is materialized as a local path. */
export type DataSource =
  | { readonly kind: "local"; readonly path: string }
  | { readonly kind: "datastore"; readonly datastore: string; readonly path: string; readonly uri: string }
  | { readonly kind: "http"; readonly url: string }
  | { readonly kind: "asset"; readonly ref: string }
  | { readonly kind: "unsupported"; readonly uri: string };

export type StepInput =
  | { readonly kind: "value"; readonly type: string; readonly value: Scalar }
  | { readonly kind: "data"; readonly type: string; readonly source: DataSource; readonly mode?: string }
  | { readonly kind: "step_output"; readonly type: string; readonly step: string; readonly output: string }
  | { readonly kind: "unset" };

export interface StepOutput {
  readonly type: string;
  readonly mode?: string;
  /** Where the user asked the output to go (`azureml://datastores/...` or a local path). */
  readonly path?: string;
}

export interface PlannedStep {
  /** Node names from the job's pipeline down to this command node, joined with `/`. */
  readonly id: string;
  readonly nodePath: readonly string[];
  readonly displayName?: string;
  readonly component: CommandComponentModel;
  /** Absolute local code folder, when the component has one. */
  readonly codeDir?: string;
  readonly inputs: Readonly<Record<string, StepInput>>;
  readonly outputs: Readonly<Record<string, StepOutput>>;
  readonly environment?: EnvironmentModel;
  readonly environmentVariables: Readonly<Record<string, string>>;
  /** `limits.timeout`, seconds. */
  readonly timeoutSeconds?: number;
  readonly deterministic: boolean;
  /** Steps whose outputs this step reads, in declaration order, without repeats. */
  readonly dependsOn: readonly string[];
  /** Outputs registered as assets once the step succeeds (`name`/`version` on the output). */
  readonly registerOutputs?: Readonly<Record<string, { readonly name: string; readonly version?: string }>>;
}

/** A setting that means something only on Azure, reported in the run summary. */
export interface IgnoredSetting {
  readonly step: string;
  readonly setting: string;
  readonly value: string;
}

export interface ExecutionPlan {
  readonly pipelineName: string;
  readonly displayName?: string;
  readonly experimentName?: string;
  readonly continueOnStepFailure: boolean;
  readonly forceRerun: boolean;
  readonly steps: readonly PlannedStep[];
  /** Job outputs and the step output each is bound to (`${{parent.outputs.x}}`). */
  readonly outputs: Readonly<Record<string, { readonly step: string; readonly output: string }>>;
  readonly ignored: readonly IgnoredSetting[];
}
