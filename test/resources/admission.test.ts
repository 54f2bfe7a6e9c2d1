import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NativeExecutor } from '../../src/engine/native-executor.js';
import { TaskRegistry } from '../../src/engine/registry.js';
import { Dag } from '../../src/model/dag.js';
import { Task } from '../../src/model/task.js';
import { ResourceAdmission } from '../../src/resources/admission.js';

describe('ResourceAdmission in the scheduler', () => {
  it('fails a task whose declared resources never fit and skips its dependents, running the rest', async () => {
    const registry = new TaskRegistry().register({ taskType: 'noop', execute: async () => ({}) });
    const dag = new Dag('fit');
    const huge = new Task('huge', 'huge', 'noop', { kind: 'custom', values: {} });
    huge.resources = { cpu: 64 };
    const after = new Task('after', 'after', 'noop', { kind: 'custom', values: {} }).addDependency('huge');
    const fine = new Task('fine', 'fine', 'noop', { kind: 'custom', values: {} });
    fine.resources = { cpu: 1 };
    dag.addTask(huge).addTask(after).addTask(fine);
    const admission = new ResourceAdmission({ machine: { cpus: 4, memoryBytes: 8 * 1024 ** 3 } });
    const result = await NativeExecutor.withTaskRegistry({ maxConcurrentTasks: 2 }, registry).executeDag(
      dag,
      {
        admission,
      },
    );
    assert.equal(result.taskResults.huge?.status, 'failed');
    assert.equal(result.taskResults.huge?.error?.code, 'RESOURCE_LIMIT_EXCEEDED');
    assert.match(result.taskResults.huge?.errorMessage ?? '', /needs 64 cores but at most 4 cores/);
    assert.equal(result.taskResults.after?.status, 'skipped');
    assert.equal(result.taskResults.fine?.status, 'success');
  });

  it('never runs tasks whose declared CPU together exceeds the machine', async () => {
    let running = 0;
    let peak = 0;
    const registry = new TaskRegistry().register({
      taskType: 'busy',
      execute: async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise<void>((resolve) => setImmediate(resolve));
        running--;
        return {};
      },
    });
    const dag = new Dag('cpu');
    for (let i = 0; i < 8; i++) {
      const task = new Task(`t${i}`, undefined, 'busy', { kind: 'custom', values: {} });
      task.resources = { cpu: 1.5 };
      dag.addTask(task);
    }
    const admission = new ResourceAdmission({ machine: { cpus: 4, memoryBytes: 8 * 1024 ** 3 } });
    const result = await NativeExecutor.withTaskRegistry({ maxConcurrentTasks: 8 }, registry).executeDag(
      dag,
      {
        admission,
      },
    );
    assert.equal(result.status, 'success');
    assert.equal(peak, 2, 'two tasks of 1.5 cores fit 4 cores, three do not');
  });
});
