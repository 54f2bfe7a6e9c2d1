/**
 * {@link MetricsCollector}: fills {@link ExecutionMetrics} as an execution runs.
 * @module
 */

import { type ExecutionMetrics, emptyMetrics, type ResourceUsage, type TaskResult } from '../model/result.js';
import { criticalPathOf, type DependencySource } from './critical-path.js';
import { TaskTimesTable, TimeField } from './task-times.js';

/**
 * Collects execution metrics (the reference's `MetricsCollector`). Times are milliseconds.
 *
 * Per task it records the wait between ready ({@link recordTaskReady}) and the first start (0 for a task
 * that was not held back: see {@link recordTaskStart}), the run time of the last attempt and the
 * completion time; {@link finishDagExecution} derives the critical path from
 * the completion times and the dependencies it is given. Per-task times live in flat arrays (see
 * {@link TaskTimesTable}); the per-task `Record`s of {@link ExecutionMetrics} are built when first read.
 */
export class MetricsCollector {
  private metrics: ExecutionMetrics = emptyMetrics();
  private dagId = '';
  private startedAt = 0;
  private running = 0;
  private tasks = new TaskTimesTable();

  /**
   * Starts a new execution of `taskCount` tasks. `taskIndex` (task id to position 0 … taskCount − 1, as
   * the engine numbers tasks) lets the collector keep times in place without a map entry per task.
   */
  startDagExecution(
    dagId: string,
    taskCount: number,
    at: number = Date.now(),
    taskIndex?: ReadonlyMap<string, number>,
  ): void {
    this.metrics = emptyMetrics();
    this.metrics.totalTasks = taskCount;
    this.dagId = dagId;
    this.startedAt = at;
    this.running = 0;
    this.tasks = new TaskTimesTable(taskIndex, taskCount);
  }

  /** The DAG being measured. */
  get currentDagId(): string {
    return this.dagId;
  }

  /**
   * A task became ready (its dependencies are done); waiting time counts from here. `position` (here and
   * below): the task's value in the `taskIndex` given to {@link startDagExecution}, to skip a lookup.
   */
  recordTaskReady(taskId: string, at: number = Date.now(), position?: number): void {
    const t = this.tasks;
    const slot = t.slot(taskId, position);
    if (t.get(slot, TimeField.Ready) < 0) t.set(slot, TimeField.Ready, at);
  }

  /**
   * An attempt of a task started. Its first start sets the task's wait, the time since it became ready;
   * `held` false says the task was not held back (a slot was free and nothing throttled it), so its
   * wait is 0 however long the engine took to start it. The engine passes it for every start.
   */
  recordTaskStart(taskId: string, at: number = Date.now(), position?: number, held = true): void {
    const t = this.tasks;
    const slot = t.slot(taskId, position);
    if (t.get(slot, TimeField.Start) < 0) {
      const ready = t.get(slot, TimeField.Ready);
      t.set(slot, TimeField.Wait, !held || ready < 0 ? 0 : Math.max(0, at - ready));
    }
    t.set(slot, TimeField.Start, at);
    this.running++;
    if (this.running > this.metrics.peakConcurrentTasks) this.metrics.peakConcurrentTasks = this.running;
  }

  /** An attempt ended (`running` is false for a task that never started, e.g. skipped). */
  recordAttemptEnd(): void {
    this.running = Math.max(0, this.running - 1);
  }

  /** A task reached its final status. */
  recordTaskCompletion(taskId: string, result: TaskResult, position?: number): void {
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
    const t = this.tasks;
    const found = t.find(taskId, position);
    const started = found >= 0 && t.get(found, TimeField.Start) >= 0;
    if (result.status === 'cancelled' && !started) return;
    const slot = found >= 0 ? found : t.slot(taskId, position);
    t.set(slot, TimeField.Run, result.duration);
    if (started) t.set(slot, TimeField.End, result.completedAt.getTime());
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
    defineLazyRecord(m, 'taskWaitTimes', tasks, TimeField.Wait);
    defineLazyRecord(m, 'taskExecutionTimes', tasks, TimeField.Run);
    if (dependencies) {
      const finished = {
        forEach: (visit: (end: number, id: string) => void) =>
          tasks.forEach((slot, id) => {
            const end = tasks.get(slot, TimeField.End);
            if (end >= 0) visit(end, id);
          }),
      };
      const endOf = (id: string): number | undefined => {
        const slot = tasks.find(id);
        const end = slot < 0 ? -1 : tasks.get(slot, TimeField.End);
        return end < 0 ? undefined : end;
      };
      m.criticalPath = criticalPathOf(finished, endOf, dependencies);
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
  tasks: TaskTimesTable,
  field: TimeField,
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
      tasks.forEach((slot, id) => {
        const value = tasks.get(slot, field);
        if (value >= 0) record[id] = value;
      });
      return settle(record);
    },
    set: (value: Record<string, number>) => settle(value),
  });
}
