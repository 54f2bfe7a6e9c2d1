import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { request } from './http-client.js';
import { startTestServer, type TestServer } from './server-fixture.js';
import { dagOf, recordExecution } from './state-fixture.js';

describe('executions API', () => {
  let t: TestServer;
  let failed: string;
  let running: string;
  let other: string;
  const diamond = dagOf('diamond', { a: [], b: ['a'], c: ['a'], d: ['b', 'c'] });

  before(async () => {
    t = await startTestServer();
    const m = t.state.manager;
    const start = Date.now() - 3_600_000;
    failed = recordExecution(
      m,
      diamond,
      {
        b: { status: 'failed', failedAttempts: 1, stdout: 'hello', stderr: 'boom', wait: 7 },
        d: { status: 'skipped' },
      },
      { start, dagFile: `${t.state.dir}/diamond.jorm`, params: { WHO: 'world' } },
    );
    other = recordExecution(m, dagOf('chain', { x: [], y: ['x'] }), {}, { start: start + 1000 });
    for (let i = 0; i < 30; i++)
      recordExecution(m, dagOf('chain', { x: [], y: ['x'] }), {}, { start: start + 2000 + i });
    running = recordExecution(m, diamond, {
      c: { status: 'running', stdout: 'working' },
      d: { status: 'pending' },
    });
  });
  after(() => t.close());

  it('lists executions newest first with counts, durations and the total', async () => {
    const res = await request(t.url, '/api/executions?limit=5');
    assert.equal(res.status, 200);
    assert.equal(res.json.total, 33);
    assert.equal(res.json.executions.length, 5);
    assert.equal(res.json.executions[0].executionId, running);
    const ids = res.json.executions.map((e: { executionId: string }) => e.executionId);
    assert.deepEqual(ids, [...ids].sort().reverse());
    assert.deepEqual(res.json.executions[0].taskCounts, { success: 2, running: 1, pending: 1 });
  });

  it('filters by DAG and status and pages with offset', async () => {
    const byDag = await request(t.url, '/api/executions?dag=chain&limit=10&offset=25');
    assert.equal(byDag.json.total, 31);
    assert.equal(byDag.json.executions.length, 6);
    assert.ok(byDag.json.executions.every((e: { dagId: string }) => e.dagId === 'chain'));
    assert.equal(byDag.json.executions.at(-1).executionId, other);
    const byStatus = await request(t.url, '/api/executions?status=failed');
    assert.deepEqual(
      byStatus.json.executions.map((e: { executionId: string }) => e.executionId),
      [failed],
    );
    assert.equal(byStatus.json.executions[0].duration > 0, true);
  });

  it('rejects bad filters and pages with 400', async () => {
    for (const q of ['status=weird', 'limit=-1', 'limit=0', 'limit=abc', 'offset=1.5', 'limit=100000']) {
      const res = await request(t.url, `/api/executions?${q}`);
      assert.equal(res.status, 400, q);
      assert.equal(res.json.error.status, 400);
      assert.match(res.json.error.message, /must be/);
    }
  });

  it('gives one execution with tasks, attempts, graph edges and the critical path', async () => {
    const res = await request(t.url, `/api/executions/${failed}`);
    assert.equal(res.status, 200);
    const { execution, tasks, graph, criticalPath, actions } = res.json;
    assert.equal(execution.status, 'failed');
    assert.equal(execution.dagPath, undefined, 'the DAG file does not exist, so it has no served path');
    assert.deepEqual(execution.params, { WHO: 'world' });
    assert.deepEqual(
      tasks.map((x: { id: string; status: string }) => `${x.id}:${x.status}`),
      ['a:success', 'b:failed', 'c:success', 'd:skipped'],
    );
    const b = tasks.find((x: { id: string }) => x.id === 'b');
    assert.equal(b.attempts, 2);
    assert.deepEqual(
      b.attemptList.map((a: { attempt: number; status: string }) => `${a.attempt}:${a.status}`),
      ['1:failed', '2:failed'],
    );
    assert.deepEqual(b.dependsOn, ['a']);
    assert.ok(new Date(b.attemptList[0].startedAt) > new Date(b.readyAt), 'the wait for a slot is visible');
    assert.deepEqual(graph.edges, [
      ['a', 'b'],
      ['a', 'c'],
      ['b', 'd'],
      ['c', 'd'],
    ]);
    assert.deepEqual(
      Object.fromEntries(graph.nodes.map((n: { id: string; layer: number }) => [n.id, n.layer])),
      { a: 0, b: 1, c: 1, d: 2 },
    );
    assert.deepEqual(criticalPath, ['a', 'c'], 'c finished last, and it waited for a');
    assert.deepEqual(actions, { cancel: false, cancelRequested: false, resume: false });
  });

  it('says a run whose process is gone is interrupted, in the list and on its own', async () => {
    const crashed = recordExecution(t.state.manager, dagOf('crashed', { a: [] }), {
      a: { status: 'running' },
    });
    // The pid of a process that has ended: the run's owner is gone, as after kill -9.
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    t.state.manager.database.prepare('UPDATE executions SET owner_pid = ? WHERE id = ?').run(gone, crashed);
    const list = await request(t.url, '/api/executions?dag=crashed');
    assert.equal(list.status, 200);
    assert.equal(list.json.executions[0].status, 'running');
    assert.equal(list.json.executions[0].interrupted, true);
    const one = await request(t.url, `/api/executions/${crashed}`);
    assert.equal(one.json.execution.status, 'running');
    assert.equal(one.json.execution.interrupted, true);
    assert.deepEqual(one.json.actions, { cancel: false, cancelRequested: false, resume: false });
    const live = await request(t.url, `/api/executions/${running}`);
    assert.equal(live.json.execution.interrupted, false);
  });

  it('accepts a unique id prefix and answers 404 for unknown ids', async () => {
    const res = await request(t.url, `/api/executions/${failed.slice(0, 20)}`);
    assert.equal(res.json.execution.executionId, failed);
    for (const id of ['01ZZZZZZZZZZZZZZZZZZZZZZZZ', 'nope', '../../etc', '%2e%2e%2fx']) {
      const miss = await request(t.url, `/api/executions/${id}`);
      assert.equal(miss.status, 404, id);
      assert.equal(miss.json.error.status, 404);
    }
  });

  it('gives one task with its attempts and tails, and 404 for an unknown task', async () => {
    const res = await request(t.url, `/api/executions/${failed}/tasks/b`);
    assert.equal(res.status, 200);
    assert.equal(res.json.attempts.length, 2);
    assert.match(res.json.attempts[1].stderrTail, /boom/);
    const miss = await request(t.url, `/api/executions/${failed}/tasks/zz`);
    assert.equal(miss.status, 404);
  });

  it('reads logs by attempt and stream, and continues from an offset', async () => {
    const base = `/api/executions/${failed}/tasks/b/logs`;
    const latest = await request(t.url, base);
    assert.equal(latest.json.attempt, 2);
    assert.equal(latest.json.text, 'hello (attempt 2)\n');
    assert.equal(latest.json.complete, true);
    const first = await request(t.url, `${base}?attempt=1&stream=stdout`);
    assert.equal(first.json.text, 'hello (attempt 1)\n');
    const err = await request(t.url, `${base}?stream=stderr`);
    assert.equal(err.json.text, 'boom\n');
    const rest = await request(t.url, `${base}?offset=6`);
    assert.equal(rest.json.text, '(attempt 2)\n');
    assert.equal(rest.json.nextOffset, rest.json.size);
    assert.equal((await request(t.url, `${base}?attempt=9`)).status, 404);
    assert.equal((await request(t.url, `${base}?stream=stdin`)).status, 400);
    // d was skipped: no attempt, and none will come; a follower polling until complete stops at once.
    const skipped = await request(t.url, `/api/executions/${failed}/tasks/d/logs`);
    assert.equal(skipped.status, 200);
    assert.equal(skipped.json.status, 'skipped');
    assert.equal(skipped.json.complete, true);
    assert.equal(skipped.json.text, '');
  });

  it('follows the log of a running task as it grows', async () => {
    const base = `/api/executions/${running}/tasks/c/logs`;
    const first = await request(t.url, base);
    assert.equal(first.json.complete, false);
    assert.equal(first.json.text, 'working\n');
    t.state.manager.logs.append(running, 'c', 1, 'stdout', 'more output ✓\n');
    t.state.manager.logs.closeAll();
    const next = await request(t.url, `${base}?offset=${first.json.nextOffset}`);
    assert.equal(next.json.text, 'more output ✓\n');
  });

  it('cancels a running execution (409 for a finished one) and refuses to resume a running one', async () => {
    const done = await request(t.url, `/api/executions/${failed}/cancel`, { method: 'POST' });
    assert.equal(done.status, 409);
    const res = await request(t.url, `/api/executions/${running}/cancel`, { method: 'POST', body: {} });
    assert.equal(res.status, 202);
    assert.equal(res.json.cancelRequested, true);
    assert.equal(res.json.signalled, false, 'this server did not start it');
    assert.equal(t.state.manager.isCancelRequested(running), true);
    const view = await request(t.url, `/api/executions/${running}`);
    assert.equal(view.json.actions.cancelRequested, true);
    const resume = await request(t.url, `/api/executions/${running}/resume`, { method: 'POST' });
    assert.equal(resume.status, 409);
  });

  it('refuses to resume a run whose DAG file is not inside the served directory', async () => {
    const res = await request(t.url, `/api/executions/${failed}/resume`, { method: 'POST' });
    assert.equal(res.status, 403);
    assert.match(res.json.error.message, /not inside the served directory/);
  });

  it("keeps JORM's GET /status/<id> with snake_case fields", async () => {
    const res = await request(t.url, `/status/${failed}`);
    assert.equal(res.status, 200);
    assert.equal(res.json.execution_id, failed);
    assert.equal(res.json.status, 'failed');
    assert.equal(res.json.tasks.b.status, 'failed');
    assert.equal(res.json.tasks.b.attempts, 2);
    assert.equal(res.json.tasks.d.status, 'skipped');
    assert.equal((await request(t.url, '/status/01ZZZZZZZZZZZZZZZZZZZZZZZZ')).status, 404);
  });

  it('answers unknown paths and wrong methods with JSON errors', async () => {
    const missing = await request(t.url, '/api/nothing');
    assert.equal(missing.status, 404);
    assert.deepEqual(Object.keys(missing.json), ['error']);
    const method = await request(t.url, '/api/executions', { method: 'DELETE' });
    assert.equal(method.status, 405);
    assert.doesNotMatch(method.text, /at .*\.js/);
  });
});
