/**
 * The workspace index: SQLite (better-sqlite3) in WAL mode, every multi-row change in one
 * transaction, so a runner killed at any instant leaves a consistent history behind.
 *
 * Group commit: the runner hands the writes of each step's start and end to `defer()`, and they
 * are committed together at most `GROUP_COMMIT_MS` later (or before any other read or write of
 * this store); the events announcing them are delivered only after that commit. Each commit
 * writes every page it touched in full, so a commit per step event wrote ~20 pages per step; a
 * group writes the pages its steps share once. A runner killed outright loses at most that
 * window, in which nothing was announced yet: those steps count as not run and run again on
 * `--resume`. The write lock is held only while a group commits, so other processes (`pipewright
 * cancel`) get in between.
 */
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type {
  AttemptRecord,
  JobRecord,
  JobStatus,
  MetricRecord,
  OutputRecord,
  StepRecord,
  StepStatus,
} from "./records.js";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS jobs (
  name TEXT PRIMARY KEY, display_name TEXT, pipeline TEXT NOT NULL, experiment TEXT,
  status TEXT NOT NULL, created_at INTEGER NOT NULL, ended_at INTEGER, folder TEXT NOT NULL,
  runner_pid INTEGER, cancel_requested INTEGER NOT NULL DEFAULT 0,
  plan_json TEXT NOT NULL, options_json TEXT NOT NULL, outputs_json TEXT NOT NULL DEFAULT '{}',
  summary_json TEXT, error TEXT);
CREATE INDEX IF NOT EXISTS jobs_created ON jobs(created_at);
CREATE TABLE IF NOT EXISTS steps (
  job TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL, component TEXT NOT NULL,
  status TEXT NOT NULL, reused_from_job TEXT, reused_from_step TEXT, reason TEXT,
  fingerprint TEXT, fingerprint_parts TEXT, deterministic INTEGER NOT NULL,
  started_at INTEGER, ended_at INTEGER, exit_code INTEGER, attempts INTEGER NOT NULL DEFAULT 0,
  code_snapshot TEXT, PRIMARY KEY (job, id));
-- Indexes on columns a step's own progress does not change (its fingerprint is set once, its id
-- never): each status or end-time change rewrote a random index page in every group commit.
DROP INDEX IF EXISTS steps_fingerprint;
DROP INDEX IF EXISTS steps_by_id;
CREATE INDEX IF NOT EXISTS steps_fp ON steps(fingerprint);
CREATE INDEX IF NOT EXISTS steps_id ON steps(id);
CREATE TABLE IF NOT EXISTS attempts (
  job TEXT NOT NULL, step TEXT NOT NULL, attempt INTEGER NOT NULL, started_at INTEGER NOT NULL,
  ended_at INTEGER, exit_code INTEGER, signal TEXT, pid INTEGER, log_path TEXT NOT NULL,
  stopped_for TEXT, PRIMARY KEY (job, step, attempt));
CREATE TABLE IF NOT EXISTS outputs (
  job TEXT NOT NULL, step TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL,
  path TEXT NOT NULL, content_hash TEXT NOT NULL, PRIMARY KEY (job, step, name));
