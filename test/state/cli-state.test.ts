import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { newExecutionId } from '../../src/model/ids.js';
import { MIGRATIONS } from '../../src/state/migrations.js';
import { StateManager } from '../../src/state/state-manager.js';
import { StateRecorder } from '../../src/state/state-recorder.js';
import { runJorm } from '../helpers/cli.js';
import { playExecution, shellDag } from './simulate.js';

const root = mkdtempSync(join(tmpdir(), 'jorm-state-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => {
  const dir = join(root, `p${++n}`);
  mkdirSync(dir, { recursive: true });
  return dir;
};

interface HistoryRow {
  executionId: string;
  dagId: string;
  status: string;
  totalTasks: number;
  taskCounts: Record<string, number>;
}

async function history(dir: string): Promise<HistoryRow[]> {
  const run = await runJorm(['history', '--json', '--limit', '100'], { cwd: dir });
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout) as HistoryRow[];
}

describe('jorm run with state', () => {
  it('two concurrent jorm run of 500 tasks each on one database: both complete, every row is there', async () => {
    const dir = fresh();
    const dag = (me: string, other: string): string => {
      // "meet" waits until the other run started too, so that both record their 500 tasks at the same time.
      const parts = [
        `dag: run_${me}\n\ntask meet {\n    type: shell\n    command: "touch ${dir}/${me}; while [ ! -f ${dir}/${other} ]; do sleep 0.02; done"\n}\n`,
      ];
      for (let i = 0; i < 500; i++) {
        parts.push(
          `task f${i} {\n    type: file_create\n    path: "${dir}/out-${me}/f${i}.txt"\n    content: "${i}"\n    depends_on: [meet]\n}\n`,
        );
      }
      writeFileSync(join(dir, `${me}.jorm`), parts.join('\n'));
      return join(dir, `${me}.jorm`);
    };
    const [a, b] = await Promise.all([
      runJorm(['run', dag('a', 'b'), '--quiet'], { cwd: dir }),
      runJorm(['run', dag('b', 'a'), '--quiet'], { cwd: dir }),
    ]);
    for (const run of [a, b]) {
      assert.equal(run.code, 0, run.stderr);
      assert.doesNotMatch(run.stderr, /locked|busy/i);
    }
    const rows = await history(dir);
    assert.deepEqual(rows.map((r) => r.dagId).sort(), ['run_a', 'run_b']);
    const manager = StateManager.open({ databaseUrl: join(dir, '.jorm', 'state.db') }, { mustExist: true });
    try {
      for (const row of rows) {
        assert.equal(row.status, 'success');
        assert.equal(row.totalTasks, 501);
        assert.deepEqual(row.taskCounts, { success: 501 });
        assert.equal(manager.getTaskAttempts(row.executionId).length, 501);
      }
    } finally {
      manager.close();
    }
  });

  it('prunes by age and by count when a run starts (jorm.toml [state])', async () => {
    const dir = fresh();
    const database = join(dir, '.jorm', 'state.db');
    const manager = StateManager.open({ databaseUrl: database });
    const old = newExecutionId(Date.now() - 5 * 86_400_000);
    try {
      const dag = shellDag('old', { a: [] });
      playExecution(
        new StateRecorder(manager, { dag }),
        dag,
        {},
        { executionId: old, start: Date.now() - 5 * 86_400_000 },
      );
    } finally {
      manager.close();
    }
    assert.ok(existsSync(join(dir, '.jorm', 'logs', old)));
    writeFileSync(
      join(dir, 'jorm.toml'),
      '[state]\ncleanup_completed_after = "2d"\nmax_execution_history = 2\n',
    );
    writeFileSync(
      join(dir, 'tiny.jorm'),
      'dag: tiny\n\ntask hello {\n    type: shell\n    command: "echo hello"\n}\n',
    );

    const first = await runJorm(['run', 'tiny.jorm', '--quiet'], { cwd: dir });
    assert.equal(first.code, 0, first.stderr);
    let rows = await history(dir);
    assert.deepEqual(
      rows.map((r) => r.dagId),
      ['tiny'],
    );
    assert.ok(!existsSync(join(dir, '.jorm', 'logs', old)));
    for (let i = 0; i < 2; i++)
      assert.equal((await runJorm(['run', 'tiny.jorm', '--quiet'], { cwd: dir })).code, 0);
    rows = await history(dir);
    assert.equal(rows.length, 2);
    assert.equal(readdirSync(join(dir, '.jorm', 'logs')).length, 2);
  });

  it('--no-state records nothing; --state PATH records elsewhere', async () => {
    const dir = fresh();
    writeFileSync(
      join(dir, 'tiny.jorm'),
      'dag: tiny\n\ntask hello {\n    type: shell\n    command: "echo hello"\n}\n',
    );
    const off = await runJorm(['run', 'tiny.jorm', '--no-state', '--quiet'], { cwd: dir });
    assert.equal(off.code, 0, off.stderr);
    assert.ok(!existsSync(join(dir, '.jorm')));
    const elsewhere = await runJorm(['run', 'tiny.jorm', '--state', 'custom/db.sqlite', '--quiet'], {
      cwd: dir,
    });
    assert.equal(elsewhere.code, 0, elsewhere.stderr);
    const listed = await runJorm(['history', '--state', 'custom/db.sqlite', '--json'], { cwd: dir });
    assert.equal((JSON.parse(listed.stdout) as HistoryRow[]).length, 1);
    assert.ok(existsSync(join(dir, 'custom', 'logs')));
  });

  it('a corrupt database gives a clear error (exit 2), not a crash', async () => {
    const dir = fresh();
    mkdirSync(join(dir, '.jorm'));
    writeFileSync(join(dir, '.jorm', 'state.db'), 'garbage, not SQLite '.repeat(100));
    writeFileSync(
      join(dir, 'tiny.jorm'),
      'dag: tiny\n\ntask hello {\n    type: shell\n    command: "true"\n}\n',
    );
    for (const args of [['run', 'tiny.jorm'], ['history']]) {
      const run = await runJorm(args, { cwd: dir });
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, /state\.db is not a SQLite database or is corrupt/);
      assert.doesNotMatch(run.stderr, /internal error|\n\s+at /);
    }
  });

  it('migrates a database of an older schema version and keeps using it', async () => {
    const dir = fresh();
    mkdirSync(join(dir, '.jorm'));
    const db = new Database(join(dir, '.jorm', 'state.db'));
    db.exec(MIGRATIONS[0]!.sql);
    db.prepare("INSERT INTO meta (key, value) VALUES ('schema_version', '1')").run();
    const id = newExecutionId(Date.now() - 60_000);
    db.prepare(
      "INSERT INTO executions (id, dag_id, status, started_at, completed_at, total_tasks) VALUES (?, 'legacy', 'success', ?, ?, 1)",
    ).run(id, Date.now() - 60_000, Date.now() - 59_000);
    db.prepare(
      "INSERT INTO task_executions (execution_id, task_id, attempt, retry_number, status, started_at, completed_at, exit_code) VALUES (?, 'only', 1, 0, 'success', ?, ?, 0)",
    ).run(id, Date.now() - 60_000, Date.now() - 59_500);
    db.close();
    writeFileSync(
      join(dir, 'tiny.jorm'),
      'dag: tiny\n\ntask hello {\n    type: shell\n    command: "true"\n}\n',
    );
    const run = await runJorm(['run', 'tiny.jorm', '--quiet'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    const rows = await history(dir);
    assert.deepEqual(
      rows.map((r) => [r.dagId, r.status, r.taskCounts]),
      [
        ['tiny', 'success', { success: 1 }],
        ['legacy', 'success', { success: 1 }],
      ],
    );
  });
});
