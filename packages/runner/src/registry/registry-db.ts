/**
 * The registry's index: its own SQLite file (`registry.db` in the workspace folder, WAL mode),
 * apart from the job index, so registering an asset never waits on a running job's writes.
 * Each version is one row; labels are rows of their own; every change is one transaction.
 */
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { RegistryKind } from "./records.js";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS asset_versions (
  kind TEXT NOT NULL, name TEXT NOT NULL, version TEXT NOT NULL, seq INTEGER NOT NULL,
  content_hash TEXT NOT NULL, blob TEXT, created_at INTEGER NOT NULL,
  archived INTEGER NOT NULL DEFAULT 0, record_json TEXT NOT NULL,
  PRIMARY KEY (kind, name, version));
CREATE INDEX IF NOT EXISTS asset_versions_seq ON asset_versions(kind, name, seq);
CREATE TABLE IF NOT EXISTS asset_labels (
  kind TEXT NOT NULL, name TEXT NOT NULL, label TEXT NOT NULL, version TEXT NOT NULL,
  PRIMARY KEY (kind, name, label));
CREATE TABLE IF NOT EXISTS resources (
  kind TEXT NOT NULL, name TEXT NOT NULL, content_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, record_json TEXT NOT NULL,
  PRIMARY KEY (kind, name));
`;

/** A versionless resource (a compute, a workspace's own definition): one row per name, updated in place. */
export interface ResourceRow {
  readonly kind: string;
  readonly name: string;
  readonly content_hash: string;
  readonly created_at: number;
  readonly updated_at: number;
  readonly record_json: string;
}

export interface VersionRow {
  readonly kind: RegistryKind;
  readonly name: string;
  readonly version: string;
  readonly seq: number;
  readonly content_hash: string;
  readonly blob: string | null;
  readonly created_at: number;
  readonly archived: number;
  readonly record_json: string;
}

export interface NewVersion {
  readonly kind: RegistryKind;
  readonly name: string;
  readonly version: string;
  readonly contentHash: string;
  readonly blob: string | undefined;
  readonly createdAt: number;
  readonly recordJson: string;
}

export class RegistryDb {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("busy_timeout = 5000");
    this.db.exec(SCHEMA);
  }

  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  transaction<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  getVersion(kind: RegistryKind, name: string, version: string): VersionRow | undefined {
    return this.stmt("SELECT * FROM asset_versions WHERE kind = ? AND name = ? AND version = ?").get(kind, name, version) as VersionRow | undefined;
  }

  /** Every version of a name, oldest first. */
  versions(kind: RegistryKind, name: string): VersionRow[] {
    return this.stmt("SELECT * FROM asset_versions WHERE kind = ? AND name = ? ORDER BY seq").all(kind, name) as VersionRow[];
  }

  /** The newest version of each name, or of one name; archived versions only when asked. */
  latest(kind: RegistryKind, name: string, includeArchived: boolean): VersionRow | undefined {
    const sql = `SELECT * FROM asset_versions WHERE kind = ? AND name = ?${includeArchived ? "" : " AND archived = 0"} ORDER BY seq DESC LIMIT 1`;
    return this.stmt(sql).get(kind, name) as VersionRow | undefined;
  }

  names(kind: RegistryKind): string[] {
    return (this.stmt("SELECT DISTINCT name FROM asset_versions WHERE kind = ? ORDER BY name").all(kind) as Array<{ name: string }>).map((r) => r.name);
  }

  insertVersion(row: NewVersion): void {
    const next = this.stmt("SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM asset_versions").get() as { seq: number };
    this.stmt(
      "INSERT INTO asset_versions (kind, name, version, seq, content_hash, blob, created_at, archived, record_json) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)",
    ).run(row.kind, row.name, row.version, next.seq, row.contentHash, row.blob ?? null, row.createdAt, row.recordJson);
  }

  setArchived(kind: RegistryKind, name: string, version: string, archived: boolean): void {
    this.stmt("UPDATE asset_versions SET archived = ? WHERE kind = ? AND name = ? AND version = ?").run(archived ? 1 : 0, kind, name, version);
  }

  setLabel(kind: RegistryKind, name: string, label: string, version: string): void {
    this.stmt("INSERT OR REPLACE INTO asset_labels (kind, name, label, version) VALUES (?, ?, ?, ?)").run(kind, name, label, version);
  }

  labelVersion(kind: RegistryKind, name: string, label: string): string | undefined {
    const row = this.stmt("SELECT version FROM asset_labels WHERE kind = ? AND name = ? AND label = ?").get(kind, name, label) as { version: string } | undefined;
    return row?.version;
  }

  labelsOf(kind: RegistryKind, name: string, version: string): string[] {
    const rows = this.stmt("SELECT label FROM asset_labels WHERE kind = ? AND name = ? AND version = ? ORDER BY label").all(kind, name, version) as Array<{ label: string }>;
    return rows.map((r) => r.label);
  }

  getResource(kind: string, name: string): ResourceRow | undefined {
    return this.stmt("SELECT * FROM resources WHERE kind = ? AND name = ?").get(kind, name) as ResourceRow | undefined;
  }

  resources(kind: string): ResourceRow[] {
    return this.stmt("SELECT * FROM resources WHERE kind = ? ORDER BY name").all(kind) as ResourceRow[];
  }

  /** Inserts the resource, or replaces its definition keeping when it was first created. */
  putResource(row: Omit<ResourceRow, "created_at">): void {
    this.stmt(
      "INSERT INTO resources (kind, name, content_hash, created_at, updated_at, record_json) VALUES (?, ?, ?, ?, ?, ?) " +
        "ON CONFLICT (kind, name) DO UPDATE SET content_hash = excluded.content_hash, updated_at = excluded.updated_at, record_json = excluded.record_json",
    ).run(row.kind, row.name, row.content_hash, row.updated_at, row.updated_at, row.record_json);
  }

  /** How many versions the registry holds, of every kind (tests check nothing was half-registered). */
  countVersions(): number {
    return (this.stmt("SELECT COUNT(*) AS n FROM asset_versions").get() as { n: number }).n;
  }

  close(): void {
    this.db.close();
  }
}
