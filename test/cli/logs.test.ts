import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { newExecutionId } from '../../src/model/ids.js';
import { StateRecorder } from '../../src/state/state-recorder.js';
import { CLI_PATH, runJorm } from '../helpers/cli.js';
import { StateFixture } from '../state/cli-fixture.js';
import { shellDag, taskResult } from '../state/simulate.js';

describe('jorm logs', () => {
  let fx: StateFixture;
  let id = '';
  before(() => {
    fx = new StateFixture();
    id = fx.record(
      'logs',
      { hello: [], flaky: [], never: ['flaky'] },
      { hello: { stdout: 'hello out\n', stderr: 'hello err\n' }, flaky: { failures: 1, final: 'failed' } },
    );
  });
  after(() => fx.dispose());

  it("prints one task's stdout to stdout and stderr to stderr", async () => {
    const run = await runJorm(['logs', id, 'hello', '--state', fx.database]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'hello out\n');
    assert.equal(run.stderr, 'hello err\n');
  });

  it('prints every attempt, or one with --attempt', async () => {
    const all = await runJorm(['logs', id, 'flaky', '--state', fx.database]);
    assert.equal(all.code, 0, all.stderr);
    assert.equal(all.stdout, 'flaky attempt 1\nflaky attempt 2\n');
    assert.match(all.stderr, /--- flaky: attempt 2 ---/);
    const one = await runJorm(['logs', id, 'flaky', '--attempt', '1', '--state', fx.database]);
    assert.equal(one.stdout, 'flaky attempt 1\n');
    const none = await runJorm(['logs', id, 'flaky', '--attempt', '5', '--state', fx.database]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /has 2 attempt\(s\), not 5/);
  });

  it('prints a whole execution under headers', async () => {
    const run = await runJorm(['logs', id.slice(0, 12), '--state', fx.database]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stdout,
      [
        '==> hello (attempt 1) <==',
        'hello out',
        '==> hello (attempt 1, stderr) <==',
        'hello err',
        '==> flaky (attempt 1) <==',
        'flaky attempt 1',
        '==> flaky (attempt 2) <==',
        'flaky attempt 2',
        '',
      ].join('\n'),
    );
  });

  it('says so for a task that never started, and exits 2 for an unknown task', async () => {
    const never = await runJorm(['logs', id, 'never', '--state', fx.database]);
    assert.equal(never.code, 0);
    assert.match(never.stderr, /task "never" never started \(skipped/);
    const unknown = await runJorm(['logs', id, 'helo', '--state', fx.database]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /has no task "helo" \(did you mean "hello"\?\)/);
  });

  it('--follow streams a running attempt until it ends', async () => {
    const dag = shellDag('live', { slow: [] });
    const recorder = new StateRecorder(fx.manager, { dag });
    const live = newExecutionId();
    const started = new Date();
    recorder.onEvent({
      type: 'execution_started',
      executionId: live,
      dagId: 'live',
      taskCount: 1,
      timestamp: started,
      resumed: false,
    });
    recorder.onEvent({
      type: 'task_started',
      executionId: live,
      taskId: 'slow',
      attempt: 1,
      timestamp: started,
    });
    recorder.flush();
    const output = (chunk: string) =>
      recorder.onEvent({
        type: 'task_output',
        executionId: live,
        taskId: 'slow',
        attempt: 1,
        stream: 'stdout',
        chunk,
      });
    output('first line\n');

    const child = spawn(
      process.execPath,
      [CLI_PATH, 'logs', live, 'slow', '--follow', '--state', fx.database],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const waiters: { text: string; resolve: () => void }[] = [];
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      for (const w of waiters.filter((w) => stdout.includes(w.text))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    });
    const seen = (text: string) =>
      new Promise<void>((resolve) => {
        if (stdout.includes(text)) resolve();
        else waiters.push({ text, resolve });
      });
    try {
      await seen('first line\n');
      output('second line\n');
      await seen('second line\n');
      const result = taskResult('slow', 'success', {
        startedAt: started,
        stdout: 'first line\nsecond line\nlast line\n',
      });
      output('last line\n');
      recorder.onEvent({ type: 'task_finished', executionId: live, taskId: 'slow', attempt: 1, result });
      recorder.flush();
      const [code] = (await once(child, 'close')) as [number | null];
      assert.equal(code, 0, stderr);
      assert.equal(stdout, 'first line\nsecond line\nlast line\n');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
