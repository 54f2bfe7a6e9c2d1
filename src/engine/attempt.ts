/**
 * {@link Attempt}: one attempt of one task — the {@link ExecutionContext} its executor receives, plus the
 * scheduler's bookkeeping. Built to be cheap: its `AbortController` is only created when the executor
 * reads `signal` (the built-in process executors take the attempt itself as their `abortNotice`), its
 * `environment` is built on first read, and its `upstream` results are a lazy view, so an executor that
 * reads none of them pays for none. (`signal` and `environment` are accessors: spreading a context reads
 * them.)
 * @module
 */

import type { ExecutorError } from '../model/errors.js';
import type { TaskResult } from '../model/result.js';
import type { Task } from '../model/task.js';
import type { Expirable } from '../process/deadlines.js';
import type { AbortNotice, EnvironmentLayers } from '../process/types.js';
import type { ExecutionBackend } from './backend.js';
import type { ChunkMasker } from './line-masker.js';
import type { PreparedAttempt } from './prepare.js';
import type { ExecutionContext, OutputStream, TaskExecutor, TaskOutcome } from './task-executor.js';

/** What an attempt needs from its execution. */
export interface AttemptHost {
  readonly executionId: string;
  readonly dagId: string;
  readonly outputLimit: number;
  readonly killGracePeriod: number;
  readonly mask: (text: string) => string;
  /** A new masker for one output stream. */
  streamMasker(): ChunkMasker;
  /** Masked output of a running attempt, to emit as an event. */
  output(attempt: Attempt, stream: OutputStream, chunk: string): void;
  /** The attempt's run was lost (its worker died) and it runs again as the next attempt. */
  attemptLost(attempt: Attempt, reason: string): void;
  /** The attempt ended with `outcome`, or by throwing `thrown` (when `outcome` is undefined). */
  settle(attempt: Attempt, outcome: TaskOutcome | undefined, thrown: unknown): void;
}

/** Extra time after the kill grace period before an attempt that ignores its abort is given up on, ms. */
export const ABANDON_MARGIN = 2000;

/** One attempt of one task. */
export class Attempt implements ExecutionContext, AbortNotice, Expirable {
  readonly executionId: string;
  readonly dagId: string;
  readonly taskId: string;
  readonly workingDirectory: string;
  readonly outputLimit: number;
  readonly killGracePeriod: number;
  readonly mask: (text: string) => string;
  onOutput?: (stream: OutputStream, chunk: string) => void;
  /** The task as prepared for this attempt (interpolated). */
  readonly task: Task;
  /** `Date.now()` when it started. */
  startedAt = 0;
  deadline = Number.POSITIVE_INFINITY;
  ended = false;
  /** Why it was aborted (timeout or cancellation), once it was. */
  abortReason: ExecutorError | undefined;
  private abandonTimer: NodeJS.Timeout | undefined;
  private readonly prepared: PreparedAttempt;
  private controller: AbortController | undefined;
  private abortListeners: (() => void)[] | undefined;
  /** The attempt itself: its abort as an {@link AbortNotice}, which costs far less than `signal`. */
  readonly abortNotice: AbortNotice = this;
  private stdoutMasker: ChunkMasker | undefined;
  private stderrMasker: ChunkMasker | undefined;

  constructor(
    private readonly host: AttemptHost,
    /** The task's index in the plan. */
    readonly index: number,
    /** The attempt number; grows when a lost run is reported ({@link Attempt.attemptLost}). */
    public attempt: number,
    prepared: PreparedAttempt,
    /** The timeout of this attempt, ms. */
    readonly timeout: number,
    readonly upstream: Readonly<Record<string, TaskResult>>,
    streaming: boolean,
  ) {
    this.executionId = host.executionId;
    this.dagId = host.dagId;
    this.task = prepared.task;
    this.taskId = prepared.task.id;
    this.prepared = prepared;
    this.workingDirectory = prepared.workingDirectory;
    this.outputLimit = host.outputLimit;
    this.killGracePeriod = host.killGracePeriod;
    this.mask = host.mask;
    if (streaming) this.onOutput = (stream, chunk) => this.stream(stream, chunk);
  }

