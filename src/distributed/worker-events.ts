/**
 * {@link WorkerEvent}: what a {@link JormWorker} reports (the `jorm worker` command prints them).
 * @module
 */

import type { AbortKind } from './payload.js';

/** Everything a worker reports, discriminated by `type`. */
export type WorkerEvent =
  /** Listening on every queue. */
  | { type: 'ready'; id: string; queues: string[]; concurrency: number }
  /** A job started. */
  | { type: 'job_started'; jobId: string; executionId: string; taskId: string; attempt: number }
  /** A job ended (`status` is the task's; `aborted` when the worker stopped it). */
  | {
      type: 'job_finished';
      jobId: string;
      executionId: string;
      taskId: string;
      attempt: number;
      status: 'success' | 'failed';
      duration: number;
      aborted?: AbortKind;
    }
  /** The connection to Redis was lost or is back. */
  | { type: 'connection'; state: 'down' | 'up' }
  /** Something went wrong outside a task (Redis, BullMQ). */
  | { type: 'error'; message: string };
