/**
 * Errors of the distributed backend, in jorm's error family.
 * @module
 */

import { formatDuration } from '../model/duration.js';
import { ExecutorError, type ExecutorErrorOptions } from '../model/errors.js';

/** Redis stayed unreachable for longer than the backend's `unreachableTimeout`. */
export class RedisUnavailableError extends ExecutorError {
  constructor(
    /** The Redis URL, password redacted. */
    readonly url: string,
    /** How long it was unreachable, ms. */
    readonly downFor: number,
    /** The limit, ms. */
    readonly limit: number,
    options: ExecutorErrorOptions = {},
  ) {
    super(
      'IO_ERROR',
      `Redis at ${url} has been unreachable for ${formatDuration(downFor)} (limit ${formatDuration(limit)}): ` +
        'check that Redis is running and reachable, or raise the limit (unreachableTimeout, ' +
        '[distributed] unreachable_timeout, JORM_REDIS_UNREACHABLE_TIMEOUT)',
      options,
    );
  }
}

/** A job failed inside BullMQ (not a task failure): e.g. it stalled more often than allowed. */
export class RemoteJobError extends ExecutorError {
  constructor(
    readonly jobId: string,
    message: string,
    options: ExecutorErrorOptions = {},
  ) {
    super('TASK_EXECUTION_FAILED', message, options);
  }

  /** The error of a job of an attempt that BullMQ failed, with `reason` explained when it can be. */
  static of(
    job: { jobId: string; queueName: string; context: { taskId: string; executionId: string } },
    reason: string,
  ): RemoteJobError {
    const why = reason.includes('stalled') ? `${reason} (the workers running it stopped responding)` : reason;
    return new RemoteJobError(job.jobId, `job ${job.jobId} failed in queue "${job.queueName}": ${why}`, {
      context: { taskId: job.context.taskId, executionId: job.context.executionId },
    });
  }
}
