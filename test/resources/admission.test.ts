import assert from 'node:assert/strict';
import { totalmem } from 'node:os';
import { describe, it } from 'node:test';
import type { ExecutionEvent, ThrottleEvent } from '../../src/engine/events.js';
import { NativeExecutor } from '../../src/engine/native-executor.js';
import { TaskRegistry } from '../../src/engine/registry.js';
import { Dag } from '../../src/model/dag.js';
import { Task } from '../../src/model/task.js';
import { ResourceAdmission } from '../../src/resources/admission.js';
import type { ResourceLimits } from '../../src/resources/limits.js';
import { ResourceMonitor } from '../../src/resources/monitor.js';
import { formatThrottleEvent } from '../../src/resources/throttle-message.js';
import { startFixture } from './children.js';

/** A custom executor whose tasks run until the test opens their gate. */
function gatedRegistry(): { registry: TaskRegistry; open: (id: string) => void; started: Promise<string>[] } {
  const gates = new Map<string, () => void>();
  const startedResolvers = new Map<string, (id: string) => void>();
  const started = ['first', 'second', 'third'].map(
    (id) => new Promise<string>((resolve) => startedResolvers.set(id, resolve)),
  );
  const registry = new TaskRegistry().register({
    taskType: 'gated',
    execute: (task) =>
      new Promise((resolve) => {
        gates.set(task.id, () => resolve({}));
        startedResolvers.get(task.id)?.(task.id);
      }),
  });
  return { registry, open: (id) => gates.get(id)?.(), started };
}

function gatedDag(): Dag {
  const dag = new Dag('throttled');
  for (const id of ['first', 'second', 'third']) {
    dag.addTask(new Task(id, id, 'gated', { kind: 'custom', values: {} }));
  }
  return dag;
}

describe('ResourceAdmission in the scheduler', () => {
  it('holds ready tasks while a memory-hungry child keeps memory above the limit, and resumes after it exits', async () => {
    const probe = new ResourceMonitor({
      maxCpuPercent: 100,
      maxMemoryPercent: 100,
      maxConcurrentTasks: 1,
      monitoringInterval: 1000,
      throttleThreshold: 1,
    });
    const before = probe.sample().memoryPercent;
    const bytes = Math.floor(Math.min(512 * 1024 ** 2, (totalmem() * (100 - before)) / 400));
    const hog = await startFixture('hold-memory.mjs', [String(bytes)]);
    let hogKilled = false;
    try {
      const holding = probe.sample().memoryPercent;
      // The limit lies halfway between memory use with and without the child.
      const limits: ResourceLimits = {
        maxCpuPercent: 100,
        maxMemoryPercent: (before + holding) / 2,
        maxConcurrentTasks: 2,
        monitoringInterval: 100,
        throttleThreshold: 1,
      };
      const monitor = new ResourceMonitor(limits);
      monitor.startMonitoring();
      const admission = new ResourceAdmission({
        limits,
        enableThrottling: true,
        monitor,
        machine: monitor.machine(),
      });
      const { registry, open, started } = gatedRegistry();
      const executor = NativeExecutor.withTaskRegistry({ maxConcurrentTasks: 3 }, registry);
      const events: ExecutionEvent[] = [];
      let killedAt = 0;
      const running = executor.executeDag(gatedDag(), {
        admission,
        observers: [admission],
        onEvent: (event) => {
          events.push(event);
          if (event.type === 'throttle' && event.state === 'holding' && !hogKilled) {
            hogKilled = true;
            killedAt = Date.now();
            void hog.kill();
          }
        },
      });
      await started[0];
      await Promise.all([started[1], started[2]]);
      for (const id of ['first', 'second', 'third']) open(id);
      const result = await running;
      monitor.stopMonitoring();

      assert.equal(result.status, 'success');
      const throttle = events.filter((e): e is ThrottleEvent => e.type === 'throttle');
      assert.equal(throttle[0]?.state, 'holding');
      assert.match(throttle[0]?.reason ?? '', /^memory \d+(\.\d)?% >= \d+(\.\d)?%$/);
      assert.equal(throttle[0]?.heldTasks, 2);
      assert.ok(throttle.some((e) => e.state === 'released'));
      assert.match(formatThrottleEvent(throttle[0]!), /^holding 2 tasks: memory .* ≥ /);
      const laterStarts = events.filter(
        (e) => e.type === 'task_started' && e.taskId !== 'first' && e.timestamp.getTime() < killedAt,
      );
      assert.deepEqual(laterStarts, [], 'no held task started before the child was killed');
    } finally {
      await hog.kill();
    }
  });

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
