/**
 * {@link PendingAttempt}: the coordinator's side of one attempt running on a worker, from submission to
 * its outcome: output routing, completion, failure and the wait for a cancelled job's end.
 * @module
 */

import type { ExecutionContext, OutputStream, TaskOutcome } from '../engine/task-executor.js';
import type { Task } from '../model/task.js';
import type { JobResult } from './payload.js';

/** Where the attempt is in its life on the coordinator. */
export type PendingState = 'submitting' | 'submitted' | 'cancelling';

/** The outcome metadata of a remote attempt: the worker's, plus where and by whom it ran. */
export function remoteMetadata(result: JobResult, queueName: string, jobId: string): Record<string, string> {
  return {
    ...result.outcome.metadata,
    backend: 'bullmq',
    queue: queueName,
    jobId,
    worker: result.worker.id,
    workerHost: result.worker.host,
    workerPid: String(result.worker.pid),
  };
}

/** One attempt handed to a worker. */
export class PendingAttempt {
  readonly promise: Promise<TaskOutcome>;
  state: PendingState = 'submitting';
  /** Times the job was enqueued again after Redis lost it. */
  requeues = 0;
  /** Whether this attempt took over a job of an earlier coordinator. */
  attached = false;
  /** When the job was last enqueued (epoch ms). */
  submittedAt = Date.now();
  /** Lost runs (dead workers) reported to the engine so far. */
  private lostRuns = 0;
  private settled = false;
  private resolveFn!: (outcome: TaskOutcome) => void;
  private rejectFn!: (error: unknown) => void;
  private cancelTimer: NodeJS.Timeout | undefined;

  constructor(
    public jobId: string,
    readonly queueName: string,
    readonly task: Task,
    readonly context: ExecutionContext,
    private readonly onSettled: (attempt: PendingAttempt) => void,
  ) {
    this.promise = new Promise<TaskOutcome>((resolve, reject) => {
      this.resolveFn = resolve;
      this.rejectFn = reject;
    });
  }

  /** Whether the outcome is known. */
  get isSettled(): boolean {
    return this.settled;
  }

  /** Output from the worker (already masked there; masked again here with the coordinator's secrets). */
  output(stream: OutputStream, chunk: string): void {
    if (this.settled || !this.context.onOutput) return;
    this.context.onOutput(stream, this.context.mask(chunk));
  }

  /**
   * The job runs again after the workers of `runs` earlier runs died: each run not reported yet is
   * reported to the engine as a lost attempt.
   */
  lost(runs: number): void {
    if (this.settled) return;
    while (this.lostRuns < runs) {
      this.lostRuns++;
      this.context.attemptLost?.(
        `the worker running it stopped responding (BullMQ found job ${this.jobId} stalled); it ran again`,
      );
    }
  }

  /** The job completed on a worker. An aborted attempt ends with the abort's reason, as local ones do. */
  complete(result: JobResult): void {
    // The live message of a re-run may have been missed: the result says how many runs were lost.
    const stalled = Number(result.outcome.metadata?.['stalled'] ?? 0);
    if (Number.isInteger(stalled) && stalled > 0) this.lost(stalled);
    if (this.context.signal.aborted) {
      this.fail(this.context.signal.reason);
      return;
    }
    this.finish(() => this.resolveFn(this.toOutcome(result)));
  }

  /** Ends the attempt with an error. */
  fail(error: unknown): void {
    this.finish(() => this.rejectFn(error));
  }

  /** Ends the attempt with an outcome known without a worker (an adopted result). */
  resolveWith(outcome: TaskOutcome): void {
    this.finish(() => this.resolveFn(outcome));
  }

  /** After a cancel: waits at most `ms` for the worker to confirm, then ends with the abort's reason. */
  awaitCancel(ms: number): void {
    this.state = 'cancelling';
    clearTimeout(this.cancelTimer);
    this.cancelTimer = setTimeout(() => this.fail(this.context.signal.reason), ms);
    this.cancelTimer.unref();
  }

  private finish(settle: () => void): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.cancelTimer);
    this.onSettled(this);
    settle();
  }

  private toOutcome(result: JobResult): TaskOutcome {
    const { mask } = this.context;
    const outcome = result.outcome;
    const metadata = remoteMetadata(result, this.queueName, this.jobId);
    if (this.requeues > 0) metadata['requeued'] = String(this.requeues);
    if (this.attached) metadata['attached'] = 'true';
    return {
      ...outcome,
      ...(outcome.stdout !== undefined ? { stdout: mask(outcome.stdout) } : {}),
      ...(outcome.stderr !== undefined ? { stderr: mask(outcome.stderr) } : {}),
      ...(outcome.errorMessage !== undefined ? { errorMessage: mask(outcome.errorMessage) } : {}),
      metadata,
    };
  }
}
