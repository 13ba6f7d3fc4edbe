/** Shared helpers for the local runner tests: a throwaway workspace and a run that collects events. */
import type { PipelineJob } from "@pipewright/dsl";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunEvent } from "../src/events/run-events.js";
import { startLocalJob, type StartJobOptions } from "../src/local/start-job.js";
import type { JobRecord } from "../src/workspace/records.js";
import { LocalWorkspace } from "../src/workspace/workspace.js";

export interface TestWorkspace {
  readonly dir: string;
  readonly workspace: LocalWorkspace;
  run(job: PipelineJob, options?: StartJobOptions): Promise<{ record: JobRecord; events: RunEvent[] }>;
  dispose(): void;
}

export function testWorkspace(): TestWorkspace {
  const dir = mkdtempSync(join(tmpdir(), "pw-local-"));
  const workspace = LocalWorkspace.open(join(dir, ".pipewright"));
  return {
    dir,
    workspace,
    async run(job, options = {}) {
      const started = startLocalJob(workspace, job.model, { concurrency: 2, env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin" }, ...options });
      const events: RunEvent[] = [];
      started.sink.subscribe((event) => events.push(event));
      const record = await started.done;
      return { record, events };
    },
    dispose() {
      workspace.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
