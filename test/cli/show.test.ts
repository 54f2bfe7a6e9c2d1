import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runJorm } from '../helpers/cli.js';
import { StateFixture } from '../state/cli-fixture.js';

describe('jorm show', () => {
  let fx: StateFixture;
  let id = '';
  before(() => {
    fx = new StateFixture();
    id = fx.record(
      'pipeline',
      { fetch: [], flaky: [], lint: [], report: ['lint'] },
      { flaky: { failures: 2 }, lint: { final: 'failed' } },
    );
  });
  after(() => fx.dispose());

  it('prints the task table of an execution found by a prefix', async () => {
    const run = await runJorm(['show', id.slice(0, 10).toLowerCase(), '--state', fx.database]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^execution ${id}  dag pipeline  failed`));
    assert.match(run.stdout, /tasks {5}2\/4 ok, 1 failed, 1 skipped/);
    // The table's header line (an execution id can hold the letters TASK too).
    const table = run.stdout.slice(run.stdout.search(/^TASK\s+STATUS/m));
    const rows = table.trim().split('\n');
    assert.match(rows[0]!, /^TASK\s+STATUS\s+ATTEMPTS\s+DURATION\s+EXIT\s+ERROR$/);
    assert.match(rows[1]!, /^fetch\s+success\s+1\s+\d+ms\s+0$/);
    assert.match(rows[2]!, /^flaky\s+success\s+3\s+\d+ms\s+0$/);
    assert.match(rows[3]!, /^lint\s+failed\s+1\s+\d+ms\s+1\s+lint failed$/);
    assert.match(rows[4]!, /^report\s+skipped\s+0\s+-\s+-\s+upstream task "lint" did not succeed$/);
  });

  it('prints JSON with every attempt', async () => {
    const run = await runJorm(['show', id, '--json', '--state', fx.database]);
    assert.equal(run.code, 0, run.stderr);
    const doc = JSON.parse(run.stdout) as {
      execution: { executionId: string; status: string; dagHash: string };
      tasks: { taskId: string; attempts: number; attemptRecords: { attempt: number; status: string }[] }[];
    };
    assert.equal(doc.execution.executionId, id);
    assert.equal(doc.execution.status, 'failed');
    assert.match(doc.execution.dagHash, /^[0-9a-f]{64}$/);
    const flaky = doc.tasks.find((t) => t.taskId === 'flaky');
    assert.deepEqual(
      flaky?.attemptRecords.map((a) => `${a.attempt}:${a.status}`),
      ['1:failed', '2:failed', '3:success'],
    );
  });

  it('exits 2 for unknown, ambiguous or short ids', async () => {
    const unknown = await runJorm(['show', 'ZZZZZZZZ', '--state', fx.database]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no execution with id "ZZZZZZZZ"/);
    const short = await runJorm(['show', id.slice(0, 3), '--state', fx.database]);
    assert.equal(short.code, 2);
    assert.match(short.stderr, /too short/);
  });
});
