/**
 * {@link RunState}: the state of every task of one execution and its transitions — ready when its last
 * dependency succeeded, final with a result, skipped when an upstream task failed, cancelled when the
 * execution stops. Each transition emits its event and updates the metrics.
 * @module
 */

import type { MetricsCollector } from '../metrics/collector.js';
import type { ExecutorError } from '../model/errors.js';
import type { ExecutionMetrics, ExecutionResult, TaskResult } from '../model/result.js';
import type { DagPlan } from './dag-plan.js';
import type { EventSink } from './event-sink.js';
import { ReadyQueue } from './ready-queue.js';
import type { ResumeState } from './run-options.js';
import { notRunResult, taskCancelled } from './task-results.js';

/** Task states. */
export const WAITING = 0;
export const READY = 1;
export const RUNNING = 2;
export const RETRY_WAIT = 3;
export const DONE = 4;

/** The task states of one execution. */
export class RunState {
  readonly n: number;
  /** One of the state constants per task. */
  readonly state: Uint8Array;
  /** Unfinished dependencies per task. */
  private readonly pending: Int32Array;
  /** Attempts made in this execution. */
  readonly attemptsMade: Int32Array;
  /** Attempts made before (resume). */
  readonly attemptBase: Int32Array;
  /** Final results; during a retry wait, the failed attempt's result. */
  readonly results: (TaskResult | undefined)[];
  readonly ready: ReadyQueue;
  /**
   * Where the scheduler was when each task became ready, counted in half turns: the scheduler adds 1
   * when it starts picking tasks ({@link ExecutionRun}'s dispatch) and 1 when it stops, so an odd value
   * means "while picking" and an even one "between turns". It tells a task the scheduler held back
   * (a later pick left ready tasks waiting) from one it started as soon as it could.
   */
  readonly readyPhase: Float64Array;
  /** The scheduler's half-turn count (see {@link readyPhase}). */
  phase = 0;
  /** Tasks without a final result. */
  remaining: number;
  private readonly retryTimers = new Map<number, NodeJS.Timeout>();

  constructor(
    private readonly plan: DagPlan,
    private readonly dagId: string,
    private readonly executionId: string,
    private readonly sink: EventSink,
    private readonly metrics: MetricsCollector,
  ) {
    const n = plan.tasks.length;
    this.n = n;
    this.state = new Uint8Array(n);
    this.pending = new Int32Array(n);
    this.attemptsMade = new Int32Array(n);
    this.attemptBase = new Int32Array(n);
    this.results = new Array<TaskResult | undefined>(n);
    this.readyPhase = new Float64Array(n);
    this.remaining = n;
    this.ready = new ReadyQueue(plan.chain, Math.min(n, 1024));
  }

  /** Keeps the successful results of an earlier run; returns the kept task ids. */
  applyResume(resume: ResumeState): string[] {
    const kept: string[] = [];
    for (const [id, result] of Object.entries(resume.completed)) {
      const i = this.plan.index.get(id);
      if (i === undefined || result.status !== 'success' || this.state[i] === DONE) continue;
      this.state[i] = DONE;
      this.results[i] = result;
      this.remaining--;
      this.metrics.recordTaskCompletion(id, result, i);
      kept.push(id);
    }
    for (const [id, count] of Object.entries(resume.attempts ?? {})) {
      const i = this.plan.index.get(id);
      if (i !== undefined && Number.isInteger(count) && count > 0) this.attemptBase[i] = count;
    }
    return kept;
  }

  /** Counts each task's unfinished dependencies and queues the tasks that have none. */
  initialize(): void {
    const { dependencyStart, dependencies } = this.plan;
    for (let i = 0; i < this.n; i++) {
      if (this.state[i] !== WAITING) continue;
      let count = 0;
      for (let k = dependencyStart[i]!; k < dependencyStart[i + 1]!; k++) {
        if (this.state[dependencies[k]!] !== DONE) count++;
      }
      this.pending[i] = count;
      if (count === 0) this.makeReady(i);
    }
  }

  /** The attempt number of a task's latest attempt (0 when it never started). */
  attemptNumber(i: number): number {
    const made = this.attemptsMade[i]!;
    return made === 0 ? 0 : this.attemptBase[i]! + made;
  }

  private makeReady(i: number): void {
    this.state[i] = READY;
    this.readyPhase[i] = this.phase;
    const id = this.plan.tasks[i]!.id;
    this.metrics.recordTaskReady(id, Date.now(), i);
    if (this.sink.active) {
      this.sink.emit({
        type: 'task_ready',
        executionId: this.executionId,
        taskId: id,
        timestamp: new Date(),
      });
    }
    this.ready.push(i);
  }

