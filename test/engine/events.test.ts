import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExecutionEvent, ExecutionObserver } from '../../src/engine/events.js';
import { NativeExecutor } from '../../src/engine/native-executor.js';
import { TaskRegistry } from '../../src/engine/registry.js';
import type { ExecutionContext, TaskOutcome } from '../../src/engine/task-executor.js';
import type { Task } from '../../src/model/task.js';
import { dagOf } from './controlled-executor.js';

function describeEvent(e: ExecutionEvent): string {
  switch (e.type) {
    case 'execution_started':
    case 'execution_finished':
      return e.type;
    case 'task_finished':
      return `${e.type} ${e.taskId} ${e.result.status}`;
    case 'task_output':
      return `${e.type} ${e.taskId} ${e.stream} ${JSON.stringify(e.chunk)}`;
    case 'throttle':
      return `${e.type} ${e.state}`;
    default:
      return `${e.type} ${e.taskId}`;
  }
}

describe('events', () => {
  it('are emitted in order for a chain', async () => {
    const registry = new TaskRegistry().register({ taskType: 'ok', execute: async () => ({}) });
    const events: string[] = [];
    const result = await NativeExecutor.withTaskRegistry({}, registry).executeDag(
      dagOf(
        [
          ['a', []],
          ['b', ['a']],
        ],
        'ok',
      ),
      { onEvent: (e) => events.push(describeEvent(e)) },
    );
    assert.equal(result.status, 'success');
    assert.deepEqual(events, [
      'execution_started',
      'task_ready a',
      'task_started a',
      'task_finished a success',
      'task_ready b',
      'task_started b',
      'task_finished b success',
      'execution_finished',
    ]);
  });

  it('flushes observers after each turn: a state change is flushed before the executor acts on it', async () => {
    const log: string[] = [];
    const observer: ExecutionObserver = {
      onEvent: (e) => log.push(describeEvent(e)),
      flush: () => log.push('flush'),
    };
    const seenAtStart: Record<string, string[]> = {};
    const registry = new TaskRegistry().register({
      taskType: 'ok',
      execute: async (task: Task) => {
        seenAtStart[task.id] = [...log];
        return {};
      },
    });
    const result = await NativeExecutor.withTaskRegistry({}, registry).executeDag(
      dagOf(
        [
          ['a', []],
          ['b', ['a']],
        ],
        'ok',
      ),
      { observers: [observer] },
    );
    for (const id of ['a', 'b']) {
      const seen = seenAtStart[id]!;
      assert.equal(seen.at(-1), 'flush', `the turn that starts ${id} was flushed before it ran`);
      assert.ok(seen.includes(`task_started ${id}`));
    }
    assert.ok(seenAtStart['b']!.includes('task_finished a success'), 'a was recorded before b started');
    assert.deepEqual(log.slice(-2), ['execution_finished', 'flush'], 'flushed before the result is returned');
    assert.equal(result.status, 'success');
  });

  it('survives a listener that throws', async () => {
    const registry = new TaskRegistry().register({ taskType: 'ok', execute: async () => ({}) });
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const result = await NativeExecutor.withTaskRegistry({}, registry).executeDag(
        dagOf([['a', []]], 'ok'),
        {
          onEvent: () => {
            throw new Error('display broke');
          },
        },
      );
      assert.equal(result.status, 'success');
      await new Promise((resolve) => setImmediate(resolve));
      assert.ok(warnings.some((w) => w.includes('display broke')));
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('streams output masked, even when a secret is split across chunks', async () => {
    const secret = 'hunter2-very-secret';
    const registry = new TaskRegistry().register({
      taskType: 'talk',
      execute: async (_task: Task, context: ExecutionContext): Promise<TaskOutcome> => {
        context.onOutput?.('stdout', `token is ${secret.slice(0, 7)}`);
        context.onOutput?.('stdout', `${secret.slice(7)} ok\nsecond line`);
        context.onOutput?.('stderr', `oops ${secret}\n`);
        return {
          stdout: `token is ${secret} ok\nsecond line`,
          stderr: `oops ${secret}\n`,
          errorMessage: secret,
        };
      },
    });
    const dag = dagOf([['a', []]], 'talk');
    dag.environment['SECRET_TOKEN'] = secret;
    const chunks: Record<string, string> = { stdout: '', stderr: '' };
    const all: string[] = [];
    const result = await NativeExecutor.withTaskRegistry({}, registry).executeDag(dag, {
      onEvent: (e) => {
        all.push(JSON.stringify(e));
        if (e.type === 'task_output') chunks[e.stream] += e.chunk;
      },
    });
    assert.equal(chunks['stdout'], 'token is *** ok\nsecond line');
    assert.equal(chunks['stderr'], 'oops ***\n');
    const a = result.taskResults['a']!;
    assert.equal(a.stdout, 'token is *** ok\nsecond line');
    assert.equal(a.stderr, 'oops ***\n');
    assert.ok(!all.join('\n').includes(secret), 'no event carries the secret');
  });
});
