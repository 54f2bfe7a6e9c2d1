/**
 * {@link ExecutionRun}: the scheduler of one execution.
 *
 * Each task keeps a count of unfinished dependencies ({@link RunState}); when it reaches zero the task
 * joins the ready queue. A scheduler turn ({@link ExecutionRun.pump}) picks ready tasks while a slot is
 * free ({@link ExecutionRun.dispatch}, the one gate), flushes the observers, then launches the new
 * attempts. An attempt's end records its result, emits events and queues the next turn. Work per task is
 * O(its edges + log n); nothing is rescanned.
 * @module
 */

import { CancelledError, type ExecutorError, TaskTimeoutError, toExecutorError } from '../model/errors.js';
import type { ExecutionResult, TaskResult } from '../model/result.js';
import { Deadlines } from '../process/deadlines.js';
import { Attempt, type AttemptHost } from './attempt.js';
import { retryDelay } from './backoff.js';
import { HoldState } from './hold-state.js';
import { type ChunkMasker, LineMasker } from './line-masker.js';
import { retryPolicyOf, shouldRetry } from './retry-policy.js';
import type { RunSetup } from './run-setup.js';
import { RUNNING, RunState } from './run-state.js';
import type { OutputStream, TaskOutcome } from './task-executor.js';
import { attemptResult, executionCancelled, notRunResult, retriesExhausted } from './task-results.js';
import { upstreamView } from './upstream-view.js';

/** Runs one execution; {@link ExecutionRun.start} resolves with its result. */
/** A settled promise whose reactions run scheduler turns as microtasks. */
const SETTLED = Promise.resolve();

export class ExecutionRun implements AttemptHost {
  readonly executionId: string;
  readonly dagId: string;
  readonly outputLimit: number;
  readonly killGracePeriod: number;
  readonly mask: (text: string) => string;
  private readonly maskValue: (<T>(value: T) => T) | undefined;
  private readonly tasks: RunState;
  private readonly running = new Set<Attempt>();
  private readonly deadlines: Deadlines<Attempt>;
  private readonly hold: HoldState;
  private stopping: 'cancel' | 'fail-fast' | undefined;
  /** Why the execution stopped, once it did. */
  private stopReason: ExecutorError | undefined;
  private active = 0;
  private pumpQueued = false;
  private turns = 0;
  /**
   * The half turn (see {@link RunState.readyPhase}) at the end of the last pick that left a ready task
   * waiting: no free slot, its serial type busy, or held by throttling. A task that became ready before
   * it waited for a slot; any other started as soon as it could, and its wait counts as 0.
   */
  private lastLeftWaiting = -1;
  /** The attempts a turn starts (reused: one array for the whole run). */
  private readonly launching: Attempt[] = [];
  private finished = false;
  private startedAt = new Date();
  private resolveRun: ((result: ExecutionResult) => void) | undefined;
  private readonly pumpBound = (): void => this.pump();
  private readonly retryDue = (): void => this.schedulePump(true);

  constructor(private readonly s: RunSetup) {
    this.executionId = s.executionId;
    this.dagId = s.dag.id;
    this.outputLimit = s.config.outputLimit;
    this.killGracePeriod = s.config.killGracePeriod;
    const preparer = s.preparer;
    this.mask = (text) => preparer.mask(text);
    this.maskValue = preparer.maskValue ? (value) => preparer.maskValue!(value) : undefined;
    this.tasks = new RunState(s.plan, s.dag.id, s.executionId, s.sink, s.metrics);
    this.deadlines = new Deadlines((attempt) => this.expire(attempt));
    this.hold = new HoldState(s.admission, s.sink, s.executionId, () => this.schedulePump(true));
  }

  /** Starts the execution; resolves when every task has its final result. */
  start(): Promise<ExecutionResult> {
    const { metrics, sink, signal, resume } = this.s;
    const promise = new Promise<ExecutionResult>((resolve) => {
      this.resolveRun = resolve;
    });
    this.startedAt = new Date();
    metrics.startDagExecution(this.dagId, this.tasks.n, this.startedAt.getTime(), this.s.plan.index);
    const kept = resume ? this.tasks.applyResume(resume) : [];
    if (sink.active) {
      sink.emit({
        type: 'execution_started',
        executionId: this.executionId,
        dagId: this.dagId,
        taskCount: this.tasks.n,
        timestamp: this.startedAt,
        resumed: resume !== undefined,
        ...(resume ? { keptTaskIds: kept } : {}),
        ...(this.s.secretParams.length > 0 ? { secretParams: this.s.secretParams } : {}),
      });
    }
    this.tasks.initialize();
    if (signal?.aborted) this.cancel(signal.reason);
    else signal?.addEventListener('abort', this.onAbort, { once: true });
    this.hold.attach();
    this.pump();
    return promise;
  }

