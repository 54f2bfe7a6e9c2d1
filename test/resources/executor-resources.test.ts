import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NativeExecutor } from '../../src/engine/native-executor.js';
import { TaskRegistry } from '../../src/engine/registry.js';
import { Dag } from '../../src/model/dag.js';
import { Task } from '../../src/model/task.js';

const custom = (id: string, type: string): Task => new Task(id, id, type, { kind: 'custom', values: {} });

/** Resolves once `executor` reports `count` different samples (checked every few ms). */
async function samplesSeen(executor: NativeExecutor, count: number): Promise<void> {
  const seen = new Set<number>();
  while (seen.size < count) {
    const usage = executor.getResourceUsage();
    if (usage) seen.add(usage.timestamp.getTime());
    await new Promise<void>((resolve) => setTimeout(resolve, 5));
  }
}

describe('NativeExecutor resources', () => {
  it('puts the samples taken during an execution into its metrics', async () => {
    const registry = new TaskRegistry();
    const executor = NativeExecutor.withTaskRegistry(
      {
        maxConcurrentTasks: 2,
        resourceLimits: {
          maxCpuPercent: 100,
          maxMemoryPercent: 100,
          maxConcurrentTasks: 1,
          monitoringInterval: 20,
          throttleThreshold: 1,
        },
      },
      registry,
    );
    registry.register({ taskType: 'watch', execute: () => samplesSeen(executor, 3).then(() => ({})) });
    assert.equal(executor.getResourceUsage(), undefined);
    executor.startResourceMonitoring();
    try {
      const usage = executor.getResourceUsage();
      assert.ok(usage && usage.memoryPercent > 0);
      const dag = new Dag('sampled').addTask(custom('watch', 'watch'));
      const result = await executor.executeDag(dag);
      assert.equal(result.status, 'success');
      const samples = result.metrics.resourceUsageSamples;
      assert.ok(samples.length >= 2, `samples: ${samples.length}`);
      assert.ok(samples.some((s) => s.runningTasks === 0 || s.runningTasks === 1));
      assert.ok(samples.every((s) => s.cpuPercent >= 0 && s.cpuPercent <= 100 && s.memoryPercent > 0));
    } finally {
      executor.stopResourceMonitoring();
    }
    assert.equal(executor.getResourceUsage(), undefined);
  });

  it('monitors during a throttled execution only, and reports running tasks to the samples', async () => {
    const registry = new TaskRegistry();
    const executor = NativeExecutor.withTaskRegistry(
      {
        maxConcurrentTasks: 2,
        enableResourceThrottling: true,
        resourceLimits: {
          maxCpuPercent: 100,
          maxMemoryPercent: 100,
          maxConcurrentTasks: 2,
          monitoringInterval: 20,
          throttleThreshold: 1,
        },
      },
      registry,
    );
    registry.register({ taskType: 'watch', execute: () => samplesSeen(executor, 3).then(() => ({})) });
    const dag = new Dag('throttled').addTask(custom('a', 'watch')).addTask(custom('b', 'watch'));
    const result = await executor.executeDag(dag);
    assert.equal(result.status, 'success');
    assert.ok(result.metrics.resourceUsageSamples.some((s) => s.runningTasks === 2));
    assert.equal(executor.getResourceUsage(), undefined, 'monitoring stopped with the execution');
  });

  it('checks declared resources without being asked to throttle', async () => {
    const registry = new TaskRegistry().register({ taskType: 'noop', execute: async () => ({}) });
    const huge = custom('huge', 'noop');
    huge.resources = { memory: Number.MAX_SAFE_INTEGER };
    const dag = new Dag('declared').addTask(huge).addTask(custom('other', 'noop'));
    const result = await NativeExecutor.withTaskRegistry({ maxConcurrentTasks: 2 }, registry).executeDag(dag);
    assert.equal(result.taskResults.huge?.status, 'failed');
    assert.equal(result.taskResults.huge?.error?.code, 'RESOURCE_LIMIT_EXCEEDED');
    assert.match(result.taskResults.huge?.errorMessage ?? '', /of memory but at most/);
    assert.equal(result.taskResults.other?.status, 'success');
  });
});
