/**
 * Tests that need real memory pressure: a child process that allocates and touches memory. They run one
 * after the other in this file so that their children do not disturb each other's readings.
 */

import assert from 'node:assert/strict';
import { totalmem } from 'node:os';
import { describe, it } from 'node:test';
import type { ExecutionEvent, ThrottleEvent } from '../../src/engine/events.js';
import { NativeExecutor } from '../../src/engine/native-executor.js';
import { TaskRegistry } from '../../src/engine/registry.js';
import { Dag } from '../../src/model/dag.js';
import { Task } from '../../src/model/task.js';
import type { ResourceLimits } from '../../src/resources/limits.js';
import { ResourceMonitor } from '../../src/resources/monitor.js';
import { formatThrottleEvent } from '../../src/resources/throttle-message.js';
import { startFixture } from './children.js';

const probeLimits: ResourceLimits = {
  maxCpuPercent: 100,
  maxMemoryPercent: 100,
  maxConcurrentTasks: 1,
  monitoringInterval: 1000,
  throttleThreshold: 1,
};

/** Bytes for the memory-hungry child: 2 GiB (far above the noise of other processes), less if memory is short. */
function hogBytes(memoryPercent: number): number {
  return Math.floor(Math.min(2048 * 1024 ** 2, (totalmem() * (100 - memoryPercent)) / 400));
}

/** A custom executor whose tasks run until the test opens their gate. */
function gatedRegistry(ids: string[]) {
  const gates = new Map<string, () => void>();
  const resolvers = new Map<string, () => void>();
  const started = new Map(ids.map((id) => [id, new Promise<void>((resolve) => resolvers.set(id, resolve))]));
  const registry = new TaskRegistry().register({
    taskType: 'gated',
    execute: (task) =>
      new Promise((resolve) => {
        gates.set(task.id, () => resolve({}));
        resolvers.get(task.id)?.();
      }),
  });
  return { registry, started, open: (id: string) => gates.get(id)?.() };
}

describe('under real memory pressure', () => {
  it('the monitor reads more memory in use while a child holds memory than right after it exits', async () => {
    const monitor = new ResourceMonitor(probeLimits);
    const bytes = hogBytes(monitor.sample().memoryPercent);
    const hog = await startFixture('hold-memory.mjs', [String(bytes)]);
    let holding: number;
    try {
      holding = monitor.sample().memoryPercent;
    } finally {
      await hog.kill();
    }
    // The kernel frees a process's memory before its parent learns of the exit, and the two samples are
    // moments apart, so other processes on the machine barely move the difference.
    const released = monitor.sample().memoryPercent;
    const share = (bytes / totalmem()) * 100;
    assert.ok(
      holding - released >= share / 2,
      `memory ${holding}% holding ${bytes} bytes, ${released}% after exit (expected -${share}%)`,
    );
  });

  it('throttling holds ready tasks while memory is above the limit and resumes them after the child exits', {
    timeout: 60_000,
  }, async () => {
    const probe = new ResourceMonitor(probeLimits);
    const bytes = hogBytes(probe.sample().memoryPercent);
    const hog = await startFixture('hold-memory.mjs', [String(bytes)]);
    try {
      // The limit sits half the child's share below the usage measured with it: above it while the child
      // lives, below it once the child is gone.
      const share = (bytes / totalmem()) * 100;
      const limits: ResourceLimits = {
        maxCpuPercent: 100,
        maxMemoryPercent: probe.sample().memoryPercent - share / 2,
        maxConcurrentTasks: 2,
        monitoringInterval: 100,
        throttleThreshold: 1,
      };
      const ids = ['first', 'second', 'third'];
      const { registry, started, open } = gatedRegistry(ids);
      const dag = new Dag('throttled');
      for (const id of ids) dag.addTask(new Task(id, id, 'gated', { kind: 'custom', values: {} }));
      const events: ExecutionEvent[] = [];
      let killedAt = Number.POSITIVE_INFINITY;
      const executor = NativeExecutor.withTaskRegistry(
        { maxConcurrentTasks: 3, enableResourceThrottling: true, resourceLimits: limits },
        registry,
      );
      const run = executor.executeDag(dag, {
        onEvent: (event) => {
          events.push(event);
          if (
            event.type === 'throttle' &&
            event.state === 'holding' &&
            killedAt === Number.POSITIVE_INFINITY
          ) {
            killedAt = Date.now();
            void hog.kill();
          }
        },
      });
      // "first" starts (nothing runs, so it may); the others are held until the child's memory is gone.
      await Promise.all(ids.map((id) => started.get(id)));
      for (const id of ids) open(id);
      const result = await run;

      assert.equal(result.status, 'success');
      const throttle = events.filter((e): e is ThrottleEvent => e.type === 'throttle');
      assert.equal(throttle[0]?.state, 'holding');
      assert.match(throttle[0]?.reason ?? '', /^memory \d+(\.\d)?% >= \d+(\.\d)?%$/);
      assert.equal(throttle[0]?.heldTasks, 2);
      assert.match(formatThrottleEvent(throttle[0]!), /^holding 2 tasks: memory .* ≥ /);
      assert.ok(
        throttle.some((e) => e.state === 'released'),
        'holding ended',
      );
      const early = events.filter(
        (e) => e.type === 'task_started' && e.taskId !== 'first' && e.timestamp.getTime() < killedAt,
      );
      assert.deepEqual(early, [], 'no held task started before the child was killed');
      const waits = result.metrics.taskWaitTimes;
      assert.ok((waits.second ?? 0) > 0 && (waits.third ?? 0) > 0, 'held time counts as wait');
      assert.ok(result.metrics.resourceUsageSamples.length > 0);
    } finally {
      await hog.kill();
    }
  });
});
