import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openSse, request } from './http-client.js';
import { startTestServer, type TestServer } from './server-fixture.js';
import { dagOf, LiveRun } from './state-fixture.js';

describe('live updates (Server-Sent Events)', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());
  const dag = dagOf('live', { a: [], b: ['a'], c: ['a'] });

  it('streams a snapshot, then only the tasks that changed', async () => {
    const run = new LiveRun(t.state.manager, dag);
    const stream = await openSse(t.url, `/api/executions/${run.executionId}/events`);
    try {
      const snapshot = await stream.next('snapshot');
      assert.equal(snapshot.data.execution.status, 'running');
      assert.deepEqual(
        snapshot.data.tasks.map((x: { status: string }) => x.status),
        ['pending', 'pending', 'pending'],
      );
      assert.equal(snapshot.data.graph.nodes.length, 3);
      assert.equal(snapshot.data.actions.cancel, true);

      run.start('a');
      let update = await stream.next('update');
      assert.deepEqual(
        update.data.tasks.map((x: { id: string; status: string }) => `${x.id}:${x.status}`),
        ['a:running'],
      );

      run.finish('a').start('b');
      const seen = new Map<string, string>();
      while (seen.get('b') !== 'running') {
        update = await stream.next('update');
        for (const x of update.data.tasks) seen.set(x.id, x.status);
      }
      assert.equal(seen.get('a'), 'success');
      assert.equal(seen.has('c'), false, 'c did not change');

      run.finish('b').start('c').finish('c').end('success');
      while (update.data.execution.status !== 'success') update = await stream.next('update');
      assert.deepEqual(update.data.actions, { cancel: false, cancelRequested: false, resume: false });
      assert.deepEqual(update.data.criticalPath.length > 0, true);
    } finally {
      stream.close();
    }
  });

  it('tells list pages that something changed', async () => {
    const stream = await openSse(t.url, '/api/events');
    try {
      const hello = await stream.next('hello');
      const run = new LiveRun(t.state.manager, dag);
      const change = await stream.next('change');
      assert.notEqual(change.data.version, hello.data.version);
      const list = await request(t.url, '/api/executions?status=running');
      assert.ok(list.json.executions.some((e: { executionId: string }) => e.executionId === run.executionId));
    } finally {
      stream.close();
    }
  });

  it('answers 404 for the events of an unknown execution', async () => {
    const res = await request(t.url, '/api/executions/01ZZZZZZZZZZZZZZZZZZZZZZZZ/events');
    assert.equal(res.status, 404);
  });
});
