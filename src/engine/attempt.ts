/**
 * {@link Attempt}: one attempt of one task — the {@link ExecutionContext} its executor receives, plus the
 * scheduler's bookkeeping. Built to be cheap: its `AbortController` is only created when the executor
 * reads `signal`, and its `upstream` results are a lazy view, so an executor that reads neither costs
 * neither. (Do not spread a context: `signal` and `upstream` are accessors.)
 * @module
 */

import type { ExecutorError } from '../model/errors.js';
import type { TaskResult } from '../model/result.js';
import type { Task } from '../model/task.js';
import type { Expirable } from './deadlines.js';
import type { ChunkMasker } from './line-masker.js';
import type { PreparedAttempt } from './prepare.js';
import type { ExecutionContext, OutputStream } from './task-executor.js';

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
}

/** One attempt of one task. */
export class Attempt implements ExecutionContext, Expirable {
  readonly executionId: string;
  readonly dagId: string;
  readonly taskId: string;
  readonly environment: Record<string, string>;
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
  /** Gives up on an executor that does not stop after an abort. */
  abandonTimer: NodeJS.Timeout | undefined;
  private controller: AbortController | undefined;
  private stdoutMasker: ChunkMasker | undefined;
  private stderrMasker: ChunkMasker | undefined;

  constructor(
    private readonly host: AttemptHost,
    /** The task's index in the plan. */
    readonly index: number,
    readonly attempt: number,
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
    this.environment = prepared.environment;
    this.workingDirectory = prepared.workingDirectory;
    this.outputLimit = host.outputLimit;
    this.killGracePeriod = host.killGracePeriod;
    this.mask = host.mask;
    if (streaming) this.onOutput = (stream, chunk) => this.stream(stream, chunk);
  }

  /** Aborted on timeout or cancellation; `reason` is a `TaskTimeoutError` or a `CancelledError`. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.abortReason) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  /** Aborts the attempt (the first reason wins). */
  abort(reason: ExecutorError): void {
    if (this.abortReason || this.ended) return;
    this.abortReason = reason;
    this.controller?.abort(reason);
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
