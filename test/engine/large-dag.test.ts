import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NativeExecutor } from '../../src/engine/native-executor.js';
import { TaskRegistry } from '../../src/engine/registry.js';
import type { TaskExecutor } from '../../src/engine/task-executor.js';
import { Dag } from '../../src/model/dag.js';
import type { Task } from '../../src/model/task.js';
import { customTask } from './controlled-executor.js';

/** A seeded PRNG (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('a 10,000-task DAG', () => {
  it('completes with every dependency respected and the concurrency bound kept', async () => {
    const next = random(7);
    const dag = new Dag('big');
    const n = 10_000;
    for (let i = 0; i < n; i++) {
      const deps = new Set<string>();
      const count = i === 0 ? 0 : Math.floor(next() * 4);
      for (let k = 0; k < count; k++) deps.add(`t${Math.floor(next() * i)}`);
      dag.addTask(customTask(`t${i}`, [...deps], 'check'));
    }
    const finished = new Set<string>();
    const violations: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const executor: TaskExecutor = {
      taskType: 'check',
      execute: async (task: Task) => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        for (const dep of task.dependsOn) if (!finished.has(dep)) violations.push(`${task.id} before ${dep}`);
        await Promise.resolve();
        finished.add(task.id);
        running--;
        return {};
      },
    };
    const result = await NativeExecutor.withTaskRegistry(
      { maxConcurrentTasks: 16 },
      new TaskRegistry().register(executor),
    ).executeDag(dag);
    assert.equal(result.status, 'success');
    assert.deepEqual(violations, []);
    assert.equal(finished.size, n);
    assert.equal(Object.keys(result.taskResults).length, n);
    assert.equal(result.metrics.successfulTasks, n);
    assert.ok(maxRunning <= 16);
    assert.ok(maxRunning > 1, 'independent tasks ran in parallel');
  });
});
