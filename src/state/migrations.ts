/**
 * The schema of the state database, as versioned migrations. The version lives in the `meta` table
 * (`schema_version`); {@link migrate} brings an older database up to {@link SCHEMA_VERSION}.
 *
 * Times are stored as integer milliseconds since the epoch; JSON values as text.
 * @module
 */

import type Database from 'better-sqlite3';

/** `PRAGMA application_id` of a jorm state database ("jorm" in ASCII). */
export const APPLICATION_ID = 0x6a6f726d;

/** One step of the schema. */
export interface Migration {
  /** The version the database has after this step. */
  version: number;
  /** What the step does, for people. */
  description: string;
  /** SQL run inside the migration's transaction. */
  sql: string;
}

/** Every migration, in order. Never edit a released one: add a new step. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'executions, task attempts, checkpoints and metadata',
    sql: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE executions (
        id TEXT PRIMARY KEY,
        dag_id TEXT NOT NULL,
        dag_file TEXT,
        dag_hash TEXT,
        status TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        completed_at INTEGER,
        total_tasks INTEGER NOT NULL DEFAULT 0,
        owner_host TEXT,
        owner_pid INTEGER,
        owner_started_at INTEGER,
        heartbeat_at INTEGER,
        params TEXT
      );
      CREATE INDEX executions_by_start ON executions (started_at, id);
      CREATE INDEX executions_by_dag ON executions (dag_id, started_at, id);
      CREATE INDEX executions_by_status ON executions (status, started_at, id);
      CREATE TABLE task_executions (
        execution_id TEXT NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
        task_id TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        retry_number INTEGER NOT NULL,
        status TEXT NOT NULL,
        ready_at INTEGER,
        started_at INTEGER,
        completed_at INTEGER,
        duration INTEGER,
        exit_code INTEGER,
        error_message TEXT,
        stdout_tail TEXT NOT NULL DEFAULT '',
        stderr_tail TEXT NOT NULL DEFAULT '',
        output_data TEXT,
        metadata TEXT,
        PRIMARY KEY (execution_id, task_id, attempt)
      ) WITHOUT ROWID;
      CREATE TABLE checkpoints (
        id INTEGER PRIMARY KEY,
        execution_id TEXT NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        snapshot TEXT NOT NULL
      );
      CREATE INDEX checkpoints_by_execution ON checkpoints (execution_id, id);
    `,
  },
  {
    version: 2,
    description: 'current state per task (with its dependencies) and cancellation requests',
    sql: `
      ALTER TABLE executions ADD COLUMN cancel_requested_at INTEGER;
      CREATE TABLE tasks (
        execution_id TEXT NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
        task_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        task_type TEXT,
        depends_on TEXT,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        ready_at INTEGER,
        completed_at INTEGER,
        error_message TEXT,
        PRIMARY KEY (execution_id, task_id)
      ) WITHOUT ROWID;
      INSERT INTO tasks (execution_id, task_id, position, status, attempts, ready_at, completed_at, error_message)
        SELECT execution_id, task_id,
               ROW_NUMBER() OVER (PARTITION BY execution_id ORDER BY first_start, task_id) - 1,
               status, attempt, ready_at, completed_at, error_message
        FROM (
          SELECT te.*, MIN(te.started_at) OVER (PARTITION BY te.execution_id, te.task_id) AS first_start,
                 ROW_NUMBER() OVER (PARTITION BY te.execution_id, te.task_id ORDER BY te.attempt DESC) AS newest
          FROM task_executions te
        )
        WHERE newest = 1;
    `,
  },
  {
    version: 3,
    description: "the directory an execution's tasks ran in, for resuming from anywhere",
    sql: `
      ALTER TABLE executions ADD COLUMN working_dir TEXT;
    `,
  },
];

/** The schema version this jorm writes and reads. */
export const SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** The schema version recorded in a database: 0 when it has no jorm schema yet. */
export function readSchemaVersion(db: Database.Database): number {
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get();
  if (!hasMeta) return 0;
  const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as
    | { value: string }
    | undefined;
  return row ? Number(row.value) : 0;
}

/**
 * Applies the migrations above `from`, in the caller's transaction, and records the new version.
 * @returns the versions applied.
 */
export function applyMigrations(db: Database.Database, from: number): number[] {
  const applied: number[] = [];
  for (const migration of MIGRATIONS) {
    if (migration.version <= from) continue;
    db.exec(migration.sql);
    applied.push(migration.version);
  }
  const upsert = db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  upsert.run('schema_version', String(SCHEMA_VERSION));
  upsert.run('application', 'jorm');
  if (from === 0) upsert.run('created_at', new Date().toISOString());
  db.pragma(`application_id = ${APPLICATION_ID}`);
  return applied;
}
