import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NativeExecutor } from '../../src/engine/native-executor.js';
import { TaskRegistry } from '../../src/engine/registry.js';
import { executionResultToJson } from '../../src/engine/serialize.js';
import { dagOf } from './controlled-executor.js';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('executionResultToJson', () => {
  it('uses camelCase keys, …Ms durations, ISO timestamps, lowercase statuses and {code, message} errors', async () => {
    const registry = new TaskRegistry().register({
      taskType: 'x',
      execute: async (task) => (task.id === 'bad' ? { exitCode: 3 } : { stdout: 'hi', outputData: [1, 2] }),
    });
    const result = await NativeExecutor.withTaskRegistry({}, registry).executeDag(
      dagOf(
        [
          ['good', []],
          ['bad', []],
          ['after', ['bad']],
        ],
        'x',
      ),
    );
    const json = JSON.parse(JSON.stringify(executionResultToJson(result)));
    assert.equal(json.status, 'failed');
    assert.match(json.startedAt, ISO);
    assert.match(json.completedAt, ISO);
    assert.equal(typeof json.totalDurationMs, 'number');
    assert.equal(json.executionId, result.executionId);
    assert.deepEqual(Object.keys(json.taskResults), ['good', 'bad', 'after']);
    const good = json.taskResults.good;
    assert.equal(good.status, 'success');
    assert.equal(typeof good.durationMs, 'number');
    assert.match(good.startedAt, ISO);
    assert.deepEqual(good.outputData, [1, 2]);
    assert.equal(good.stdout, 'hi');
    assert.equal(good.error, undefined);
    assert.deepEqual(json.taskResults.bad.error, {
      code: 'TASK_EXECUTION_FAILED',
      message: 'task "bad" failed: exited with code 3',
    });
    assert.equal(json.taskResults.bad.exitCode, 3);
    assert.equal(json.taskResults.after.status, 'skipped');
    assert.equal(json.metrics.totalTasks, 3);
    assert.equal(typeof json.metrics.totalExecutionTimeMs, 'number');
    assert.equal(typeof json.metrics.taskExecutionTimesMs.good, 'number');
    for (const key of Object.keys(json).concat(Object.keys(good), Object.keys(json.metrics))) {
      assert.match(key, /^[a-z][a-zA-Z]*$/, `camelCase: ${key}`);
    }
  });
});
