import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLI_PATH } from '../helpers/cli.js';
import { openSse, request } from './http-client.js';
import { startTestServer, type TestServer } from './server-fixture.js';

/** Follows an execution's event stream until `done(execution, tasks)` holds; returns the last state. */
async function until(
  base: string,
  id: string,
  done: (execution: { status: string }, tasks: Map<string, { status: string; attempts: number }>) => boolean,
) {
  const stream = await openSse(base, `/api/executions/${id}/events`);
  try {
    const first = await stream.next('snapshot');
    const tasks = new Map<string, { status: string; attempts: number }>();
    for (const t of first.data.tasks) tasks.set(t.id, t);
    let execution = first.data.execution;
    while (!done(execution, tasks)) {
      const update = await stream.next('update');
      execution = update.data.execution;
      for (const t of update.data.tasks) tasks.set(t.id, t);
    }
    return { execution, tasks };
  } finally {
    stream.close();
  }
}

describe('starting, cancelling and resuming runs', { timeout: 120_000 }, () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
    const dir = t.state.dir;
    await writeFile(
      path.join(dir, 'hello.jorm'),
      // biome-ignore lint/suspicious/noTemplateCurlyInString: jorm's own interpolation, written in the DAG file
      'dag: hello\nparams: { WHO: nobody }\n\ntask greet {\n    type: shell\n    command: "echo hello ${params.WHO}"\n}\n',
    );
    await writeFile(
      path.join(dir, 'slow.jorm'),
      'dag: slow\n\ntask first {\n    type: shell\n    command: "echo started"\n}\n\ntask wait {\n    type: shell\n    command: "sleep 60"\n    depends_on: [first]\n}\n',
    );
    await writeFile(
      path.join(dir, 'flaky.jorm'),
      'dag: flaky\n\ntask once {\n    type: shell\n    command: "test -f marker || { touch marker; echo first time >&2; exit 3; }"\n}\n\ntask after {\n    type: shell\n    command: "echo done"\n    depends_on: [once]\n}\n',
    );
  });
  after(() => t.close());

  it('runs a DAG file with parameters through POST /api/runs', async () => {
    const res = await request(t.url, '/api/runs', {
      method: 'POST',
      body: { dag: 'hello.jorm', params: { WHO: 'api' } },
    });
    assert.equal(res.status, 202, res.text);
    assert.match(res.json.executionId, /^[0-9A-Z]{26}$/);
    assert.equal(res.json.dagId, 'hello');
    const { execution } = await until(t.url, res.json.executionId, (e) => e.status !== 'running');
    assert.equal(execution.status, 'success');
    const log = await request(t.url, `/api/executions/${res.json.executionId}/tasks/greet/logs`);
    assert.equal(log.json.text, 'hello api\n');
    const stored = t.state.manager.loadExecutionState(res.json.executionId);
    assert.deepEqual(stored?.params, { WHO: 'api' });
    assert.equal(stored?.dagFile && path.basename(stored.dagFile), 'hello.jorm');
  });

  it("runs a DAG file through JORM's POST /execute and reports it on GET /status", async () => {
    const res = await request(t.url, '/execute', { method: 'POST', body: { dag_file: 'hello.jorm' } });
    assert.equal(res.status, 202, res.text);
    const id = res.json.execution_id;
    await until(t.url, id, (e) => e.status !== 'running');
    const status = await request(t.url, `/status/${id}`);
    assert.equal(status.json.status, 'success');
    assert.equal(status.json.tasks.greet.status, 'success');
  });

  it('cancels a run it started: the running task is killed and marked cancelled', async () => {
    const res = await request(t.url, '/api/runs', { method: 'POST', body: { dag: 'slow.jorm' } });
    assert.equal(res.status, 202, res.text);
    const id = res.json.executionId;
    await until(t.url, id, (_e, tasks) => tasks.get('wait')?.status === 'running');
    const cancel = await request(t.url, `/api/executions/${id}/cancel`, { method: 'POST' });
    assert.equal(cancel.status, 202, cancel.text);
    assert.equal(cancel.json.signalled, true);
    const { execution, tasks } = await until(t.url, id, (e) => e.status !== 'running');
    assert.equal(execution.status, 'cancelled');
    assert.equal(tasks.get('wait')?.status, 'cancelled');
    assert.equal(tasks.get('first')?.status, 'success');
  });

  it('cancels a run started elsewhere through the cancellation request in the database', async () => {
    const child = spawn(process.execPath, [CLI_PATH, 'run', 'slow.jorm', '--state', t.state.databaseUrl], {
      cwd: t.state.dir,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: 'ignore',
      detached: true,
    });
    const exited = once(child, 'exit');
    try {
      const events = await openSse(t.url, '/api/events');
      let id: string | undefined;
      while (id === undefined) {
        await events.next('change');
        const list = await request(t.url, '/api/executions?dag=slow&status=running');
        id = list.json.executions.find(
          (e: { owner?: { pid: number } }) => e.owner?.pid === child.pid,
        )?.executionId;
      }
      events.close();
      await until(t.url, id, (_e, tasks) => tasks.get('wait')?.status === 'running');
      const cancel = await request(t.url, `/api/executions/${id}/cancel`, { method: 'POST' });
      assert.equal(cancel.status, 202, cancel.text);
      assert.equal(cancel.json.signalled, false, 'not a run of this server: no signal, only the request');
      const { execution } = await until(t.url, id, (e) => e.status !== 'running');
      assert.equal(execution.status, 'cancelled');
      const [code] = await exited;
      assert.equal(code, 130);
    } finally {
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
    }
  });

  it('resumes a failed run: only what did not succeed runs again', async () => {
    const res = await request(t.url, '/api/runs', { method: 'POST', body: { dag: 'flaky.jorm' } });
    const id = res.json.executionId;
    const failed = await until(t.url, id, (e) => e.status !== 'running');
    assert.equal(failed.execution.status, 'failed');
    assert.equal(failed.tasks.get('after')?.status, 'skipped');
    assert.ok(existsSync(path.join(t.state.dir, 'marker')), 'runs start in the served directory');
    const view = await request(t.url, `/api/executions/${id}`);
    assert.equal(view.json.actions.resume, true);
    const resume = await request(t.url, `/api/executions/${id}/resume`, { method: 'POST' });
    assert.equal(resume.status, 202, resume.text);
    const { execution, tasks } = await until(
      t.url,
      id,
      (e) => e.status !== 'running' && e.status !== 'failed',
    );
    assert.equal(execution.status, 'success');
    assert.equal(tasks.get('once')?.attempts, 2);
    assert.equal(tasks.get('after')?.status, 'success');
  });
});
