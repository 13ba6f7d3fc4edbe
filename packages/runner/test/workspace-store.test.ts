import { expect } from "chai";
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GROUP_COMMIT_MS, WorkspaceStore } from "../src/workspace/store.js";

const job = {
  name: "j1",
  pipeline: "p",
  folder: "/nowhere",
  planJson: "{}",
  optionsJson: "{}",
  runnerPid: 1,
  steps: [{ id: "a", component: "c", deterministic: true }],
};

describe("the workspace index's group commit", () => {
  let dir: string;
  let store: WorkspaceStore;
  let other: Database.Database;
  const committedStatus = () => (other.prepare("SELECT status FROM steps WHERE job = 'j1' AND id = 'a'").get() as { status: string }).status;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "pw-store-"));
    store = new WorkspaceStore(dir);
    store.createJob(job, 1);
    other = new Database(join(dir, "index.sqlite"));
  });
  afterEach(() => {
    other.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("commits deferred writes together within the window, and announces them only after the commit", async () => {
    const heard: string[] = [];
    store.defer(() => store.updateStep("j1", "a", { status: "running" }), () => heard.push(`announced while ${committedStatus()}`));
    expect(committedStatus(), "another process sees nothing before the commit").to.equal("not_started");
    expect(heard).to.deep.equal([]);
    // The timer is due after GROUP_COMMIT_MS; a loaded machine may run it later.
    for (let waited = 0; !heard.length && waited < 5000; waited += GROUP_COMMIT_MS) await new Promise((resolve) => setTimeout(resolve, GROUP_COMMIT_MS));
    expect(heard).to.deep.equal(["announced while running"]);
  });

  it("commits what was deferred before any other read or write of the same store, in order", () => {
    store.defer(() => store.updateStep("j1", "a", { status: "running" }));
    store.updateStep("j1", "a", { status: "completed" });
    expect(store.getStep("j1", "a")?.status).to.equal("completed");
    expect(committedStatus()).to.equal("completed");
  });

  it("keeps a group that could not be committed (database busy) and commits it once it can", () => {
    store.db.pragma("busy_timeout = 20");
    store.defer(() => store.updateStep("j1", "a", { status: "running" }));
    other.exec("BEGIN IMMEDIATE");
    expect(() => store.flush()).to.throw(/locked|busy/i);
    other.exec("ROLLBACK");
    store.flush();
    expect(committedStatus()).to.equal("running");
  });

  it("commits what is still deferred when the store is closed", () => {
    store.defer(() => store.updateStep("j1", "a", { status: "failed" }));
    store.close();
    expect(committedStatus()).to.equal("failed");
  });

  it("lists the completed steps' fingerprints in one read, or nothing when there are more than asked for", () => {
    store.updateStep("j1", "a", { status: "completed", fingerprint: "sha256:aa" });
    expect([...(store.completedFingerprints() ?? [])]).to.deep.equal(["sha256:aa"]);
    expect(store.completedFingerprints(0)).to.equal(undefined);
  });
});
