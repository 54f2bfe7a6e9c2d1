import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MetricsCollector } from '../../src/metrics/collector.js';
import { criticalPath } from '../../src/metrics/critical-path.js';
import { formatMetricsSummary, summarizeMetrics } from '../../src/metrics/summary.js';
import { Dag } from '../../src/model/dag.js';
import type { TaskResult, TaskStatus } from '../../src/model/result.js';
import { Task } from '../../src/model/task.js';

function result(taskId: string, status: TaskStatus, start: number, end: number): TaskResult {
  return {
    taskId,
    status,
    startedAt: new Date(start),
    completedAt: new Date(end),
    duration: end - start,
    stdout: '',
    stderr: '',
    exitCode: status === 'success' ? 0 : 1,
    retryCount: 0,
    metadata: {},
  };
}

/** a → (b, c) → d; b is slow, so the path runs through b. e is independent and short. */
function diamond(): Dag {
  const dag = new Dag('diamond');
  for (const id of ['a', 'b', 'c', 'd', 'e']) dag.addTask(Task.shell(id, 'true'));
  dag.getTask('b')!.addDependency('a');
  dag.getTask('c')!.addDependency('a');
  dag.getTask('d')!.addDependency('b').addDependency('c');
  return dag;
}

/** Plays a run of the diamond with one slot held by e, so c waits (with the engine's task index, if given). */
function play(collector: MetricsCollector, index?: ReadonlyMap<string, number>): void {
  collector.startDagExecution('diamond', 5, 0, index);
  const run = (id: string, ready: number, start: number, end: number): void => {
    collector.recordTaskReady(id, ready);
    collector.recordTaskStart(id, start);
    collector.recordAttemptEnd();
    collector.recordTaskCompletion(id, result(id, 'success', start, end));
  };
  run('a', 0, 0, 100);
  run('e', 0, 0, 50);
  run('b', 100, 100, 400);
  run('c', 100, 150, 200);
  run('d', 400, 400, 450);
}

