/** The task codec: every config kind survives JSON; damaged values fail with a clear message. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  decodeTask,
  decodeTaskResult,
  encodeTask,
  encodeTaskResult,
} from '../../src/distributed/task-codec.js';
import { SerializationError } from '../../src/model/errors.js';
import type { TaskResult } from '../../src/model/result.js';
import { Task, type TaskConfig } from '../../src/model/task.js';

const configs: TaskConfig[] = [
  { kind: 'shell', command: 'echo hi', workingDir: 'sub', shell: 'bash', output: 'json' },
  { kind: 'python_script', script: 'print(1)\n', args: ['-v'], pythonPath: 'python3', workingDir: '/tmp' },
  {
    kind: 'python_function',
    module: 'm',
    function: 'f',
    args: [1, 'two', { three: 3 }],
    kwargs: { k: [true, null] },
  },
  {
    kind: 'http_request',
    method: 'POST',
    url: 'https://example.test/x',
    headers: { Accept: 'application/json' },
    body: '{}',
    auth: { type: 'api_key', key: 'k', header: 'X-Key' },
    timeout: 2500,
    expectedStatus: [404],
  },
  { kind: 'file_operation', operation: 'copy', source: 'a', destination: 'b', options: { overwrite: true } },
  { kind: 'jorm', args: ['run', 'other.jorm'] },
  { kind: 'custom', values: { nested: { list: [1, 2] }, flag: false } },
];

function roundTrip(task: Task): Task {
  return decodeTask(JSON.parse(JSON.stringify(encodeTask(task))));
}

describe('task codec', () => {
  it('keeps every field of every config kind through JSON', () => {
    for (const config of configs) {
      const task = new Task('t', 'The task', config.kind === 'custom' ? 'mine' : 'x', config);
      task
        .withTimeout('30s')
        .withRetry({ maxAttempts: 3, retryOnExitCodes: [2] })
        .withEnvVar('A', 'b');
      task.addDependency('up');
      task.metadata = { owner: 'me', n: 3 };
      task.tags = ['gpu'];
      task.queue = 'big';
      task.description = 'does things';
      task.resources = { cpu: 2 };
      task.location = { file: 'dag.jorm', line: 3, column: 1 };
      const back = roundTrip(task);
      assert.deepEqual(encodeTask(back), encodeTask(task));
      assert.ok(back instanceof Task);
      assert.equal(back.effectiveTimeout(1), 30_000);
      assert.deepEqual(back.config, config);
    }
  });

  it('round-trips arbitrary shell tasks', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.string(),
        fc.dictionary(fc.string(), fc.string()),
        fc.array(fc.string()),
        fc.option(fc.integer({ min: 1, max: 1e9 }), { nil: undefined }),
        (id, command, environment, tags, timeout) => {
          const task = Task.shell(id, command);
          task.environment = environment;
          task.tags = tags;
          if (timeout !== undefined) task.timeout = timeout;
          assert.deepEqual(encodeTask(roundTrip(task)), encodeTask(task));
        },
      ),
    );
  });

  it('keeps a variable named __proto__ as a variable', () => {
    const task = Task.shell('t', 'echo');
    task.environment = JSON.parse('{"__proto__": "value", "A": "b"}') as Record<string, string>;
    const back = roundTrip(task);
    assert.deepEqual(Object.entries(back.environment), [
      ['__proto__', 'value'],
      ['A', 'b'],
    ]);
  });

  it('rejects a damaged task with the path of the problem', () => {
    const encoded = encodeTask(Task.shell('t', 'echo')) as unknown as { config: Record<string, unknown> };
    encoded.config['command'] = 42;
    assert.throws(
      () => decodeTask(encoded),
      (error) => {
        assert.ok(error instanceof SerializationError);
        assert.match(error.message, /^invalid task at config\.command: /);
        return true;
      },
    );
    assert.throws(
      () => decodeTask({ ...encodeTask(Task.shell('t', 'x')), config: { kind: 'teleport' } }),
      SerializationError,
    );
  });

  it('encodes results with ISO dates and without their output unless asked', () => {
    const result: TaskResult = {
      taskId: 'a',
      status: 'success',
      startedAt: new Date('2026-01-01T00:00:00Z'),
      completedAt: new Date('2026-01-01T00:00:01Z'),
      duration: 1000,
      stdout: 'out',
      stderr: 'err',
      exitCode: 0,
      retryCount: 1,
      outputData: { x: 1 },
      metadata: { k: 'v' },
    };
    const plain = JSON.parse(JSON.stringify(encodeTaskResult(result)));
    assert.equal(plain.startedAt, '2026-01-01T00:00:00.000Z');
    assert.equal(plain.stdout, '');
    const back = decodeTaskResult(plain);
    assert.deepEqual(back, { ...result, stdout: '', stderr: '' });
    assert.equal(decodeTaskResult(encodeTaskResult(result, { includeOutput: true })).stdout, 'out');
  });
});
