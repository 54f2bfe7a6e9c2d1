import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NativeExecutor } from '../../src/engine/native-executor.js';
import { TaskRegistry } from '../../src/engine/registry.js';
import { Dag } from '../../src/model/dag.js';
import { CancelledError } from '../../src/model/errors.js';
import { Task } from '../../src/model/task.js';
import { goneWithin, readPid } from '../helpers/processes.js';
import { ControlledExecutor, dagOf } from './controlled-executor.js';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jorm-engine-cancel-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('cancellation', () => {
  it('kills running tasks, cancels the others, and ends cancelled', async () => {
    const ctl = new ControlledExecutor();
    const dag = dagOf([
      ['a', []],
      ['b', []],
      ['c', []],
      ['d', ['a']],
    ]);
    const controller = new AbortController();
    const run = NativeExecutor.withTaskRegistry(
      { maxConcurrentTasks: 2 },
      new TaskRegistry().register(ctl),
    ).executeDag(dag, { signal: controller.signal });
    await ctl.waitStarted(2);
    controller.abort();
    const result = await run;
    assert.equal(result.status, 'cancelled');
    for (const id of ['a', 'b', 'c', 'd']) assert.equal(result.taskResults[id]?.status, 'cancelled', id);
    assert.ok(result.taskResults['a']?.error instanceof CancelledError);
    assert.ok(ctl.contexts[0]!.signal.reason instanceof CancelledError);
    assert.deepEqual(ctl.started, ['a', 'b']);
    assert.equal(result.metrics.cancelledTasks, 4);
  });

  it('runs none of the attempts it had picked when a listener cancels on their task_started event', async () => {
    const ctl = new ControlledExecutor();
    const controller = new AbortController();
    const result = await NativeExecutor.withTaskRegistry(
      { maxConcurrentTasks: 2 },
      new TaskRegistry().register(ctl),
    ).executeDag(
      dagOf([
        ['a', []],
        ['b', []],
        ['c', ['a']],
      ]),
      {
        signal: controller.signal,
        onEvent: (e) => {
          if (e.type === 'task_started' && e.taskId === 'a') controller.abort();
        },
      },
    );
    assert.equal(result.status, 'cancelled');
    assert.deepEqual(ctl.started, [], 'neither a nor b ran');
    for (const id of ['a', 'b', 'c']) assert.equal(result.taskResults[id]?.status, 'cancelled', id);
    assert.ok(result.taskResults['a']?.error instanceof CancelledError);
    assert.equal(result.metrics.cancelledTasks, 3);
  });

  it('starts nothing when the signal is already aborted', async () => {
    const ctl = new ControlledExecutor();
    const result = await NativeExecutor.withTaskRegistry({}, new TaskRegistry().register(ctl)).executeDag(
      dagOf([['a', []]]),
      { signal: AbortSignal.abort() },
    );
    assert.equal(result.status, 'cancelled');
    assert.equal(result.taskResults['a']?.status, 'cancelled');
    assert.equal(ctl.started.length, 0);
  });

  it('kills a running shell task and its background grandchild', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    const dag = new Dag('t').addTask(Task.shell('long', `sleep 60 & echo $! > '${pidFile}'; echo up; wait`));
    const controller = new AbortController();
    const result = await new NativeExecutor({ killGracePeriod: 500 }).executeDag(dag, {
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'task_output' && e.chunk.includes('up')) controller.abort();
      },
    });
    assert.equal(result.status, 'cancelled');
    assert.equal(result.taskResults['long']?.status, 'cancelled');
    assert.ok(await goneWithin(readPid(pidFile)));
  });
});
