import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NativeExecutor } from '../../src/engine/native-executor.js';
import { TaskRegistry } from '../../src/engine/registry.js';
import { CancelledError, TaskExecutionFailedError } from '../../src/model/errors.js';
import { ControlledExecutor, dagOf } from './controlled-executor.js';

function executorWith(ctl: ControlledExecutor, maxConcurrentTasks: number, failFast = false): NativeExecutor {
  const registry = new TaskRegistry().register(ctl);
  return NativeExecutor.withTaskRegistry({ maxConcurrentTasks, failFast }, registry);
}

describe('failure', () => {
  it('skips everything downstream of a failed task, naming it, and keeps independent branches running', async () => {
    const ctl = new ControlledExecutor();
    const dag = dagOf([
      ['a', []],
      ['b', ['a']],
      ['c', ['b']],
      ['d', ['a', 'x']],
      ['x', []],
      ['y', ['x']],
    ]);
    const run = executorWith(ctl, 2).executeDag(dag);
    await ctl.waitStarted(2);
    ctl.fail('a', 4);
    ctl.finish('x');
    await ctl.waitStarted(3);
    assert.equal(ctl.started[2], 'y');
    ctl.finish('y');
    const result = await run;
    assert.equal(result.status, 'failed');
    const r = result.taskResults;
    assert.equal(r['a']?.status, 'failed');
    assert.equal(r['a']?.exitCode, 4);
    assert.equal(r['a']?.errorMessage, 'exited with code 4');
    assert.ok(r['a']?.error instanceof TaskExecutionFailedError);
    assert.equal(r['a']?.stderr, 'a failed\n');
    for (const id of ['b', 'c', 'd']) {
      assert.equal(r[id]?.status, 'skipped', id);
      assert.match(r[id]?.errorMessage ?? '', /upstream task "a" failed/);
    }
    assert.equal(r['x']?.status, 'success');
    assert.equal(r['y']?.status, 'success');
    assert.deepEqual([...ctl.started].sort(), ['a', 'x', 'y']);
    assert.equal(result.metrics.failedTasks, 1);
    assert.equal(result.metrics.skippedTasks, 3);
    assert.equal(result.metrics.successfulTasks, 2);
  });

  it('fails a task whose executor throws, with the thrown message', async () => {
    const registry = new TaskRegistry().register({
      taskType: 'boom',
      execute: async () => {
        throw new Error('the disk is on fire');
      },
    });
    const dag = dagOf([['a', []]], 'boom');
    const result = await NativeExecutor.withTaskRegistry({}, registry).executeDag(dag);
    assert.equal(result.status, 'failed');
    assert.equal(result.taskResults['a']?.status, 'failed');
    assert.equal(result.taskResults['a']?.errorMessage, 'the disk is on fire');
    assert.equal(result.taskResults['a']?.error?.code, 'TASK_EXECUTION_FAILED');
  });

  it('treats status "failed" and a non-zero exit code as failures, anything else as success', async () => {
    const outcomes = {
      ok: {},
      zero: { exitCode: 0 },
      nonzero: { exitCode: 2 },
      said: { status: 'failed' as const, errorMessage: 'no luck' },
      forced: { status: 'success' as const, exitCode: 9 },
    };
    const registry = new TaskRegistry().register({
      taskType: 'fixed',
      execute: async (task) => outcomes[task.id as keyof typeof outcomes],
    });
    const dag = dagOf(
      Object.keys(outcomes).map((id): [string, string[]] => [id, []]),
      'fixed',
    );
    const result = await NativeExecutor.withTaskRegistry({}, registry).executeDag(dag);
    const status = Object.fromEntries(Object.entries(result.taskResults).map(([id, r]) => [id, r.status]));
    assert.deepEqual(status, {
      ok: 'success',
      zero: 'success',
      nonzero: 'failed',
      said: 'failed',
      forced: 'success',
    });
    assert.equal(result.taskResults['said']?.errorMessage, 'no luck');
  });

  it('with failFast, stops starting tasks at the first failure and cancels the running ones', async () => {
    const ctl = new ControlledExecutor();
    const dag = dagOf([
      ['a', []],
      ['b', []],
      ['c', []],
      ['d', ['a']],
    ]);
    const run = executorWith(ctl, 2, true).executeDag(dag);
    await ctl.waitStarted(2);
    const bSignal = ctl.contexts[1]!.signal;
    ctl.fail('a');
    const result = await run;
    assert.equal(result.status, 'failed');
    const r = result.taskResults;
    assert.equal(r['a']?.status, 'failed');
    assert.equal(r['b']?.status, 'cancelled');
    assert.ok(bSignal.aborted);
    assert.ok(bSignal.reason instanceof CancelledError);
    assert.match(String(bSignal.reason.message), /fail-fast: task "a" failed/);
    assert.equal(r['c']?.status, 'cancelled');
    assert.equal(r['d']?.status, 'skipped');
    assert.deepEqual(ctl.started, ['a', 'b']);
  });
});