describe('MetricsCollector', () => {
  it('records wait (ready → start) and run times and finds the critical path from the DAG', () => {
    const collector = new MetricsCollector();
    play(collector);
    const metrics = collector.finishDagExecution(450, diamond());
    assert.equal(metrics.totalExecutionTime, 450);
    assert.equal(metrics.successfulTasks, 5);
    assert.deepEqual(metrics.taskWaitTimes, { a: 0, e: 0, b: 0, c: 50, d: 0 });
    assert.deepEqual(metrics.taskExecutionTimes, { a: 100, e: 50, b: 300, c: 50, d: 50 });
    assert.deepEqual(metrics.criticalPath, ['a', 'b', 'd']);
    const summary = summarizeMetrics(metrics);
    assert.equal(summary.criticalPathTime, 450);
    assert.equal(summary.totalWaitTime, 50);
    assert.deepEqual(summary.longestWait, { taskId: 'c', wait: 50 });
    assert.deepEqual(formatMetricsSummary(metrics), [
      'critical path: a → b → d (450ms)',
      'slot wait: 50ms over 1 task (longest: c 50ms)',
    ]);
  });

  it('gives the same metrics with the engine task index, also for ids the index does not hold', () => {
    const collector = new MetricsCollector();
    // d is missing from the index: it gets a slot of its own.
    play(
      collector,
      new Map([
        ['a', 0],
        ['b', 1],
        ['c', 2],
        ['e', 4],
      ]),
    );
    const metrics = collector.finishDagExecution(450, diamond());
    assert.deepEqual(metrics.taskWaitTimes, { a: 0, e: 0, b: 0, c: 50, d: 0 });
    assert.deepEqual(metrics.taskExecutionTimes, { a: 100, e: 50, b: 300, c: 50, d: 50 });
    assert.deepEqual(
      Object.keys(metrics.taskExecutionTimes),
      ['a', 'e', 'b', 'c', 'd'],
      'in recording order',
    );
    assert.deepEqual(metrics.criticalPath, ['a', 'b', 'd']);
  });

  it('takes the position in the index instead of looking the id up', () => {
    const collector = new MetricsCollector();
    collector.startDagExecution(
      'two',
      2,
      0,
      new Map([
        ['x', 0],
        ['y', 1],
      ]),
    );
    collector.recordTaskReady('y', 0, 1);
    collector.recordTaskStart('y', 10, 1);
    collector.recordTaskCompletion('y', result('y', 'success', 10, 30), 1);
    collector.recordTaskReady('x', 0, 0);
    collector.recordTaskStart('x', 5, 0);
    collector.recordTaskCompletion('x', result('x', 'failed', 5, 6), 0);
    const metrics = collector.finishDagExecution(30);
    assert.deepEqual(metrics.taskWaitTimes, { y: 10, x: 5 });
    assert.deepEqual(metrics.taskExecutionTimes, { y: 20, x: 1 });
    assert.equal(metrics.successfulTasks, 1);
    assert.equal(metrics.failedTasks, 1);
  });

  it('counts no wait for a start that was not held back, and only the first start counts', () => {
    const collector = new MetricsCollector();
    collector.startDagExecution('three', 3, 0);
    for (const id of ['p', 'q', 'r']) collector.recordTaskReady(id, 0);
    collector.recordTaskStart('p', 7, undefined, false);
    collector.recordTaskStart('q', 7, undefined, true);
    collector.recordTaskStart('r', 7);
    collector.recordTaskStart('p', 40, undefined, true); // a retry: the wait stays the first start's
    const metrics = collector.finishDagExecution(50);
    assert.deepEqual(metrics.taskWaitTimes, { p: 0, q: 7, r: 7 });
  });

  it('builds the per-task records when read, and they behave as plain data', () => {
    const collector = new MetricsCollector();
    play(collector);
    const metrics = collector.finishDagExecution(450);
    const copy = structuredClone(metrics);
    assert.deepEqual(copy.taskWaitTimes, { a: 0, e: 0, b: 0, c: 50, d: 0 });
    const json = JSON.parse(JSON.stringify(metrics)) as { taskExecutionTimes: Record<string, number> };
    assert.deepEqual(json.taskExecutionTimes, { a: 100, e: 50, b: 300, c: 50, d: 50 });
    assert.ok(Object.keys(metrics).includes('taskWaitTimes'));
    metrics.taskExecutionTimes = { x: 1 };
    assert.deepEqual(metrics.taskExecutionTimes, { x: 1 });
    assert.equal(metrics.taskWaitTimes, metrics.taskWaitTimes, 'built once');
    play(collector);
    assert.deepEqual(metrics.taskExecutionTimes, { x: 1 }, 'a new execution leaves returned metrics alone');
  });

  it('accepts a dependency map and leaves the path empty without one', () => {
    const collector = new MetricsCollector();
    play(collector);
    const deps = new Map([
      ['b', ['a']],
      ['c', ['a']],
      ['d', ['c', 'b']],
    ]);
    assert.deepEqual(collector.finishDagExecution(450, deps).criticalPath, ['a', 'b', 'd']);
    play(collector);
    assert.deepEqual(collector.finishDagExecution(450).criticalPath, []);
  });

  it('keeps tasks that never ran off the critical path', () => {
    const collector = new MetricsCollector();
    collector.startDagExecution('d', 3, 0);
    collector.recordTaskStart('a', 0);
    collector.recordTaskCompletion('a', result('a', 'failed', 0, 10));
    collector.recordTaskCompletion('b', result('b', 'skipped', 10, 10));
    const metrics = collector.finishDagExecution(10, { b: ['a'] });
    assert.deepEqual(metrics.criticalPath, ['a']);
    assert.equal(metrics.skippedTasks, 1);
    assert.equal(metrics.failedTasks, 1);
  });

  it('stores resource samples and reports their peaks', () => {
    const collector = new MetricsCollector();
    collector.startDagExecution('d', 0, 0);
    for (const [cpu, mem] of [
      [10, 40],
      [90, 45],
      [30, 41],
    ] as const) {
      collector.recordResourceUsage({
        cpuPercent: cpu,
        memoryPercent: mem,
        runningTasks: 1,
        queuedTasks: 0,
        timestamp: new Date(),
      });
    }
    const metrics = collector.finishDagExecution(1);
    assert.equal(metrics.resourceUsageSamples.length, 3);
    assert.equal(summarizeMetrics(metrics).peakCpuPercent, 90);
    assert.ok(formatMetricsSummary(metrics).includes('peak usage: cpu 90%, memory 45%'));
  });
});

describe('criticalPath', () => {
  it('follows the dependency that finished last, back to a root', () => {
    const ends = new Map([
      ['x', 5],
      ['y', 30],
      ['z', 20],
      ['w', 40],
    ]);
    assert.deepEqual(criticalPath(ends, { w: ['z', 'y'], y: ['x'], z: ['x'] }), ['x', 'y', 'w']);
    assert.deepEqual(criticalPath(new Map(), {}), []);
  });

  it('ends at the dependent when it finished in the same millisecond as its dependency', () => {
    // The diamond a → b, c → d where c and d (a no-op) both end at 12 ms.
    const ends = new Map([
      ['a', 10],
      ['b', 11],
      ['c', 12],
      ['d', 12],
    ]);
    assert.deepEqual(criticalPath(ends, { b: ['a'], c: ['a'], d: ['b', 'c'] }), ['a', 'c', 'd']);
  });
});