CREATE TABLE IF NOT EXISTS metrics (
  job TEXT NOT NULL, step TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
  numeric INTEGER NOT NULL, metric_step INTEGER, time INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS metrics_by_job ON metrics(job, step);
CREATE TABLE IF NOT EXISTS events (job TEXT NOT NULL, seq INTEGER NOT NULL, json TEXT NOT NULL, PRIMARY KEY (job, seq));
CREATE TABLE IF NOT EXISTS datastores (name TEXT PRIMARY KEY, path TEXT NOT NULL);
`;

interface JobRow {
  name: string;
  display_name: string | null;
  pipeline: string;
  experiment: string | null;
  status: string;
  created_at: number;
  ended_at: number | null;
  folder: string;
  runner_pid: number | null;
  cancel_requested: number;
  plan_json: string;
  options_json: string;
  outputs_json: string;
  summary_json: string | null;
  error: string | null;
}

interface StepRow {
  job: string;
  id: string;
  component: string;
  status: string;
  reused_from_job: string | null;
  reused_from_step: string | null;
  reason: string | null;
  fingerprint: string | null;
  fingerprint_parts: string | null;
  deterministic: number;
  started_at: number | null;
  ended_at: number | null;
  exit_code: number | null;
  attempts: number;
  code_snapshot: string | null;
}

export interface NewJob {
  readonly name: string;
  readonly displayName?: string;
  readonly pipeline: string;
  readonly experiment?: string;
  readonly folder: string;
  readonly planJson: string;
  readonly optionsJson: string;
  readonly runnerPid: number;
  readonly steps: readonly { readonly id: string; readonly component: string; readonly deterministic: boolean }[];
}

export interface StepUpdate {
  readonly status?: StepStatus;
  readonly reusedFrom?: { readonly job: string; readonly step: string };
  readonly reason?: string | null;
  readonly fingerprint?: string;
  readonly fingerprintParts?: string;
  readonly startedAt?: number;
  readonly endedAt?: number;
  readonly exitCode?: number | null;
  readonly attempts?: number;
  readonly codeSnapshot?: string;
}

/** One `column = ?` of an UPDATE and its value (a function, not a closure made per call). */
function addSet(sets: string[], values: unknown[], column: string, value: unknown): void {
  sets.push(`${column} = ?`);
  values.push(value);
}

interface PendingEvent {
  readonly job: string;
  readonly seq: number;
  readonly event: unknown;
}

function optional<K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } {
  return (value === null || value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** The longest a deferred write waits before it is committed. */
export const GROUP_COMMIT_MS = 25;
/** Deferred writes committed at once at most (bounds one commit's time and memory). */
const GROUP_COMMIT_MAX = 2000;
/**
 * Pages the write-ahead log may grow to before a commit copies it into the database. At SQLite's
 * default (1,000), a commit every few hundred steps stopped the event loop ~10 ms to checkpoint
 * and fsync in the middle of a run, while the steps waited for it to hand over the next ones.
 * The runner checkpoints when a run ends instead (`checkpointSoon`); this bounds the log (~64 MB)
 * in a run long enough to need one before.
 */
const WAL_AUTOCHECKPOINT_PAGES = 16_000;
/** Deferred events inserted by one statement (one call into SQLite for each this many rows). */
const EVENT_BATCH = 32;
const INSERT_EVENT = "INSERT OR REPLACE INTO events (job, seq, json) VALUES (?, ?, ?)";
const INSERT_EVENTS_BATCH = `${INSERT_EVENT}${", (?, ?, ?)".repeat(EVENT_BATCH - 1)}`;

export class WorkspaceStore {
  readonly db: Database.Database;
  /** One transaction function, made once (better-sqlite3 builds several closures per wrapper). */
  private readonly inTransaction: (fn: () => unknown) => unknown;
  private pending: Array<() => void> = [];
  /** Events of the next group commit: their rows go in EVENT_BATCH at a time. */
  private pendingEvents: PendingEvent[] = [];
  private committed: Array<() => void> = [];
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(readonly root: string) {
    mkdirSync(root, { recursive: true });
    this.db = new Database(join(root, "index.sqlite"));
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma("busy_timeout = 5000");
    this.db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    this.db.exec(SCHEMA);
    this.inTransaction = this.db.transaction((fn: () => unknown) => fn());
  }

  private readonly statements = new Map<string, Database.Statement>();

  /**
   * The prepared statement for `sql` (prepared once per SQL text: compiling costs more than
   * running), after committing any deferred writes so that this read or write sees them in order.
   */
  private stmt(sql: string): Database.Statement {
    if (this.pending.length || this.pendingEvents.length) this.flush();
    return this.prepared(sql);
  }

  /** As stmt(), for the reads the runner makes while steps run, which do not wait for a commit. */
  private prepared(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  close(): void {
    if (this.db.open) {
      this.flush();
      this.db.close();
    }
  }

  /**
   * Copies the write-ahead log into the database once the event loop is free (a run has ended),
   * without waiting for readers or blocking writers; closing the store does it too.
   */
  checkpointSoon(): void {
    setImmediate(() => {
      if (!this.db.open) return;
      try {
        this.flush();
        this.db.pragma("wal_checkpoint(PASSIVE)");
      } catch {
        // Busy: the next checkpoint (a later run's, the close, or SQLite's own) does it.
      }
    }).unref();
  }

  /** Runs `fn` in one transaction (after any deferred writes). */
  transaction<T>(fn: () => T): T {
    this.flush();
    return this.inTransaction(fn) as T;
  }

  /**
   * Queues `writes` (calls of this store's write methods) to be committed, all in one transaction,
   * with the other deferred writes of the next few milliseconds, and `then` to run once they are
   * committed (so what is announced is always on disk). Any other read or write of this store
   * commits them first, so this connection always reads its own writes in order.
   */
  defer(writes: () => void, then?: () => void): void {
    this.pending.push(writes);
    if (then) this.committed.push(then);
    this.flushSoon();
  }

  /**
   * Queues an event of a job (`event` is stored as JSON, serialized at the commit) with the next
   * group commit, as `defer()` does, and `then` to run once it is committed.
   */
  deferEvent(job: string, seq: number, event: unknown, then?: () => void): void {
    this.pendingEvents.push({ job, seq, event });
    if (then) this.committed.push(then);
    this.flushSoon();
  }

  private flushSoon(): void {
    if (this.pending.length + this.pendingEvents.length >= GROUP_COMMIT_MAX) this.flush();
    else this.flushTimer ??= setTimeout(() => this.flushLater(), GROUP_COMMIT_MS);
  }

  /** The timer's flush: a failure (the database busy past busy_timeout) keeps the writes for the next try. */
  private flushLater(): void {
    try {
      this.flush();
    } catch {
      // The writes are queued again; the next read or write of this store retries and, if it
      // fails again, throws to its caller (the runner reports it as the job's error).
      this.flushTimer ??= setTimeout(() => this.flushLater(), GROUP_COMMIT_MS * 8);
    }
  }

  /** Commits the deferred writes now, then runs what waited for them. */
  flush(): void {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
    }
    if (!this.pending.length && !this.pendingEvents.length) return;
    const writes = this.pending;
    const events = this.pendingEvents;
    const then = this.committed;
    this.pending = [];
    this.pendingEvents = [];
    this.committed = [];
    try {
      this.inTransaction(() => {
        for (const write of writes) write();
        this.insertEvents(events);
      });
    } catch (error) {
      // Rolled back as a whole: nothing of the group is lost, nothing of it was announced.
      this.pending = writes.concat(this.pending);
      this.pendingEvents = events.concat(this.pendingEvents);
      this.committed = then.concat(this.committed);
      throw error;
    }
    for (const callback of then) callback();
  }

  createJob(job: NewJob, now: number): void {
    const insertJob = this.stmt(
      `INSERT INTO jobs (name, display_name, pipeline, experiment, status, created_at, folder, runner_pid, plan_json, options_json)
       VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?, ?)`,
    );
    const insertStep = this.stmt(
      `INSERT INTO steps (job, id, seq, component, status, deterministic) VALUES (?, ?, ?, ?, 'not_started', ?)`,
    );
    this.transaction(() => {
      insertJob.run(job.name, job.displayName ?? null, job.pipeline, job.experiment ?? null, now, job.folder, job.runnerPid, job.planJson, job.optionsJson);
      job.steps.forEach((step, seq) => insertStep.run(job.name, step.id, seq, step.component, step.deterministic ? 1 : 0));
    });
  }

  hasJob(name: string): boolean {
    return this.stmt("SELECT 1 FROM jobs WHERE name = ?").get(name) !== undefined;
  }

  getJob(name: string): JobRecord | undefined {
    const row = this.stmt("SELECT * FROM jobs WHERE name = ?").get(name) as JobRow | undefined;
    return row && jobRecord(row);
  }

  listJobs(filter: { readonly status?: JobStatus; readonly limit?: number } = {}): JobRecord[] {
    const rows = (filter.status
      ? this.stmt("SELECT * FROM jobs WHERE status = ? ORDER BY created_at DESC, rowid DESC LIMIT ?").all(filter.status, filter.limit ?? -1)
      : this.stmt("SELECT * FROM jobs ORDER BY created_at DESC, rowid DESC LIMIT ?").all(filter.limit ?? -1)) as JobRow[];
    return rows.map(jobRecord);
  }

  jobInternals(name: string): { planJson: string; optionsJson: string; summaryJson?: string; cancelRequested: boolean } | undefined {
    const row = this.stmt("SELECT plan_json, options_json, summary_json, cancel_requested FROM jobs WHERE name = ?").get(name) as
      | Pick<JobRow, "plan_json" | "options_json" | "summary_json" | "cancel_requested">
      | undefined;
    if (!row) return undefined;
    return {
      planJson: row.plan_json,
      optionsJson: row.options_json,
      ...optional("summaryJson", row.summary_json),
      cancelRequested: row.cancel_requested !== 0,
    };
  }

  /** Another process's request (polled while steps run, so it does not wait for a commit). */
  isCancelRequested(name: string): boolean {
    const row = this.prepared("SELECT cancel_requested FROM jobs WHERE name = ?").get(name) as { cancel_requested: number } | undefined;
    return row?.cancel_requested === 1;
  }

  requestCancel(name: string): void {
    this.stmt("UPDATE jobs SET cancel_requested = 1 WHERE name = ?").run(name);
  }

  reopenJob(name: string, runnerPid: number): void {
    this.stmt("UPDATE jobs SET status = 'running', ended_at = NULL, runner_pid = ?, cancel_requested = 0, error = NULL WHERE name = ?").run(runnerPid, name);
  }

  finishJob(name: string, status: JobStatus, now: number, outputs: Readonly<Record<string, string>>, summaryJson: string, error?: string): void {
    this.stmt("UPDATE jobs SET status = ?, ended_at = ?, outputs_json = ?, summary_json = ?, error = ?, runner_pid = NULL WHERE name = ?")
      .run(status, now, JSON.stringify(outputs), summaryJson, error ?? null, name);
  }

  updateStep(job: string, id: string, update: StepUpdate): void {
    const sets: string[] = [];
    const values: unknown[] = [];
    if (update.status !== undefined) addSet(sets, values, "status", update.status);
    if (update.reusedFrom !== undefined) {
      addSet(sets, values, "reused_from_job", update.reusedFrom.job);
      addSet(sets, values, "reused_from_step", update.reusedFrom.step);
    }
    if (update.reason !== undefined) addSet(sets, values, "reason", update.reason);
    if (update.fingerprint !== undefined) addSet(sets, values, "fingerprint", update.fingerprint);
    if (update.fingerprintParts !== undefined) addSet(sets, values, "fingerprint_parts", update.fingerprintParts);
    if (update.startedAt !== undefined) addSet(sets, values, "started_at", update.startedAt);
    if (update.endedAt !== undefined) addSet(sets, values, "ended_at", update.endedAt);
    if (update.exitCode !== undefined) addSet(sets, values, "exit_code", update.exitCode);
    if (update.attempts !== undefined) addSet(sets, values, "attempts", update.attempts);
    if (update.codeSnapshot !== undefined) addSet(sets, values, "code_snapshot", update.codeSnapshot);
    if (!sets.length) return;
    values.push(job, id);
    this.stmt(`UPDATE steps SET ${sets.join(", ")} WHERE job = ? AND id = ?`).run(...values);
  }

  getSteps(job: string): StepRecord[] {
    return (this.stmt("SELECT * FROM steps WHERE job = ? ORDER BY seq").all(job) as StepRow[]).map(stepRecord);
  }

  /** How many steps of the job are in each status, and how many of them were reused ("reused"). */
  stepCounts(job: string): Record<string, number> {
    const rows = this.stmt("SELECT status, COUNT(*) AS n, COUNT(reused_from_job) AS reused FROM steps WHERE job = ? GROUP BY status ORDER BY status").all(job) as Array<{ status: string; n: number; reused: number }>;
    const counts: Record<string, number> = {};
    let reused = 0;
    for (const row of rows) {
      counts[row.status] = row.n;
      reused += row.reused;
    }
    counts["reused"] = reused;
    return counts;
  }

  getStep(job: string, id: string): StepRecord | undefined {
    const row = this.stmt("SELECT * FROM steps WHERE job = ? AND id = ?").get(job, id) as StepRow | undefined;
    return row && stepRecord(row);
  }

  fingerprintPartsOf(job: string, id: string): string | undefined {
    const row = this.stmt("SELECT fingerprint_parts FROM steps WHERE job = ? AND id = ?").get(job, id) as { fingerprint_parts: string | null } | undefined;
    return row?.fingerprint_parts ?? undefined;
  }

  /**
   * Committed completed steps with this fingerprint, newest first (reuse candidates). Does not
   * commit deferred writes first: what the current run completed itself is the runner's to know.
   */
  completedWithFingerprint(fingerprint: string): StepRecord[] {
    return (this.prepared("SELECT * FROM steps WHERE fingerprint = ? AND status = 'completed' ORDER BY ended_at DESC LIMIT 20")
      .all(fingerprint) as StepRow[]).map(stepRecord);
  }

  /**
   * The fingerprints of every completed step, or undefined when there are more than `limit` (the
   * runner then asks per step): one read at the start of a run instead of a query per step.
   */
  completedFingerprints(limit = 200_000): Set<string> | undefined {
    const rows = this.stmt("SELECT DISTINCT fingerprint FROM steps WHERE status = 'completed' AND fingerprint IS NOT NULL LIMIT ?").pluck().all(limit + 1) as string[];
    return rows.length > limit ? undefined : new Set(rows);
  }

  /** Earlier runs of a step with this id (or component), newest first, that recorded a fingerprint. */
  earlierRuns(id: string, component: string, beforeJob: string, createdBefore: number): Array<StepRecord & { parts: string }> {
    const rows = this.stmt(
        `SELECT s.* FROM steps s JOIN jobs j ON j.name = s.job
         WHERE (s.id = ? OR s.component = ?) AND s.job <> ? AND j.created_at <= ? AND s.fingerprint_parts IS NOT NULL
         ORDER BY (s.id = ?) DESC, j.created_at DESC, j.rowid DESC LIMIT 20`,
      )
      .all(id, component, beforeJob, createdBefore, id) as StepRow[];
    return rows.map((row) => ({ ...stepRecord(row), parts: row.fingerprint_parts as string }));
  }

  /** Records an attempt as started, or with its end too when it ended before it was recorded. */
  startAttempt(attempt: AttemptRecord): void {
    this.stmt("INSERT OR REPLACE INTO attempts (job, step, attempt, started_at, pid, log_path, ended_at, exit_code, signal, stopped_for) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .run(attempt.job, attempt.step, attempt.attempt, attempt.startedAt, attempt.pid ?? null, attempt.logPath, attempt.endedAt ?? null, attempt.exitCode ?? null, attempt.signal ?? null, attempt.stoppedFor ?? null);
  }

  finishAttempt(job: string, step: string, attempt: number, result: { endedAt: number; exitCode?: number; signal?: string; stoppedFor?: string }): void {
    this.stmt("UPDATE attempts SET ended_at = ?, exit_code = ?, signal = ?, stopped_for = ? WHERE job = ? AND step = ? AND attempt = ?")
      .run(result.endedAt, result.exitCode ?? null, result.signal ?? null, result.stoppedFor ?? null, job, step, attempt);
  }

  getAttempts(job: string, step?: string): AttemptRecord[] {
    const rows = (step === undefined
      ? this.stmt("SELECT * FROM attempts WHERE job = ? ORDER BY started_at, attempt").all(job)
      : this.stmt("SELECT * FROM attempts WHERE job = ? AND step = ? ORDER BY attempt").all(job, step)) as Array<{
      job: string; step: string; attempt: number; started_at: number; ended_at: number | null; exit_code: number | null;
      signal: string | null; pid: number | null; log_path: string; stopped_for: string | null;
    }>;
    return rows.map((row) => ({
      job: row.job,
      step: row.step,
      attempt: row.attempt,
      startedAt: row.started_at,
      logPath: row.log_path,
      ...optional("endedAt", row.ended_at),
      ...optional("exitCode", row.exit_code),
      ...optional("signal", row.signal),
      ...optional("pid", row.pid),
      ...optional("stoppedFor", row.stopped_for),
    }));
  }

  setOutputs(outputs: readonly OutputRecord[]): void {
    const insert = this.stmt("INSERT OR REPLACE INTO outputs (job, step, name, type, path, content_hash) VALUES (?, ?, ?, ?, ?, ?)");
    this.atomically(() => {
      for (const o of outputs) insert.run(o.job, o.step, o.name, o.type, o.path, o.contentHash);
    });
  }

  /** `fn` in a transaction of its own, or in the one already open (a group commit's): no savepoint. */
  private atomically(fn: () => void): void {
    if (this.db.inTransaction) fn();
    else this.transaction(fn);
  }

  getOutputs(job: string, step?: string): OutputRecord[] {
    return this.outputRows(job, step, this.stmt.bind(this));
  }

  /** The committed outputs of a committed step (a reuse candidate's), without waiting for a commit. */
  committedOutputs(job: string, step: string): OutputRecord[] {
    return this.outputRows(job, step, this.prepared.bind(this));
  }

  private outputRows(job: string, step: string | undefined, statement: (sql: string) => Database.Statement): OutputRecord[] {
    const rows = (step === undefined
      ? statement("SELECT * FROM outputs WHERE job = ? ORDER BY step, name").all(job)
      : statement("SELECT * FROM outputs WHERE job = ? AND step = ? ORDER BY name").all(job, step)) as Array<{
      job: string; step: string; name: string; type: string; path: string; content_hash: string;
    }>;
    return rows.map((row) => ({ job: row.job, step: row.step, name: row.name, type: row.type, path: row.path, contentHash: row.content_hash }));
  }

  addMetrics(metrics: readonly MetricRecord[]): void {
    const insert = this.stmt("INSERT INTO metrics (job, step, name, value, numeric, metric_step, time) VALUES (?, ?, ?, ?, ?, ?, ?)");
    this.atomically(() => {
      for (const m of metrics) {
        insert.run(m.job, m.step, m.name, String(m.value), typeof m.value === "number" ? 1 : 0, m.metricStep ?? null, m.time);
      }
    });
  }

  getMetrics(job: string): MetricRecord[] {
    const rows = this.stmt("SELECT * FROM metrics WHERE job = ? ORDER BY rowid").all(job) as Array<{
      job: string; step: string; name: string; value: string; numeric: number; metric_step: number | null; time: number;
    }>;
    return rows.map((row) => ({
      job: row.job,
      step: row.step,
      name: row.name,
      value: row.numeric ? Number(row.value) : row.value,
      time: row.time,
      ...optional("metricStep", row.metric_step),
    }));
  }

  /** Inside a group commit: the deferred events, EVENT_BATCH rows per statement. */
  private insertEvents(events: readonly PendingEvent[]): void {
    let i = 0;
    if (events.length >= EVENT_BATCH) {
      const many = this.prepared(INSERT_EVENTS_BATCH);
      const values: unknown[] = new Array(EVENT_BATCH * 3);
      for (; i + EVENT_BATCH <= events.length; i += EVENT_BATCH) {
        for (let j = 0; j < EVENT_BATCH; j++) {
          const e = events[i + j] as PendingEvent;
          values[3 * j] = e.job;
          values[3 * j + 1] = e.seq;
          values[3 * j + 2] = JSON.stringify(e.event);
        }
        many.run(values);
      }
    }
    const one = this.prepared(INSERT_EVENT);
    for (; i < events.length; i++) {
      const e = events[i] as PendingEvent;
      one.run(e.job, e.seq, JSON.stringify(e.event));
    }
  }

  nextEventSeq(job: string): number {
    const row = this.stmt("SELECT MAX(seq) AS seq FROM events WHERE job = ?").get(job) as { seq: number | null };
    return (row.seq ?? -1) + 1;
  }

  eventsSince(job: string, seq: number): Array<{ seq: number; json: string }> {
    return this.stmt("SELECT seq, json FROM events WHERE job = ? AND seq >= ? ORDER BY seq").all(job, seq) as Array<{ seq: number; json: string }>;
  }

  setDatastore(name: string, path: string): void {
    this.stmt("INSERT OR REPLACE INTO datastores (name, path) VALUES (?, ?)").run(name, path);
  }

  getDatastore(name: string): string | undefined {
    const row = this.stmt("SELECT path FROM datastores WHERE name = ?").get(name) as { path: string } | undefined;
    return row?.path;
  }

  listDatastores(): Array<{ name: string; path: string }> {
    return this.stmt("SELECT name, path FROM datastores ORDER BY name").all() as Array<{ name: string; path: string }>;
  }
}

function jobRecord(row: JobRow): JobRecord {
  return {
    name: row.name,
    pipeline: row.pipeline,
    status: row.status as JobStatus,
    createdAt: row.created_at,
    folder: row.folder,
    outputs: JSON.parse(row.outputs_json) as Record<string, string>,
    ...optional("displayName", row.display_name),
    ...optional("experiment", row.experiment),
    ...optional("endedAt", row.ended_at),
    ...optional("error", row.error),
    ...optional("runnerPid", row.runner_pid),
  };
}

function stepRecord(row: StepRow): StepRecord {
  return {
    job: row.job,
    id: row.id,
    component: row.component,
    status: row.status as StepStatus,
    deterministic: row.deterministic !== 0,
    attempts: row.attempts,
    ...(row.reused_from_job !== null && row.reused_from_step !== null ? { reusedFrom: { job: row.reused_from_job, step: row.reused_from_step } } : {}),
    ...optional("reason", row.reason),
    ...optional("fingerprint", row.fingerprint),
    ...optional("startedAt", row.started_at),
    ...optional("endedAt", row.ended_at),
    ...optional("exitCode", row.exit_code),
    ...optional("codeSnapshot", row.code_snapshot),
  };
}