  /** The task's complete environment, built on first read (executors that start no process never pay). */
  get environment(): Record<string, string> {
    return this.prepared.environment;
  }

  /** The same environment in layers, when the preparer has it so. */
  get environmentLayers(): EnvironmentLayers | undefined {
    return this.prepared.environmentLayers;
  }

  /** The inherited names of the environment, when the preparer knows them. */
  get inheritedVariables(): ReadonlySet<string> | undefined {
    return this.prepared.inheritedVariables;
  }

  /** Reports a lost run (see {@link ExecutionContext.attemptLost}). */
  attemptLost(reason: string): void {
    if (!this.ended) this.host.attemptLost(this, reason);
  }

  /** Aborted on timeout or cancellation; `reason` is a `TaskTimeoutError` or a `CancelledError`. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.abortReason) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  /** True once the attempt was stopped ({@link AbortNotice}). */
  get aborted(): boolean {
    return this.abortReason !== undefined;
  }

  /** Calls `listener` once when the attempt is stopped ({@link AbortNotice}). */
  addAbortListener(listener: () => void): void {
    if (this.abortListeners) this.abortListeners.push(listener);
    else this.abortListeners = [listener];
  }

  /** Forgets a listener added with {@link Attempt.addAbortListener}. */
  removeAbortListener(listener: () => void): void {
    const listeners = this.abortListeners;
    const at = listeners ? listeners.indexOf(listener) : -1;
    if (at >= 0) listeners!.splice(at, 1);
  }

  /** Runs the attempt through `backend`; the host's `settle` is called when it ends. */
  run(backend: ExecutionBackend, executor: TaskExecutor): void {
    let promise: Promise<TaskOutcome>;
    try {
      promise = backend.runAttempt(this.task, this, executor);
    } catch (error) {
      promise = Promise.reject(error);
    }
    promise.then(
      (outcome) => this.host.settle(this, outcome ?? {}, undefined),
      (error: unknown) => this.host.settle(this, undefined, error ?? new Error('the executor rejected')),
    );
  }

  /**
   * Aborts the attempt (the first reason wins). An executor that has not stopped `killGracePeriod` +
   * {@link ABANDON_MARGIN} ms later is given up on: the attempt ends with metadata `abandoned: 'true'`.
   */
  stop(reason: ExecutorError): void {
    if (this.abortReason || this.ended) return;
    this.abortReason = reason;
    this.controller?.abort(reason);
    const listeners = this.abortListeners;
    this.abortListeners = undefined;
    if (listeners) for (const listener of listeners) listener();
    this.abandonTimer = setTimeout(() => {
      this.host.settle(this, { metadata: { abandoned: 'true' } }, undefined);
    }, this.killGracePeriod + ABANDON_MARGIN);
  }

  /** Marks the attempt ended and stops its timer. */
  end(): void {
    this.ended = true;
    if (this.abandonTimer) clearTimeout(this.abandonTimer);
  }

  private stream(stream: OutputStream, chunk: string): void {
    if (this.ended || chunk === '') return;
    let masker = stream === 'stdout' ? this.stdoutMasker : this.stderrMasker;
    if (!masker) {
      masker = this.host.streamMasker();
      if (stream === 'stdout') this.stdoutMasker = masker;
      else this.stderrMasker = masker;
    }
    const text = masker.write(chunk);
    if (text !== '') this.host.output(this, stream, text);
  }

  /** Emits what the line buffers still hold; call once when the attempt ends. */
  flushOutput(): void {
    const out = this.stdoutMasker?.flush();
    if (out) this.host.output(this, 'stdout', out);
    const err = this.stderrMasker?.flush();
    if (err) this.host.output(this, 'stderr', err);
  }
}
