/**
 * {@link MetricsCollector}: fills {@link ExecutionMetrics} as an execution runs.
 * @module
 */

import { type ExecutionMetrics, emptyMetrics, type ResourceUsage, type TaskResult } from '../model/result.js';
import { criticalPath, type DependencySource } from './critical-path.js';

/** What the collector keeps per task while the execution runs (ms; -1 for "not yet"). */
interface TaskTimes {
  ready: number;
  start: number;
  wait: number;
  run: number;
  end: number;
}

/**
 * Collects execution metrics (the reference's `MetricsCollector`). Times are milliseconds.
 *
 * Per task it records the wait between ready ({@link recordTaskReady}) and the first start, the run time
 * of the last attempt and the completion time; {@link finishDagExecution} derives the critical path from
 * the completion times and the dependencies it is given. Per-task data lives in one map entry per task
 * (a few map operations per task, cheap on 100,000-task DAGs); the `Record`s of {@link ExecutionMetrics}
 * are built once, at the end.
 */
export class MetricsCollector {
  private metrics: ExecutionMetrics = emptyMetrics();
  private dagId = '';
  private startedAt = 0;
  private running = 0;
  private tasks = new Map<string, TaskTimes>();

  /** Starts a new execution of `taskCount` tasks. */
  startDagExecution(dagId: string, taskCount: number, at: number = Date.now()): void {
    this.metrics = emptyMetrics();
    this.metrics.totalTasks = taskCount;
    this.dagId = dagId;
    this.startedAt = at;
    this.running = 0;
    this.tasks = new Map();
  }

  /** The DAG being measured. */
  get currentDagId(): string {
    return this.dagId;
  }

  private entry(taskId: string): TaskTimes {
    let times = this.tasks.get(taskId);
    if (times === undefined) {
      times = { ready: -1, start: -1, wait: -1, run: -1, end: -1 };
      this.tasks.set(taskId, times);
    }
    return times;
  }

  /** A task became ready (its dependencies are done); waiting time counts from here. */
  recordTaskReady(taskId: string, at: number = Date.now()): void {
    const times = this.entry(taskId);
    if (times.ready < 0) times.ready = at;
  }

  /** An attempt of a task started. */
  recordTaskStart(taskId: string, at: number = Date.now()): void {
    const times = this.entry(taskId);
    if (times.start < 0) times.wait = times.ready < 0 ? 0 : Math.max(0, at - times.ready);
    times.start = at;
    this.running++;
    if (this.running > this.metrics.peakConcurrentTasks) this.metrics.peakConcurrentTasks = this.running;
  }

  /** An attempt ended (`running` is false for a task that never started, e.g. skipped). */
  recordAttemptEnd(): void {
    this.running = Math.max(0, this.running - 1);
  }

  /** A task reached its final status. */
  recordTaskCompletion(taskId: string, result: TaskResult): void {
    const m = this.metrics;
    switch (result.status) {
      case 'success':
        m.successfulTasks++;
        break;
      case 'failed':
        m.failedTasks++;
        break;
      case 'skipped':
        m.skippedTasks++;
        break;
      case 'cancelled':
        m.cancelledTasks++;
        break;
      case 'timed_out':
        m.timedOutTasks++;
        m.failedTasks++;
        break;
      case 'pending':
      case 'running':
        return;
    }
    if (result.status === 'skipped') return;
    const times = this.tasks.get(taskId);
    const started = times !== undefined && times.start >= 0;
    if (result.status === 'cancelled' && !started) return;
    const entry = times ?? this.entry(taskId);
    entry.run = result.duration;
    if (started) entry.end = result.completedAt.getTime();
  }

  /** Adds a resource usage sample. */
  recordResourceUsage(sample: ResourceUsage): void {
    this.metrics.resourceUsageSamples.push(sample);
  }

  /**
   * Ends the execution and returns its metrics. With `dependencies` (the DAG, or a map from task id to
   * dependency ids) the critical path is filled in.
   */
  finishDagExecution(at: number = Date.now(), dependencies?: DependencySource): ExecutionMetrics {
    const m = this.metrics;
    m.totalExecutionTime = Math.max(0, at - this.startedAt);
    const tasks = this.tasks;
    defineLazyRecord(m, 'taskWaitTimes', tasks, (t) => t.wait);
    defineLazyRecord(m, 'taskExecutionTimes', tasks, (t) => t.run);
    if (dependencies) {
      const ends = new Map<string, number>();
      for (const [id, times] of tasks) if (times.end >= 0) ends.set(id, times.end);
      m.criticalPath = criticalPath(ends, dependencies);
    }
    return m;
  }
}

/**
 * Makes `metrics[key]` a record built from `tasks` on first read (then a plain data property). A record
 * of 100,000 keys costs tens of milliseconds and megabytes to build; most runs never read it. It reads,
 * enumerates, serializes (`JSON.stringify`, `structuredClone`) and assigns like a data property.
 */
function defineLazyRecord(
  metrics: ExecutionMetrics,
  key: 'taskWaitTimes' | 'taskExecutionTimes',
  tasks: ReadonlyMap<string, TaskTimes>,
  pick: (times: TaskTimes) => number,
): void {
  const settle = (value: Record<string, number>): Record<string, number> => {
    Object.defineProperty(metrics, key, { value, writable: true, enumerable: true, configurable: true });
    return value;
  };
  Object.defineProperty(metrics, key, {
    enumerable: true,
    configurable: true,
    get: () => {
      const record: Record<string, number> = {};
      for (const [id, times] of tasks) {
        const value = pick(times);
        if (value >= 0) record[id] = value;
      }
      return settle(record);
    },
    set: (value: Record<string, number>) => settle(value),
  });
}
