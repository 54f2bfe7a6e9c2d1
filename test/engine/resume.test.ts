import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExecutionStartedEvent } from '../../src/engine/events.js';
import { NativeExecutor } from '../../src/engine/native-executor.js';
import { TaskRegistry } from '../../src/engine/registry.js';
import type { TaskResult } from '../../src/model/result.js';
import { ControlledExecutor, dagOf } from './controlled-executor.js';

function succeeded(taskId: string, stdout: string): TaskResult {
  const at = new Date('2024-01-01T00:00:00Z');
  return {
    taskId,
    status: 'success',
    startedAt: at,
    completedAt: at,
    duration: 5,
    stdout,
    stderr: '',
    exitCode: 0,
    retryCount: 0,
    metadata: {},
  };
}

describe('resume', () => {
  it('keeps successful results, reruns the rest with continued attempt numbers under the same id', async () => {
    const ctl = new ControlledExecutor();
    const dag = dagOf([
      ['a', []],
      ['b', ['a']],
      ['c', ['b']],
      ['d', []],
    ]);
    const failedBefore: TaskResult = { ...succeeded('b', ''), status: 'failed', exitCode: 1 };
    let started: ExecutionStartedEvent | undefined;
    const run = NativeExecutor.withTaskRegistry({}, new TaskRegistry().register(ctl)).executeDag(dag, {
      executionId: '01HZZZZZZZZZZZZZZZZZZZZZZZ',
      resume: {
        completed: { a: succeeded('a', 'from before'), b: failedBefore, d: succeeded('d', '') },
        attempts: { b: 2 },
      },
      onEvent: (e) => {
        if (e.type === 'execution_started') started = e;
      },
    });
    await ctl.waitStarted(1);
    assert.deepEqual(ctl.started, ['b'], 'a and d are kept, b is run again');
    const b = ctl.contexts[0]!;
    assert.equal(b.attempt, 3);
    assert.equal(b.executionId, '01HZZZZZZZZZZZZZZZZZZZZZZZ');
    assert.equal(b.upstream['a']?.stdout, 'from before');
    ctl.finish('b');
    await ctl.waitStarted(2);
    assert.equal(ctl.contexts[1]!.attempt, 1);
    ctl.finish('c');
    const result = await run;
    assert.equal(result.status, 'success');
    assert.equal(result.executionId, '01HZZZZZZZZZZZZZZZZZZZZZZZ');
    assert.equal(result.taskResults['a']?.stdout, 'from before');
    assert.deepEqual(Object.keys(result.taskResults), ['a', 'b', 'c', 'd']);
    assert.equal(started?.resumed, true);
    assert.deepEqual(started?.keptTaskIds, ['a', 'd']);
    assert.equal(result.metrics.successfulTasks, 4);
  });

  it('finishes at once when every task was kept', async () => {
    const ctl = new ControlledExecutor();
    const result = await NativeExecutor.withTaskRegistry({}, new TaskRegistry().register(ctl)).executeDag(
      dagOf([['a', []]]),
      { resume: { completed: { a: succeeded('a', 'x') } } },
    );
    assert.equal(result.status, 'success');
    assert.equal(ctl.started.length, 0);
  });
});
