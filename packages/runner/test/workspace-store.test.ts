import { expect } from "chai";
import Database from "better-sqlite3";
import { mkdtempSync, rmSync, statSync } from "node:fs";
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

  it("writes deferred events in order, many to a statement, and announces each once committed", () => {
    const heard: number[] = [];
    for (let seq = 0; seq < 70; seq++) store.deferEvent("j1", seq, { type: "tick", seq, text: `it's "${seq}"` }, () => heard.push(seq));
    store.defer(() => store.updateStep("j1", "a", { status: "running" }));
    expect(other.prepare("SELECT COUNT(*) AS n FROM events").get()).to.deep.equal({ n: 0 });
    store.flush();
    const rows = other.prepare("SELECT seq, json FROM events WHERE job = 'j1' ORDER BY seq").all() as Array<{ seq: number; json: string }>;
    expect(rows.map((row) => row.seq)).to.deep.equal(Array.from({ length: 70 }, (_, i) => i));
    expect(rows.map((row) => JSON.parse(row.json).text)).to.deep.equal(Array.from({ length: 70 }, (_, i) => `it's "${i}"`));
    expect(heard).to.deep.equal(Array.from({ length: 70 }, (_, i) => i));
    expect(committedStatus()).to.equal("running");
  });

  it("keeps deferred events with their group when it cannot be committed, and loses none", () => {
    store.db.pragma("busy_timeout = 20");
    for (let seq = 0; seq < 40; seq++) store.deferEvent("j1", seq, { seq });
    other.exec("BEGIN IMMEDIATE");
    expect(() => store.flush()).to.throw(/locked|busy/i);
    other.exec("ROLLBACK");
    store.deferEvent("j1", 40, { seq: 40 });
    store.flush();
    expect(store.eventsSince("j1", -1).map((row) => row.seq)).to.deep.equal(Array.from({ length: 41 }, (_, i) => i));
  });

  it("leaves the write-ahead log alone while a run commits, and checkpoints it once the run has ended", async () => {
    expect(store.db.pragma("wal_autocheckpoint", { simple: true })).to.be.greaterThan(1000);
    const dbFile = join(dir, "index.sqlite");
    const before = statSync(dbFile).size;
    const steps = Array.from({ length: 3000 }, (_, i) => ({ id: `s${i}`, component: "c", deterministic: true }));
    store.createJob({ ...job, name: "big", steps }, 2);
    expect(statSync(dbFile).size, "the rows are in the log, not yet in the database file").to.equal(before);
    store.checkpointSoon();
    await new Promise((resolve) => setImmediate(resolve));
    expect(statSync(dbFile).size).to.be.greaterThan(before + 100_000);
    expect((other.prepare("SELECT COUNT(*) AS n FROM steps WHERE job = 'big'").get() as { n: number }).n).to.equal(3000);
  });

  it("counts a job's steps by status, and the reused ones", () => {
    store.createJob({ ...job, name: "j2", steps: ["a", "b", "c"].map((id) => ({ id, component: "c", deterministic: true })) }, 2);
    store.updateStep("j2", "a", { status: "completed" });
    store.updateStep("j2", "b", { status: "completed", reusedFrom: { job: "j1", step: "a" } });
    store.updateStep("j2", "c", { status: "failed" });
    expect(store.stepCounts("j2")).to.deep.equal({ completed: 2, failed: 1, reused: 1 });
  });

  it("lists the completed steps' fingerprints in one read, or nothing when there are more than asked for", () => {
    store.updateStep("j1", "a", { status: "completed", fingerprint: "sha256:aa" });
    expect([...(store.completedFingerprints() ?? [])]).to.deep.equal(["sha256:aa"]);
    expect(store.completedFingerprints(0)).to.equal(undefined);
  });
});
