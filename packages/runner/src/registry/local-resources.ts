/**
 * `computes` and `workspaces` of the local client. A compute is a recorded definition in the
 * local registry (versionless, like Azure's: the same definition again changes nothing, another
 * one replaces it); local runs still run on this machine, and the runner reports the Azure-only
 * settings a node names as ignored. `workspaces.beginCreate` creates (or opens) a workspace
 * folder named after the definition under the client's workspaces root and records the
 * definition there. Both return pollers, like Azure's, that are done at once.
 */
import { checkAsset } from "@pipewright/compiler";
import type { ComputeModel, WorkspaceModel } from "@pipewright/dsl";
import { join } from "node:path";
import { canonicalJson, sha256 } from "../local/content-hash.js";
import { RunnerError } from "../local/errors.js";
import { LocalWorkspace } from "../workspace/workspace.js";
import type {
  ComputeCreateOptions,
  ComputeOperations,
  ComputeRecord,
  CreationPoller,
  PollOptions,
  WorkspaceOperations,
  WorkspaceRecord,
} from "../client/resource-operations.js";
import { LocalRegistry } from "./local-registry.js";
import type { ResourceRow } from "./registry-db.js";
import { definitionError } from "./registry-error.js";

/** What a creation did: `unchanged` when the same definition was already recorded. */
export type LocalOutcome = "created" | "updated" | "unchanged";

export interface LocalComputeRecord extends ComputeRecord {
  /** The recorded definition (no source location; secrets stay references). */
  readonly definition: Readonly<Record<string, unknown>>;
  /** `sha256:<hex>` of the definition. */
  readonly contentHash: string;
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Set on the record `beginCreateOrUpdate` resolves with. */
  readonly outcome?: LocalOutcome;
}

export interface LocalWorkspaceRecord extends WorkspaceRecord {
  readonly description?: string;
  readonly tags: Readonly<Record<string, string>>;
  /** The workspace folder: open it with `MLClient.local({ workspace: path })`. */
  readonly path: string;
  readonly outcome: LocalOutcome;
}

/** A poller for work that is already done, the shape Azure's long-running creations have. */
export class CompletedOperation<T> implements CreationPoller<T> {
  readonly operationUrl = undefined;
  readonly status = "Succeeded";

  constructor(private readonly result: T) {}

  isDone(): boolean {
    return true;
  }

  async pollUntilDone(options: PollOptions = {}): Promise<T> {
    options.signal?.throwIfAborted();
    return this.result;
  }
}

/** The definition as recorded: plain JSON without where it was declared. */
function recorded(definition: ComputeModel | WorkspaceModel): Record<string, unknown> {
  const { location: _location, baseDir: _baseDir, ...rest } = definition;
  return JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
}

function hashOf(definition: Record<string, unknown>): string {
  return `sha256:${sha256(canonicalJson(definition))}`;
}

function computeRecordOf(row: ResourceRow, outcome?: LocalOutcome): LocalComputeRecord {
  const definition = JSON.parse(row.record_json) as Record<string, unknown> & Partial<ComputeModel>;
  const scale = definition.type === "amlcompute" ? definition : undefined;
  const optional = {
    location: definition.region,
    size: definition.type === "amlcompute" || definition.type === "computeinstance" ? definition.size : undefined,
    minInstances: scale !== undefined ? (scale.minInstances ?? 0) : undefined,
    maxInstances: scale?.maxInstances,
    description: definition.description,
    outcome,
  };
  return {
    name: row.name,
    type: String(definition.type ?? ""),
    provisioningState: "Succeeded",
    ...(Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)) as Partial<LocalComputeRecord>),
    tags: definition.tags ?? {},
    definition,
    contentHash: row.content_hash,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class LocalComputeOperations implements ComputeOperations<LocalComputeRecord> {
  constructor(private readonly registry: () => LocalRegistry) {}

  /** Checks the definition (as Azure would) and records it; the poller is done at once. */
  async beginCreateOrUpdate(definition: ComputeModel, _options: ComputeCreateOptions = {}): Promise<CreationPoller<LocalComputeRecord>> {
    const problems = checkAsset(definition);
    if (problems.some((p) => p.severity === "error")) throw definitionError(`compute ${definition.name}`, problems);
    const json = recorded(definition);
    const contentHash = hashOf(json);
    const db = this.registry().db;
    const outcome = db.transaction((): LocalOutcome => {
      const existing = db.getResource("compute", definition.name);
      if (existing?.content_hash === contentHash) return "unchanged";
      db.putResource({ kind: "compute", name: definition.name, content_hash: contentHash, updated_at: Date.now(), record_json: canonicalJson(json) });
      return existing ? "updated" : "created";
    });
    return new CompletedOperation(computeRecordOf(db.getResource("compute", definition.name) as ResourceRow, outcome));
  }

  async get(name: string): Promise<LocalComputeRecord> {
    const registry = this.registry();
    const row = registry.db.getResource("compute", name);
    if (row) return computeRecordOf(row);
    const known = registry.db.resources("compute").map((r) => r.name);
    throw new RunnerError(
      "PW4502",
      `no compute named '${name}' is recorded in ${registry.root} (${known.length ? `computes: ${known.join(", ")}` : "it has none"}); record one with \`pipewright compute create\``,
    );
  }

  async list(): Promise<LocalComputeRecord[]> {
    return this.registry().db.resources("compute").map((row) => computeRecordOf(row));
  }
}

export class LocalWorkspaceOperations implements WorkspaceOperations<LocalWorkspaceRecord> {
  /** `root`: the folder new workspaces are made in (`<root>/<name>/`). */
  constructor(readonly root: string) {}

  /** Creates (or opens) `<root>/<name>/` as a workspace folder and records the definition in its registry. */
  async beginCreate(definition: WorkspaceModel, _options: object = {}): Promise<CreationPoller<LocalWorkspaceRecord>> {
    const problems = checkAsset(definition);
    if (problems.some((p) => p.severity === "error")) throw definitionError(`workspace ${definition.name}`, problems);
    const path = join(this.root, definition.name);
    LocalWorkspace.open(path).close();
    const registry = new LocalRegistry(path);
    try {
      const json = recorded(definition);
      const contentHash = hashOf(json);
      const db = registry.db;
      const outcome = db.transaction((): LocalOutcome => {
        const existing = db.getResource("workspace", definition.name);
        if (existing?.content_hash === contentHash) return "unchanged";
        db.putResource({ kind: "workspace", name: definition.name, content_hash: contentHash, updated_at: Date.now(), record_json: canonicalJson(json) });
        return existing ? "updated" : "created";
      });
      const optional = { displayName: definition.displayName, description: definition.description, location: definition.region };
      const record: LocalWorkspaceRecord = {
        name: definition.name,
        ...(Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)) as Partial<LocalWorkspaceRecord>),
        tags: definition.tags ?? {},
        provisioningState: "Succeeded",
        path,
        outcome,
      };
      return new CompletedOperation(record);
    } finally {
      registry.close();
    }
  }
}
