import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AdmissionControl, AdmissionVerdict } from '../../src/engine/admission.js';
import type { ThrottleEvent } from '../../src/engine/events.js';
import { NativeExecutor } from '../../src/engine/native-executor.js';
import { TaskRegistry } from '../../src/engine/registry.js';
import { ResourceLimitExceededError } from '../../src/model/errors.js';
import type { Task } from '../../src/model/task.js';
import { ControlledExecutor, dagOf } from './controlled-executor.js';

describe('admission gate', () => {
  it('holds tasks while the gate says so, re-checks when woken, and never deadlocks', async () => {
    const ctl = new ControlledExecutor();
    let open = false;
    let wake: (() => void) | undefined;
    const calls: number[] = [];
    const admission: AdmissionControl = {
      canStart: (_task: Task, running: number): AdmissionVerdict => {
        calls.push(running);
        return open ? true : { hold: 'memory 95% >= 90%' };
      },
      subscribe: (w) => {
        wake = w;
        return () => {
          wake = undefined;
        };
      },
      recheckInterval: 60_000,
    };
    const throttles: ThrottleEvent[] = [];
    const run = NativeExecutor.withTaskRegistry(
      { maxConcurrentTasks: 4 },
      new TaskRegistry().register(ctl),
    ).executeDag(
      dagOf([
        ['a', []],
        ['b', []],
        ['c', []],
      ]),
      { admission, onEvent: (e) => e.type === 'throttle' && throttles.push(e) },
    );
    await ctl.waitStarted(1);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(ctl.running, 1, 'with nothing running one task starts despite the hold; the others wait');
    assert.equal(throttles[0]?.state, 'holding');
    assert.equal(throttles[0]?.reason, 'memory 95% >= 90%');
    assert.equal(throttles[0]?.heldTasks, 2);
    open = true;
    wake?.();
    await ctl.waitStarted(3);
    assert.equal(throttles.at(-1)?.state, 'released');
    for (const id of ['a', 'b', 'c']) ctl.finish(id);
    const result = await run;
    assert.equal(result.status, 'success');
    assert.equal(wake, undefined, 'unsubscribed at the end');
  });

  it('fails a task the gate rejects and skips its dependents', async () => {
    const ctl = new ControlledExecutor();
    const admission: AdmissionControl = {
      canStart: (task) =>
        task.id === 'huge'
          ? { reject: new ResourceLimitExceededError('memory', 'task "huge" needs 1 TB') }
          : true,
    };
    const run = NativeExecutor.withTaskRegistry({}, new TaskRegistry().register(ctl)).executeDag(
      dagOf([
        ['huge', []],
        ['after', ['huge']],
        ['small', []],
      ]),
      { admission },
    );
    await ctl.waitStarted(1);
    ctl.finish('small');
    const result = await run;
    assert.equal(result.taskResults['huge']?.status, 'failed');
    assert.equal(result.taskResults['huge']?.error?.code, 'RESOURCE_LIMIT_EXCEEDED');
    assert.equal(result.taskResults['after']?.status, 'skipped');
    assert.equal(result.taskResults['small']?.status, 'success');
    assert.deepEqual(ctl.started, ['small']);
  });
});
