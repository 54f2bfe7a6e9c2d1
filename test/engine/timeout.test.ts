import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NativeExecutor } from '../../src/engine/native-executor.js';
import { TaskRegistry } from '../../src/engine/registry.js';
import type { ExecutionContext, TaskExecutor, TaskOutcome } from '../../src/engine/task-executor.js';
import { Dag } from '../../src/model/dag.js';
import { TaskTimeoutError } from '../../src/model/errors.js';
import { Task } from '../../src/model/task.js';
import { goneWithin, readPid } from '../helpers/processes.js';
import { customTask } from './controlled-executor.js';

/** Waits for its signal; reports the reason it saw. */
function waiting(defaultTimeout?: number): TaskExecutor & { reasons: unknown[] } {
  const reasons: unknown[] = [];
  return {
    taskType: 'wait',
    reasons,
    ...(defaultTimeout === undefined ? {} : { defaultTimeout: () => defaultTimeout }),
    execute: (_task: Task, context: ExecutionContext) =>
      new Promise<TaskOutcome>((resolve) => {
        context.signal.addEventListener('abort', () => {
          reasons.push(context.signal.reason);
          resolve({ stdout: 'partial' });
        });
      }),
  };
}

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jorm-engine-timeout-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('timeouts', () => {
  it('aborts an attempt at its timeout: status timed_out, a TaskTimeout error with id and timeout', async () => {
    const executor = waiting();
    const dag = new Dag('t').addTask(customTask('a', [], 'wait').withTimeout(40));
    const result = await NativeExecutor.withTaskRegistry(
      {},
      new TaskRegistry().register(executor),
    ).executeDag(dag);
    const a = result.taskResults['a']!;
    assert.equal(result.status, 'failed');
    assert.equal(a.status, 'timed_out');
    assert.ok(a.error instanceof TaskTimeoutError);
    assert.equal(a.error.code, 'TASK_TIMEOUT');
    assert.equal(a.error.taskId, 'a');
    assert.equal(a.error.timeout, 40);
    assert.equal(a.errorMessage, 'timed out after 40ms');
    assert.equal(a.stdout, 'partial');
    assert.ok(executor.reasons[0] instanceof TaskTimeoutError);
    assert.equal(result.metrics.timedOutTasks, 1);
  });

  it('takes the task timeout, else an explicit config default, else the executor default', async () => {
    const run = async (config: { defaultTimeout?: number }, taskTimeout?: number) => {
      const task = customTask('a', [], 'wait');
      if (taskTimeout) task.withTimeout(taskTimeout);
      const registry = new TaskRegistry().register(waiting(35));
      const result = await NativeExecutor.withTaskRegistry(config, registry).executeDag(
        new Dag('t').addTask(task),
      );
      const error = result.taskResults['a']?.error;
      assert.ok(error instanceof TaskTimeoutError);
      return error.timeout;
    };
    assert.equal(await run({}), 35);
    assert.equal(await run({ defaultTimeout: 45 }), 45);
    assert.equal(await run({ defaultTimeout: 45 }, 25), 25);
  });

  it('offers the abort as context.abortNotice too: one call at the timeout, signal and notice agree', async () => {
    const seen: string[] = [];
    const executor: TaskExecutor = {
      taskType: 'notice',
      execute: (_task, context) =>
        new Promise<TaskOutcome>((resolve) => {
          const notice = context.abortNotice;
          assert.ok(notice, 'the engine gives an abort notice');
          assert.equal(notice.aborted, false);
          const forgotten = () => seen.push('removed listener called');
          notice.addAbortListener(forgotten);
          notice.removeAbortListener(forgotten);
          notice.addAbortListener(() => {
            seen.push(`aborted=${notice.aborted}`);
            // A signal first read after the abort is aborted, with the same reason.
            seen.push(`signal=${context.signal.aborted}:${(context.signal.reason as Error).name}`);
            setTimeout(() => resolve({}), 20);
          });
        }),
    };
    const dag = new Dag('t').addTask(customTask('a', [], 'notice').withTimeout(40));
    const result = await NativeExecutor.withTaskRegistry(
      {},
      new TaskRegistry().register(executor),
    ).executeDag(dag);
    assert.equal(result.taskResults['a']?.status, 'timed_out');
    assert.deepEqual(seen, ['aborted=true', 'signal=true:TaskTimeoutError']);
  });

  it('kills a timed-out shell task with its whole process group: no background grandchild survives', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    const dag = new Dag('t').addTask(
      Task.shell('slow', `sleep 60 & echo $! > '${pidFile}'; echo started; wait`).withTimeout(300),
    );
    const result = await new NativeExecutor({ killGracePeriod: 500 }).executeDag(dag);
    const slow = result.taskResults['slow']!;
    assert.equal(slow.status, 'timed_out');
    assert.equal(slow.stdout, 'started\n');
    assert.ok(await goneWithin(readPid(pidFile)), 'the background grandchild must be killed');
  });

  it('SIGKILLs a task that ignores SIGTERM once the grace period is over', async () => {
    const pidFile = join(dir, 'stubborn.pid');
    const dag = new Dag('t').addTask(
      Task.shell(
        'stubborn',
        `trap '' TERM; sleep 60 & echo $! > '${pidFile}'; echo ready; wait; wait`,
      ).withTimeout(300),
    );
    const result = await new NativeExecutor({ killGracePeriod: 200 }).executeDag(dag);
    assert.equal(result.taskResults['stubborn']?.status, 'timed_out');
    assert.ok(await goneWithin(readPid(pidFile)));
  });
});
