/**
 * {@link MetricsCollector}: fills {@link ExecutionMetrics} as an execution runs.
 * @module
 */

import { type ExecutionMetrics, emptyMetrics, type ResourceUsage, type TaskResult } from '../model/result.js';
import { criticalPath, type DependencySource } from './critical-path.js';

/**
 * Collects execution metrics (the reference's `MetricsCollector`). Times are milliseconds.
 *
 * Per task it records the wait between ready ({@link recordTaskReady}) and the first start, the run time
 * of the last attempt and the completion time; {@link finishDagExecution} derives the critical path from
 * the completion times and the dependencies it is given.
 */
export class MetricsCollector {
  private metrics: ExecutionMetrics = emptyMetrics();
  private dagId = '';
  private startedAt = 0;
  private running = 0;
  private readonly readyAt = new Map<string, number>();
  private readonly startAt = new Map<string, number>();
  private readonly completedAt = new Map<string, number>();

  /** Starts a new execution of `taskCount` tasks. */
  startDagExecution(dagId: string, taskCount: number, at: number = Date.now()): void {
    this.metrics = emptyMetrics();
    this.metrics.totalTasks = taskCount;
    this.dagId = dagId;
    this.startedAt = at;
    this.running = 0;
    this.readyAt.clear();
    this.startAt.clear();
    this.completedAt.clear();
  }

  /** The DAG being measured. */
  get currentDagId(): string {
    return this.dagId;
  }

  /** A task became ready (its dependencies are done); waiting time counts from here. */
  recordTaskReady(taskId: string, at: number = Date.now()): void {
    if (!this.readyAt.has(taskId)) this.readyAt.set(taskId, at);
  }

  /** An attempt of a task started. */
  recordTaskStart(taskId: string, at: number = Date.now()): void {
    if (!this.startAt.has(taskId)) {
      const ready = this.readyAt.get(taskId) ?? at;
      this.metrics.taskWaitTimes[taskId] = Math.max(0, at - ready);
    }
    this.startAt.set(taskId, at);
    this.running++;
    this.metrics.peakConcurrentTasks = Math.max(this.metrics.peakConcurrentTasks, this.running);
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
    if (result.status !== 'skipped' && (result.status !== 'cancelled' || this.startAt.has(taskId))) {
      m.taskExecutionTimes[taskId] = result.duration;
      if (this.startAt.has(taskId)) this.completedAt.set(taskId, result.completedAt.getTime());
    }
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
    this.metrics.totalExecutionTime = Math.max(0, at - this.startedAt);
    if (dependencies) this.metrics.criticalPath = criticalPath(this.completedAt, dependencies);
    return this.metrics;
  }

  /** The metrics collected so far (live; finished ones are returned by {@link finishDagExecution}). */
  get current(): ExecutionMetrics {
    return this.metrics;
  }
}
