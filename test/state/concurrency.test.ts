import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { StateManager } from '../../src/state/state-manager.js';
import { startNode } from '../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'jorm-state-conc-'));
after(() => rmSync(root, { recursive: true, force: true }));
const buildRoot = fileURLToPath(new URL('../../', import.meta.url));
const script = resolve('test/fixtures/state/record-run.mjs');

async function recordInChild(
  database: string,
  dagId: string,
  count: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = startNode([script, buildRoot, database, dagId, String(count)]);
  run.child.stdin?.end();
  return { code: await run.exited, stdout: run.stdout(), stderr: run.stderr() };
}

describe('several processes on one database', () => {
  it('two writers of 500 tasks each and a reader: no lock errors, no lost rows', async () => {
    const database = join(root, 'shared', 'state.db');
    StateManager.open({ databaseUrl: database }).close();
    const runs = Promise.all([recordInChild(database, 'left', 500), recordInChild(database, 'right', 500)]);
    let finished = false;
    void runs.finally(() => {
      finished = true;
    });
    const reader = StateManager.open({ databaseUrl: database }, { mustExist: true });
    let reads = 0;
    try {
      while (!finished) {
        reader.listExecutions({ limit: 10 });
        reads++;
        await new Promise((r) => setImmediate(r));
      }
      const [left, right] = await runs;
      for (const run of [left, right]) {
        assert.equal(run.stderr, '');
        assert.equal(run.code, 0);
      }
      assert.ok(reads > 0);
      for (const run of [left, right]) {
        const id = run.stdout.trim();
        const summary = reader.getExecution(id);
        assert.equal(summary?.status, 'success');
        assert.equal(summary?.totalTasks, 500);
        assert.deepEqual(summary?.taskCounts, { success: 500 });
        assert.equal(reader.getTaskAttempts(id).length, 500);
      }
      assert.equal(reader.countExecutions(), 2);
    } finally {
      reader.close();
    }
  });
});
