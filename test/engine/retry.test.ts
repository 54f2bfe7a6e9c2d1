import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExecutionBackend } from '../../src/engine/backend.js';
import type { ExecutionEvent, TaskRetryingEvent } from '../../src/engine/events.js';
import { NativeExecutor } from '../../src/engine/native-executor.js';
import { TaskRegistry } from '../../src/engine/registry.js';
import type { ExecutionContext, TaskOutcome } from '../../src/engine/task-executor.js';
import { RetryLimitExceededError, TaskExecutionFailedError } from '../../src/model/errors.js';
import type { Task } from '../../src/model/task.js';
import { customTask, dagOf } from './controlled-executor.js';

/** An executor that answers each attempt from a script of outcomes, per task. */
function scripted(script: Record<string, TaskOutcome[]>) {
  const attempts: Array<{ id: string; attempt: number }> = [];
  const executor = {
    taskType: 'scripted',
    execute: async (task: Task, context: ExecutionContext): Promise<TaskOutcome> => {
      attempts.push({ id: task.id, attempt: context.attempt });
      const list = script[task.id] ?? [];
      return list[Math.min(context.attempt, list.length) - 1] ?? {};
    },
  };
  return { executor, attempts };
}

describe('retries', () => {
  it('retries a failing task until it succeeds, counting retries and emitting task_retrying', async () => {
    const { executor, attempts } = scripted({ a: [{ exitCode: 1 }, { exitCode: 1 }, { stdout: 'ok' }] });
    const dag = dagOf([['a', []]], 'scripted');
    dag.getTask('a')!.withRetry({ maxAttempts: 3, initialDelay: 5, backoff: 'linear' });
    const events: ExecutionEvent[] = [];
    const result = await NativeExecutor.withTaskRegistry(
      {},
      new TaskRegistry().register(executor),
    ).executeDag(dag, {
      onEvent: (e) => events.push(e),
    });
    assert.equal(result.status, 'success');
    assert.equal(result.taskResults['a']?.retryCount, 2);
    assert.equal(result.taskResults['a']?.stdout, 'ok');
    assert.deepEqual(
      attempts.map((a) => a.attempt),
      [1, 2, 3],
    );
    const retrying = events.filter((e): e is TaskRetryingEvent => e.type === 'task_retrying');
    assert.deepEqual(
      retrying.map((e) => e.attempt),
      [1, 2],
    );
    assert.ok(retrying[0]!.delay >= 5 && retrying[0]!.delay <= 6);
    assert.ok(retrying[1]!.delay >= 10 && retrying[1]!.delay <= 11);
    assert.equal(retrying[0]!.result.status, 'failed');
    const started = events
      .filter((e) => e.type === 'task_started')
      .map((e) => (e.type === 'task_started' ? e.attempt : 0));
    assert.deepEqual(started, [1, 2, 3]);
  });

  it('gives RetryLimitExceeded with the attempts when every attempt failed', async () => {
    const { executor } = scripted({ a: [{ exitCode: 7 }] });
    const dag = dagOf(
      [
        ['a', []],
        ['b', ['a']],
      ],
      'scripted',
    );
    dag.getTask('a')!.withRetry({ maxAttempts: 3, initialDelay: 1, backoff: 'fixed' });
    const result = await NativeExecutor.withTaskRegistry(
      {},
      new TaskRegistry().register(executor),
    ).executeDag(dag);
    const a = result.taskResults['a']!;
    assert.equal(a.status, 'failed');
    assert.equal(a.retryCount, 2);
    assert.ok(a.error instanceof RetryLimitExceededError);
    assert.equal(a.error.attempts, 3);
    assert.equal(a.error.code, 'RETRY_LIMIT_EXCEEDED');
    assert.match(a.errorMessage ?? '', /failed after 3 attempts; last: exited with code 7/);
    assert.equal(result.taskResults['b']?.status, 'skipped');
  });

  it('retries only the exit codes listed in retryOnExitCodes', async () => {
    const { executor, attempts } = scripted({
      listed: [{ exitCode: 75 }, {}],
      other: [{ exitCode: 1 }, {}],
    });
    const dag = dagOf(
      [
        ['listed', []],
        ['other', []],
      ],
      'scripted',
    );
    for (const id of ['listed', 'other']) {
      dag.getTask(id)!.withRetry({ maxAttempts: 3, initialDelay: 1, retryOnExitCodes: [75] });
    }
    const result = await NativeExecutor.withTaskRegistry(
      {},
      new TaskRegistry().register(executor),
    ).executeDag(dag);
    assert.equal(result.taskResults['listed']?.status, 'success');
    assert.equal(result.taskResults['listed']?.retryCount, 1);
    const other = result.taskResults['other']!;
    assert.equal(other.status, 'failed');
    assert.equal(other.retryCount, 0);
    assert.ok(
      other.error instanceof TaskExecutionFailedError,
      'not retried: its own error, not RetryLimitExceeded',
    );
    assert.equal(attempts.filter((a) => a.id === 'other').length, 1);
  });

  it('uses the executor-level retry policy for tasks without their own', async () => {
    const { executor, attempts } = scripted({ a: [{ exitCode: 1 }, {}], b: [{ exitCode: 1 }, {}] });
    const dag = dagOf(
      [
        ['a', []],
        ['b', []],
      ],
      'scripted',
    );
    dag.getTask('b')!.withRetry({ maxAttempts: 1 });
    const config = { retryConfig: { maxAttempts: 2, initialDelay: 1, maxDelay: 5, useExponential: true } };
    const result = await NativeExecutor.withTaskRegistry(
      config,
      new TaskRegistry().register(executor),
    ).executeDag(dag);
    assert.equal(result.taskResults['a']?.status, 'success');
    assert.equal(result.taskResults['b']?.status, 'failed', 'the task policy (1 attempt) overrides');
    assert.equal(attempts.filter((a) => a.id === 'b').length, 1);
  });

  it('retries a timed-out attempt only with retryOnTimeout', async () => {
    let calls = 0;
    const executor = {
      taskType: 'slow',
      execute: (task: Task, context: ExecutionContext) => {
        calls++;
        if (task.id === 'b' || context.attempt > 1) return Promise.resolve({});
        return new Promise<TaskOutcome>((resolve) =>
          context.signal.addEventListener('abort', () => resolve({})),
        );
      },
    };
    const dag = new (await import('../../src/model/dag.js')).Dag('t');
    dag.addTask(customTask('a', [], 'slow').withTimeout(30).withRetry({ maxAttempts: 2, initialDelay: 1 }));
    const noRetry = customTask('c', [], 'slow')
      .withTimeout(30)
      .withRetry({ maxAttempts: 2, retryOnTimeout: false });
    dag.addTask(noRetry);
    const result = await NativeExecutor.withTaskRegistry(
      {},
      new TaskRegistry().register(executor),
    ).executeDag(dag);
    assert.equal(result.taskResults['a']?.status, 'success');
    assert.equal(result.taskResults['a']?.retryCount, 1);
    assert.equal(result.taskResults['c']?.status, 'timed_out');
    assert.equal(result.taskResults['c']?.retryCount, 0);
    assert.equal(calls, 3);
  });

  it('cancels a task waiting for its retry at once', async () => {
    const { executor } = scripted({ a: [{ exitCode: 1 }] });
    const dag = dagOf([['a', []]], 'scripted');
    dag.getTask('a')!.withRetry({ maxAttempts: 5, initialDelay: 60_000, maxDelay: 60_000 });
    const controller = new AbortController();
    const result = await NativeExecutor.withTaskRegistry(
      {},
      new TaskRegistry().register(executor),
    ).executeDag(dag, {
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'task_retrying') controller.abort();
      },
    });
    assert.equal(result.status, 'cancelled');
    assert.equal(result.taskResults['a']?.status, 'cancelled');
    assert.equal(result.taskResults['a']?.retryCount, 0);
  });

  it('counts a run a backend reports lost as a failed attempt, against the retry budget', async () => {
    const { executor, attempts } = scripted({ a: [{ stdout: 'first' }, { stdout: 'second' }] });
    // A backend whose first run of each task is lost (as a worker that dies), then runs it again.
    const backend: ExecutionBackend = {
      name: 'flaky-host',
      async runAttempt(task, context, taskExecutor) {
        context.attemptLost?.('the host running it went away');
        return taskExecutor.execute(task, context);
      },
    };
    const dag = dagOf([['a', []]], 'scripted');
    dag.getTask('a')!.withRetry({ maxAttempts: 2, initialDelay: 1 });
    const events: ExecutionEvent[] = [];
    const registry = new TaskRegistry().register(executor);
    const result = await new NativeExecutor({}, { taskRegistry: registry, backend }).executeDag(dag, {
      onEvent: (e) => events.push(e),
    });
    assert.equal(result.status, 'success');
    const a = result.taskResults['a'];
    assert.equal(a?.retryCount, 1, 'the lost run counts');
    assert.equal(a?.stdout, 'second', 'the executor ran as attempt 2');
    assert.deepEqual(attempts, [{ id: 'a', attempt: 2 }]);
    const retrying = events.filter((e): e is TaskRetryingEvent => e.type === 'task_retrying');
    assert.equal(retrying.length, 1);
    assert.equal(retrying[0]?.attempt, 1);
    assert.equal(retrying[0]?.delay, 0);
    assert.equal(retrying[0]?.result.status, 'failed');
    assert.equal(retrying[0]?.result.errorMessage, 'the host running it went away');
    assert.equal(retrying[0]?.result.metadata['lost'], 'true');
    const started = events.flatMap((e) => (e.type === 'task_started' ? [e.attempt] : []));
    assert.deepEqual(started, [1, 2]);
  });

  it('does not retry after a lost run used the last attempt', async () => {
    const { executor } = scripted({ a: [{ exitCode: 3 }] });
    const backend: ExecutionBackend = {
      name: 'flaky-host',
      async runAttempt(task, context, taskExecutor) {
        if (context.attempt === 1) context.attemptLost?.('lost');
        return taskExecutor.execute(task, context);
      },
    };
    const dag = dagOf([['a', []]], 'scripted');
    dag.getTask('a')!.withRetry({ maxAttempts: 2, initialDelay: 1 });
    const registry = new TaskRegistry().register(executor);
    const result = await new NativeExecutor({}, { taskRegistry: registry, backend }).executeDag(dag);
    assert.equal(result.taskResults['a']?.status, 'failed');
    assert.equal(result.taskResults['a']?.retryCount, 1, 'two attempts in all: the lost one and one more');
  });
});
