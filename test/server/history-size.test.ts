import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request } from './http-client.js';
import { startTestServer, type TestServer } from './server-fixture.js';
import { bulkExecutions, dagOf, recordExecution } from './state-fixture.js';

describe('large histories and large DAGs', () => {
  let t: TestServer;
  let ids: string[];
  before(async () => {
    t = await startTestServer();
    ids = bulkExecutions(t.state.manager, 10_000);
  });
  after(() => t.close());

  it('pages through 10,000 executions, newest first', async () => {
    const first = await request(t.url, '/api/executions?limit=50');
    assert.equal(first.json.total, 10_000);
    assert.equal(first.json.executions[0].executionId, ids.at(-1));
    const last = await request(t.url, '/api/executions?limit=50&offset=9950');
    assert.equal(last.json.executions.length, 50);
    assert.equal(last.json.executions.at(-1).executionId, ids[0]);
    const beyond = await request(t.url, '/api/executions?limit=50&offset=10000');
    assert.deepEqual(beyond.json.executions, []);
    const failed = await request(t.url, '/api/executions?status=failed&limit=200&offset=1400');
    assert.equal(failed.json.total, Math.ceil(10_000 / 7));
    assert.equal(failed.json.executions.length, failed.json.total - 1400);
  });

  it('serves an execution of 5,000 tasks with its whole layout', async () => {
    const deps: Record<string, string[]> = {};
    for (let i = 0; i < 5000; i++) deps[`t${i}`] = i < 25 ? [] : [`t${i - 25}`, `t${(i * 13) % (i - 1)}`];
    const id = recordExecution(t.state.manager, dagOf('big', deps));
    const res = await request(t.url, `/api/executions/${id}`);
    assert.equal(res.status, 200);
    assert.equal(res.json.tasks.length, 5000);
    assert.equal(res.json.graph.nodes.length, 5000);
    assert.equal(res.json.execution.taskCounts.success, 5000);
    assert.ok(res.json.criticalPath.length >= 200, 'the chain of every 25th task');
  });
});