  private readonly onAbort = (): void => {
    this.cancel(this.s.signal?.reason);
    this.schedulePump();
  };

  private cancel(reason: unknown): void {
    this.stopAll('cancel', executionCancelled(reason, this.executionId));
  }

  /**
   * Queues a scheduler turn: a microtask, or a macrotask every 256th turn (and on request). The microtask
   * is a reaction of a settled promise, not `queueMicrotask`, which makes an `AsyncResource` per call.
   */
  private schedulePump(macrotask = false): void {
    if (this.pumpQueued || this.finished) return;
    this.pumpQueued = true;
    if (macrotask || ++this.turns % 256 === 0) setImmediate(this.pumpBound);
    else void SETTLED.then(this.pumpBound);
  }

  /** One scheduler turn. */
  private pump(): void {
    this.pumpQueued = false;
    if (this.finished) return;
    // One array for every turn (a turn never runs inside another: turns are queued tasks).
    const launch = this.launching;
    if (!this.stopping) this.dispatch(launch);
    this.s.sink.flush();
    // A listener or observer may have stopped the execution since the attempts were picked (a cancel
    // on task_started, a state database that could not be written): those attempts end unrun.
    for (let k = 0; k < launch.length; k++) {
      if (this.stopReason) this.launchStopped(launch[k]!, this.stopReason);
      else this.launch(launch[k]!);
    }
    launch.length = 0;
    if (this.tasks.remaining === 0) this.finish();
  }

  /**
   * Picks the attempts to start now: ready tasks in priority order while a slot is free, a serial type's
   * task only while none of its type runs, and only what the admission gate lets through.
   */
  private dispatch(launch: Attempt[]): void {
    const { slots, admission, plan } = this.s;
    const ready = this.tasks.ready;
    const max = this.s.config.maxConcurrentTasks;
    const tasks = this.tasks;
    tasks.phase++;
    let leftWaiting = false;
    while (this.active < max && !this.stopping) {
      const i = ready.peek();
      if (i < 0) break;
      const slot = slots.of(i);
      if (slot.serial && slot.busy) {
        ready.pop();
        slot.block(i, plan.chain);
        leftWaiting = true;
        continue;
      }
      if (admission) {
        const verdict = admission.canStart(plan.tasks[i]!, this.active);
        if (verdict !== true && 'reject' in verdict) {
          ready.pop();
          const id = plan.tasks[i]!.id;
          this.complete(i, notRunResult(id, 'failed', verdict.reject.message, verdict.reject));
          continue;
        }
        if (verdict !== true && this.active > 0) {
          this.hold.hold(verdict.hold, ready.size, verdict.usage);
          break;
        }
        this.hold.release(ready.size - 1);
      }
      ready.pop();
      const attempt = this.prepare(i);
      if (!attempt) continue;
      if (slot.serial) slot.busy = true;
      this.active++;
      launch.push(attempt);
    }
    tasks.phase++;
    if (leftWaiting || ready.size > 0) this.lastLeftWaiting = tasks.phase;
  }

  /** Builds the next attempt of task `i`; a task that cannot be prepared fails without starting. */
  private prepare(i: number): Attempt | undefined {
    const { plan, sink, slots } = this.s;
    const task = plan.tasks[i]!;
    const made = ++this.tasks.attemptsMade[i]!;
    const number = this.tasks.attemptBase[i]! + made;
    const upstream = upstreamView(plan, this.tasks.results, i);
    let attempt: Attempt;
    try {
      const prepared = this.s.preparer.prepare(task, number, upstream);
      const timeout = task.timeout ?? slots.of(i).defaultTimeout;
      attempt = new Attempt(this, i, number, prepared, timeout, upstream, sink.active);
    } catch (error) {
      const e = toExecutorError(error, task.id);
      this.complete(i, notRunResult(task.id, 'failed', this.mask(e.message), e, made - 1));
      return undefined;
    }
    this.tasks.state[i] = RUNNING;
    attempt.startedAt = Date.now();
    const held = this.lastLeftWaiting > this.tasks.readyPhase[i]!;
    this.s.metrics.recordTaskStart(task.id, attempt.startedAt, i, held);
    this.s.admission?.onStart?.(task);
    if (sink.active) {
      sink.emit({
        type: 'task_started',
        executionId: this.executionId,
        taskId: task.id,
        attempt: number,
        timestamp: new Date(attempt.startedAt),
      });
    }
    return attempt;
  }

  private launch(attempt: Attempt): void {
    this.running.add(attempt);
    this.deadlines.add(attempt, attempt.timeout);
    attempt.run(this.s.backend, this.s.slots.of(attempt.index).executor);
  }

