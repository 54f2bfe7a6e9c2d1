import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { StatePersistenceError } from '../../src/model/errors.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/state/migrations.js';
import { StateManager } from '../../src/state/state-manager.js';

const root = mkdtempSync(join(tmpdir(), 'jorm-state-db-'));
after(() => rmSync(root, { recursive: true, force: true }));

function metaVersion(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string };
    return Number(row.value);
  } finally {
    db.close();
  }
}

describe('opening a state database', () => {
  it('accepts sqlite:path, creating the parent directories, with WAL, foreign keys and a busy timeout', () => {
    const path = join(root, 'a', 'b', 'state.db');
    const manager = StateManager.open({ databaseUrl: `sqlite:${path}` });
    try {
      const db = manager.database;
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
      assert.ok(Number(db.pragma('busy_timeout', { simple: true })) >= 1000);
      assert.equal(manager.displayName, path);
      assert.equal(manager.logs.directory, join(root, 'a', 'b', 'logs'));
    } finally {
      manager.close();
    }
    assert.equal(metaVersion(path), SCHEMA_VERSION);
  });

  it('accepts a plain relative path (against cwd) and sqlite::memory:', () => {
    const manager = StateManager.open({ databaseUrl: 'rel/state.db' }, { cwd: root });
    assert.equal(manager.displayName, join(root, 'rel', 'state.db'));
    manager.close();
    const memory = StateManager.open({ databaseUrl: 'sqlite::memory:' });
    assert.equal(memory.displayName, 'sqlite::memory:');
    assert.equal(memory.logs.directory, undefined);
    assert.equal(memory.countExecutions(), 0);
    memory.close();
  });

  it('names an unwritable path in a StatePersistenceError', () => {
    const file = join(root, 'plain-file');
    writeFileSync(file, 'not a directory');
    const path = join(file, 'sub', 'state.db');
    assert.throws(
      () => StateManager.open({ databaseUrl: path }),
      (error: unknown) =>
        error instanceof StatePersistenceError &&
        error.code === 'STATE_PERSISTENCE_ERROR' &&
        error.message.includes(path) &&
        error.message.includes('--state'),
    );
  });

  it('reports a missing database when it must exist, without creating it', () => {
    const path = join(root, 'missing', 'state.db');
    assert.throws(
      () => StateManager.open({ databaseUrl: path }, { mustExist: true }),
      (error: unknown) =>
        error instanceof StatePersistenceError && /no state database at .*missing/.test(error.message),
    );
  });

  it('rejects a file that is not SQLite with a clear error', () => {
    const path = join(root, 'garbage.db');
    writeFileSync(
      path,
      'this is certainly not an SQLite database file, just some text that is long enough'.repeat(20),
    );
    assert.throws(
      () => StateManager.open({ databaseUrl: path }),
      (error: unknown) =>
        error instanceof StatePersistenceError &&
        error.message.includes(path) &&
        /not a SQLite database or is corrupt/.test(error.message),
    );
  });

  it('rejects a SQLite database of another application', () => {
    const path = join(root, 'foreign.db');
    const db = new Database(path);
    db.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)');
    db.close();
    assert.throws(
      () => StateManager.open({ databaseUrl: path }),
      (error: unknown) =>
        error instanceof StatePersistenceError &&
        /is not a jorm state database .*customers/.test(error.message),
    );
  });

  it('refuses a database written by a newer jorm', () => {
    const path = join(root, 'newer.db');
    StateManager.open({ databaseUrl: path }).close();
    const db = new Database(path);
    db.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").run(String(SCHEMA_VERSION + 1));
    db.close();
    assert.throws(
      () => StateManager.open({ databaseUrl: path }),
      (error: unknown) =>
        error instanceof StatePersistenceError &&
        error.message.includes(`schema version ${SCHEMA_VERSION + 1}`) &&
        error.message.includes('newer jorm'),
    );
  });

  it('migrates a version 1 database made by hand, keeping its rows', () => {
    const path = join(root, 'v1.db');
    const db = new Database(path);
    db.exec(MIGRATIONS[0]!.sql);
    db.prepare("INSERT INTO meta (key, value) VALUES ('schema_version', '1'), ('application', 'jorm')").run();
    db.prepare(
      "INSERT INTO executions (id, dag_id, status, started_at, completed_at, total_tasks) VALUES ('01OLDEXECUTION0000000000AA', 'old', 'failed', 1000, 5000, 2)",
    ).run();
    const attempt = db.prepare(
      "INSERT INTO task_executions (execution_id, task_id, attempt, retry_number, status, started_at, completed_at, exit_code, error_message) VALUES ('01OLDEXECUTION0000000000AA', ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    attempt.run('build', 1, 0, 'failed', 1100, 1200, 1, 'boom');
    attempt.run('build', 2, 1, 'success', 1300, 1400, 0, null);
    attempt.run('test', 1, 0, 'failed', 1500, 1600, 2, 'tests failed');
    db.close();

    const manager = StateManager.open({ databaseUrl: path });
    try {
      const state = manager.loadExecutionState('01OLDEXECUTION0000000000AA');
      assert.ok(state);
      assert.deepEqual(Object.keys(state.taskStates), ['build', 'test']);
      assert.equal(state.taskStates['build']?.status, 'success');
      assert.equal(state.taskStates['build']?.attempts, 2);
      assert.equal(state.taskStates['test']?.status, 'failed');
      assert.equal(state.taskStates['test']?.errorMessage, 'tests failed');
      assert.deepEqual(manager.listExecutions()[0]?.taskCounts, { success: 1, failed: 1 });
      assert.equal(manager.getTaskAttempts('01OLDEXECUTION0000000000AA', 'build').length, 2);
    } finally {
      manager.close();
    }
    assert.equal(metaVersion(path), SCHEMA_VERSION);
  });
});
