import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NativeExecutor } from '../../src/engine/native-executor.js';
import { TaskRegistry } from '../../src/engine/registry.js';
import { Dag } from '../../src/model/dag.js';
import { ConfigurationError, DagValidationError } from '../../src/model/errors.js';
import { ControlledExecutor, customTask, dagOf } from './controlled-executor.js';

describe('configuration', () => {
  it('rejects invalid values with a ConfigurationError naming the field and the value', () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ maxConcurrentTasks: 0 }, 'maxConcurrentTasks', '0'],
      [{ maxConcurrentTasks: -3 }, 'maxConcurrentTasks', '-3'],
      [{ maxConcurrentTasks: 1.5 }, 'maxConcurrentTasks', '1.5'],
      [{ defaultTimeout: 0 }, 'defaultTimeout', '0'],
      [{ defaultTimeout: -1000 }, 'defaultTimeout', '-1000'],
    ];
    for (const [config, field, value] of cases) {
      assert.throws(
        () => new NativeExecutor(config),
        (error: unknown) =>
          error instanceof ConfigurationError &&
          error.field === field &&
          error.value === value &&
          error.message.includes(field) &&
          error.message.includes(value),
        JSON.stringify(config),
      );
    }
  });

  it('has the reference defaults', () => {
    const executor = new NativeExecutor();
    assert.ok(executor.config.maxConcurrentTasks >= 1);
    assert.equal(executor.config.defaultTimeout, 300_000);
    assert.equal(executor.config.retryConfig, undefined);
    assert.equal(executor.config.inheritEnvironment, true);
    assert.equal(executor.config.workingDirectory, undefined);
    assert.ok(executor.taskRegistry.hasExecutor('shell'));
  });
});

describe('validation before running', () => {
  it('throws DagValidationError for a cycle and an unknown dependency, and starts nothing', async () => {
    const ctl = new ControlledExecutor();
    const dag = dagOf([
      ['a', ['c']],
      ['b', ['a']],
      ['c', ['b']],
      ['d', ['nope']],
      ['e', []],
    ]);
    const executor = NativeExecutor.withTaskRegistry({}, new TaskRegistry().register(ctl));
    await assert.rejects(executor.executeDag(dag), (error: unknown) => {
      assert.ok(error instanceof DagValidationError);
      const codes = error.diagnostics.map((d) => d.code).sort();
      assert.deepEqual(codes, ['cycle', 'unknown-dependency']);
      assert.match(error.message, /"nope"/);
      return true;
    });
    assert.equal(ctl.started.length, 0);
  });

  it('rejects a task type without an executor, suggesting the closest one', async () => {
    const ctl = new ControlledExecutor('deploy');
    const dag = new Dag('t').addTask(customTask('a', [], 'deplooy'));
    await assert.rejects(
      NativeExecutor.withTaskRegistry({}, new TaskRegistry().register(ctl)).executeDag(dag),
      (error: unknown) =>
        error instanceof DagValidationError &&
        error.diagnostics[0]?.code === 'unsupported-task-type' &&
        error.diagnostics[0]?.hint === 'did you mean "deploy"?',
    );
    assert.equal(ctl.started.length, 0);
  });

  it('registers a custom executor in a few lines', async () => {
    const executor = new NativeExecutor({ maxConcurrentTasks: 2 });
    executor.taskRegistry.register({
      taskType: 'greet',
      execute: async (task) => ({ stdout: `hello from ${task.id}`, outputData: { ok: true } }),
    });
    const result = await executor.executeDag(new Dag('t').addTask(customTask('hi', [], 'greet')));
    assert.equal(result.taskResults['hi']?.stdout, 'hello from hi');
    assert.deepEqual(result.taskResults['hi']?.outputData, { ok: true });
  });
});