  /** Ends an attempt picked before the execution stopped, without running it. */
  private launchStopped(attempt: Attempt, reason: ExecutorError): void {
    this.running.add(attempt);
    this.deadlines.add(attempt, attempt.timeout);
    attempt.stop(reason);
    this.settle(attempt, undefined, reason);
  }

  /** A masker for one output stream: the preparer's when it has one, else a line buffer. */
  streamMasker(): ChunkMasker {
    return this.s.preparer.maskStream?.() ?? new LineMasker(this.mask);
  }

  /** Emits masked output of a running attempt. */
  output(attempt: Attempt, stream: OutputStream, chunk: string): void {
    const { executionId } = this;
    const { taskId } = attempt;
    this.s.sink.emit({ type: 'task_output', executionId, taskId, attempt: attempt.attempt, stream, chunk });
  }

  private expire(attempt: Attempt): void {
    const context = { executionId: this.executionId };
    attempt.stop(new TaskTimeoutError(attempt.taskId, attempt.timeout, { context }));
  }

  /**
   * A backend reports that an attempt's run was lost (its worker died) and runs the task again: the lost
   * run becomes a failed attempt (`task_retrying` with no delay) and the attempt continues as the next one.
   */
  attemptLost(attempt: Attempt, reason: string): void {
    if (attempt.ended || this.finished) return;
    if (this.s.sink.active) attempt.flushOutput();
    const made = this.tasks.attemptsMade[attempt.index]!;
    const outcome = { status: 'failed' as const, errorMessage: reason, metadata: { lost: 'true' } };
    const lost = attemptResult(attempt, outcome, undefined, made - 1, this.maskValue);
    attempt.startedAt = Date.now();
    attempt.attempt = this.tasks.restartLost(attempt.index, lost, new Date(attempt.startedAt));
  }

  /** An attempt ended: record it, then retry it or finish the task. */
  settle(attempt: Attempt, outcome: TaskOutcome | undefined, thrown: unknown): void {
    if (attempt.ended || this.finished) return;
    attempt.end();
    this.running.delete(attempt);
    this.deadlines.ended(attempt.timeout);
    this.active--;
    const i = attempt.index;
    this.s.slots.of(i).release(this.tasks.ready);
    this.s.admission?.onEnd?.(attempt.task);
    this.s.metrics.recordAttemptEnd();
    if (this.s.sink.active) attempt.flushOutput();
    const made = this.tasks.attemptsMade[i]!;
    let result = attemptResult(attempt, outcome, thrown, made - 1, this.maskValue);
    if ((result.status === 'failed' || result.status === 'timed_out') && !this.stopping) {
      const policy = retryPolicyOf(this.s.plan.tasks[i]!, this.s.retryFallback);
      if (shouldRetry(policy, made, result.status, result.exitCode)) {
        this.tasks.waitForRetry(i, attempt.attempt, result, retryDelay(policy, made), this.retryDue);
        this.schedulePump();
        return;
      }
      if (made > 1 && made >= policy.maxAttempts) result = retriesExhausted(result, made);
    }
    this.complete(i, result);
    this.schedulePump();
  }

  /** Records a task's final result; with `failFast`, a failure stops the execution. */
  private complete(i: number, result: TaskResult): void {
    this.tasks.complete(i, result);
    if ((result.status === 'failed' || result.status === 'timed_out') && this.s.config.failFast) {
      const what = result.status === 'timed_out' ? 'timed out' : 'failed';
      const context = { executionId: this.executionId };
      this.stopAll(
        'fail-fast',
        new CancelledError(`fail-fast: task "${result.taskId}" ${what}`, { context }),
      );
    }
  }

  /** Stops starting tasks, cancels those not started, and aborts the running ones. */
  private stopAll(kind: 'cancel' | 'fail-fast', reason: ExecutorError): void {
    if (this.stopping) return;
    this.stopping = kind;
    this.stopReason = reason;
    this.hold.release(0);
    this.s.slots.drain();
    this.tasks.cancelNotStarted(reason);
    for (const attempt of this.running) attempt.stop(reason);
  }

  private finish(): void {
    this.finished = true;
    this.s.signal?.removeEventListener('abort', this.onAbort);
    this.deadlines.clear();
    this.hold.detach();
    this.tasks.clearRetryTimers();
    const completedAt = new Date();
    const metrics = this.s.metrics.finishDagExecution(completedAt.getTime(), this.s.dag);
    const result = this.tasks.executionResult(
      this.startedAt,
      completedAt,
      metrics,
      this.stopping === 'cancel',
    );
    if (this.s.sink.active)
      this.s.sink.emit({ type: 'execution_finished', executionId: this.executionId, result });
    this.s.sink.flush();
    this.resolveRun?.(result);
  }
}