  /**
   * A task's attempt failed and will be retried after `delay` ms: emits `task_retrying`, then puts the task
   * back in the ready queue when the delay is over and calls `due`.
   */
  waitForRetry(i: number, attempt: number, result: TaskResult, delay: number, due: () => void): void {
    this.state[i] = RETRY_WAIT;
    this.results[i] = result;
    if (this.sink.active) {
      const { executionId } = this;
      const event = { executionId, taskId: result.taskId, attempt, delay, result, timestamp: new Date() };
      this.sink.emit({ type: 'task_retrying', ...event });
    }
    const timer = setTimeout(() => {
      this.retryTimers.delete(i);
      if (this.state[i] !== RETRY_WAIT) return;
      this.results[i] = undefined;
      this.state[i] = READY;
      this.ready.push(i);
      due();
    }, delay);
    this.retryTimers.set(i, timer);
  }

  /**
   * A running attempt's run was lost (its worker died) and the task runs again in place: counts the lost
   * run as an attempt, emits `task_retrying` (no delay) for it and `task_started` for the next one, and
   * returns the next attempt's number.
   */
  restartLost(i: number, lost: TaskResult, at: Date): number {
    const failed = this.attemptNumber(i);
    this.attemptsMade[i]!++;
    if (this.sink.active) {
      const { executionId } = this;
      const taskId = lost.taskId;
      this.sink.emit({
        type: 'task_retrying',
        executionId,
        taskId,
        attempt: failed,
        delay: 0,
        result: lost,
        timestamp: at,
      });
      this.sink.emit({ type: 'task_started', executionId, taskId, attempt: failed + 1, timestamp: at });
    }
    return failed + 1;
  }

  /** Stops every retry timer. */
  clearRetryTimers(): void {
    for (const timer of this.retryTimers.values()) clearTimeout(timer);
    this.retryTimers.clear();
  }

  /** Records a final result and emits `task_finished`, without touching dependents. */
  private finalize(i: number, result: TaskResult): void {
    this.state[i] = DONE;
    this.results[i] = result;
    this.remaining--;
    this.metrics.recordTaskCompletion(result.taskId, result, i);
    if (this.sink.active) {
      this.sink.emit({
        type: 'task_finished',
        executionId: this.executionId,
        taskId: result.taskId,
        attempt: this.attemptNumber(i),
        result,
      });
    }
  }

  /** Records a task's final result; readies its dependents on success, skips them otherwise. */
  complete(i: number, result: TaskResult): void {
    this.finalize(i, result);
    const plan = this.plan;
    if (result.status === 'success') {
      for (let k = plan.dependentStart[i]!; k < plan.dependentStart[i + 1]!; k++) {
        const c = plan.dependents[k]!;
        if (this.state[c] === WAITING && --this.pending[c]! === 0) this.makeReady(c);
      }
    } else {
      this.skipDownstream(i, result);
    }
  }

  /** Marks every waiting task downstream of task `i` as skipped, naming `i`. */
  private skipDownstream(i: number, failed: TaskResult): void {
    const plan = this.plan;
    const verb =
      failed.status === 'timed_out'
        ? 'timed out'
        : failed.status === 'cancelled'
          ? 'was cancelled'
          : 'failed';
    const message = `upstream task "${failed.taskId}" ${verb}`;
    const stack = [i];
    while (stack.length > 0) {
      const t = stack.pop()!;
      for (let k = plan.dependentStart[t]!; k < plan.dependentStart[t + 1]!; k++) {
        const c = plan.dependents[k]!;
        if (this.state[c] !== WAITING) continue;
        this.finalize(c, notRunResult(plan.tasks[c]!.id, 'skipped', message, undefined));
        stack.push(c);
      }
    }
  }

  /** Cancels every task that has not started (waiting, ready, or waiting to retry). */
  cancelNotStarted(reason: ExecutorError): void {
    this.ready.drain();
    this.clearRetryTimers();
    for (let i = 0; i < this.n; i++) {
      const state = this.state[i];
      if (state === WAITING || state === READY) {
        const id = this.plan.tasks[i]!.id;
        this.finalize(i, notRunResult(id, 'cancelled', reason.message, taskCancelled(id, reason)));
      } else if (state === RETRY_WAIT) {
        const last = this.results[i]!;
        this.finalize(i, {
          ...last,
          status: 'cancelled',
          errorMessage: reason.message,
          error: taskCancelled(last.taskId, reason),
        });
      }
    }
  }

  /**
   * The execution's result, once every task has its final result. Its status is `cancelled` when the
   * execution was cancelled (and some task was), `success` when every task succeeded, else `failed`.
   */
  executionResult(
    startedAt: Date,
    completedAt: Date,
    metrics: ExecutionMetrics,
    cancelled: boolean,
  ): ExecutionResult {
    const taskResults: Record<string, TaskResult> = {};
    let allSucceeded = true;
    let anyCancelled = false;
    for (let i = 0; i < this.n; i++) {
      const result = this.results[i]!;
      taskResults[result.taskId] = result;
      if (result.status !== 'success') allSucceeded = false;
      if (result.status === 'cancelled') anyCancelled = true;
    }
    return {
      dagId: this.dagId,
      executionId: this.executionId,
      status: cancelled && anyCancelled ? 'cancelled' : allSucceeded ? 'success' : 'failed',
      startedAt,
      completedAt,
      totalDuration: completedAt.getTime() - startedAt.getTime(),
      taskResults,
      metrics,
    };
  }
}
