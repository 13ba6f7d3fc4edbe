/**
 * `components.createOrUpdate`: registers a component (and the components a pipeline component
 * uses) as anonymous versions named by content hash, uploading its code folder if needed. The
 * same definition gives the same version; registering it again changes nothing.
 */
import { collectLocalAssets, compileRestBodies } from "@pipewright/compiler";
import type { ComponentModel, PipelineJobModel } from "@pipewright/dsl";
import { AzureError } from "./azure-error.js";
import { includeContext } from "./submit.js";
import type { Uploader } from "./uploads.js";
import type { WorkspaceApi } from "./workspace-api.js";

export interface RegisteredComponent {
  readonly name: string;
  readonly version: string;
  /** ARM id: what a node's `componentId` names. */
  readonly id: string;
  /** False when the workspace already had this version. */
  readonly created: boolean;
}

export class AzureComponentsOperations {
  constructor(
    private readonly api: WorkspaceApi,
    private readonly uploader: Uploader,
    private readonly cwd?: string,
  ) {}

  async createOrUpdate(component: ComponentModel | { readonly model: ComponentModel }): Promise<RegisteredComponent> {
    const model: ComponentModel = "model" in component ? component.model : component;
    // A one-node pipeline around the component reuses the job path: same uploads, same bodies.
    const job: PipelineJobModel = {
      type: "pipeline_job",
      settings: {},
      inputs: {},
      outputs: {},
      pipeline: { type: "pipeline", name: "component_registration", inputs: {}, outputs: {}, jobs: [{ name: "node", type: model.type, component: model, inputs: {}, outputs: {} }] },
    };
    const assets = collectLocalAssets(job, this.cwd);
    const code = new Map<string, string>();
    for (const folder of assets.codeFolders) code.set(folder.key, await this.uploader.codeVersion(folder.path, folder.includes, includeContext(folder)));
    const bodies = compileRestBodies(job, { workspace: this.api.scope, resolution: { code }, ...(this.cwd !== undefined ? { fallbackDir: this.cwd } : {}) });
    const errors = [...assets.problems, ...bodies.problems].filter((p) => p.severity === "error");
    if (errors.length > 0) throw new AzureError("PW4603", `component ${model.name} cannot be registered:\n${errors.map((p) => `  ${p.path}: ${p.message}`).join("\n")}`);
    let last: RegisteredComponent | undefined;
    for (const version of bodies.components) {
      const exists = await this.api.componentVersionExists(version.name, version.version);
      if (!exists) await this.api.putComponentVersion(version.name, version.version, version.body);
      last = { name: version.name, version: version.version, id: version.id, created: !exists };
    }
    if (!last) throw new AzureError("PW4603", `component ${model.name} has nothing to register`);
    return last;
  }
}
