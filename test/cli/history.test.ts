import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runJorm } from '../helpers/cli.js';
import { StateFixture } from '../state/cli-fixture.js';

describe('jorm history', () => {
  let fx: StateFixture;
  const ids: Record<string, string> = {};
  before(() => {
    fx = new StateFixture();
    const t = Date.now() - 60_000;
    ids['first'] = fx.record('build', { a: [], b: ['a'] }, {}, { start: t });
    ids['failed'] = fx.record('build', { a: [], b: ['a'] }, { a: { final: 'failed' } }, { start: t + 1000 });
    ids['other'] = fx.record('deploy', { x: [] }, {}, { start: t + 2000 });
    ids['cut'] = fx.record('deploy', { x: [], y: [], z: [] }, {}, { start: t + 3000, stopAfter: 1 });
  });
  after(() => fx.dispose());

  it('lists executions newest first with status, duration and task counts', async () => {
    const run = await runJorm(['history', '--state', fx.database]);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trim().split('\n');
    assert.match(lines[0]!, /^ID\s+DAG\s+STATUS\s+STARTED\s+DURATION\s+TASKS$/);
    assert.deepEqual(
      lines.slice(1).map((l) => l.split(/\s+/)[0]),
      [ids['cut'], ids['other'], ids['failed'], ids['first']],
    );
    assert.match(lines[3]!, /build\s+failed\s+.*0\/2 ok, 1 failed, 1 skipped$/);
    assert.match(lines[4]!, /build\s+success\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+\d+ms\s+2\/2 ok$/);
    // The test process recorded it and is alive: still running, not interrupted.
    assert.match(lines[1]!, /deploy\s+running\s+.*\s-\s+1\/3 ok, 2 pending$/);
  });

  it('filters by dag and status, limits, and finds the default database under the cwd', async () => {
    const byDag = await runJorm(['history', '--dag', 'deploy', '--limit', '1'], { cwd: fx.dir });
    assert.equal(byDag.code, 0, byDag.stderr);
    assert.equal(byDag.stdout.trim().split('\n').length, 2);
    assert.ok(byDag.stdout.includes(ids['cut']!));
    assert.match(byDag.stderr, /1 of 2/);
    const byStatus = await runJorm(['history', '--status', 'failed', '--json'], {
      env: { JORM_STATE_DATABASE_URL: `sqlite:${fx.database}` },
    });
    assert.equal(byStatus.code, 0, byStatus.stderr);
    const rows = JSON.parse(byStatus.stdout) as {
      executionId: string;
      taskCounts: Record<string, number>;
      interrupted: boolean;
    }[];
    assert.deepEqual(
      rows.map((r) => r.executionId),
      [ids['failed']],
    );
    assert.deepEqual(rows[0]?.taskCounts, { failed: 1, skipped: 1 });
    assert.equal(rows[0]?.interrupted, false);
  });

  it('exits 2 with a clear message for a missing database or a bad option', async () => {
    const missing = await runJorm(['history', '--state', `${fx.dir}/nope/state.db`]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no state database at .*nope\/state\.db/);
    assert.doesNotMatch(missing.stderr, /at .*\.js:\d+/);
    const bad = await runJorm(['history', '--state', fx.database, '--status', 'weird']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /weird/);
    // Beyond what SQLite takes as an integer: refused as an option, not failed in a query.
    const huge = await runJorm(['history', '--state', fx.database, '--limit', '99999999999999999999']);
    assert.equal(huge.code, 2);
    assert.match(huge.stderr, /a whole number from 1 to 9007199254740991/);
    assert.doesNotMatch(huge.stderr, /internal error/);
  });

  it('says a database is corrupt, without a stack trace, when SQLite finds damaged pages while reading', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jorm-history-corrupt-'));
    try {
      const dag = join(dir, 'many.jorm');
      const tasks = Array.from(
        { length: 150 },
        (_, i) => `task t${i} {\n  type: shell\n  command: "true"\n}\n`,
      );
      await writeFile(dag, `dag: many\n${tasks.join('')}`);
      const database = join(dir, 'state.db');
      const run = await runJorm(['run', dag, '--state', database, '--quiet']);
      assert.equal(run.code, 0, run.stderr);
      // Pages 1 and 2 (the schema) stay whole, so the file opens; every later page loses its header.
      const bytes = await readFile(database);
      const pageSize = bytes.readUInt16BE(16);
      assert.ok(bytes.length / pageSize > 4, 'enough pages to damage');
      for (let at = 3 * pageSize; at < bytes.length; at += pageSize) bytes.fill(0x55, at, at + 12);
      await writeFile(database, bytes);
      const history = await runJorm(['history', '--state', database]);
      assert.equal(history.code, 2, history.stderr);
      assert.match(
        history.stderr,
        /state\.db is not a SQLite database or is corrupt \(database disk image is malformed\); move it aside/,
      );
      assert.doesNotMatch(history.stderr, /internal error|at .*\.js:\d+/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
