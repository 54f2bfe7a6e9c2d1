/**
 * Reconciliation: the coordinator's check of its pending jobs in BullMQ, every few seconds and after a
 * Redis outage — a result whose channel message was missed is collected, a job BullMQ failed (it
 * stalled too often) fails its attempt, and a job Redis lost (it restarted without its data) is
 * enqueued again.
 * @module
 */

import type { Queue } from 'bullmq';
import { RemoteJobError } from './errors.js';
import { decodeResult } from './payload.js';
import type { PendingAttempt } from './pending-attempt.js';

/** What reconciliation needs from the backend. */
export interface ReconcileHost {
  queue(name: string): Queue;
  /** Enqueues again the job of an attempt that Redis lost. */
  requeue(attempt: PendingAttempt): Promise<void>;
}

/** Attempts enqueued at least this long ago are checked (younger ones usually just have no news yet), ms. */
const MIN_AGE = 1000;

/** Checks the submitted attempts (`all`: whatever their age, as after an outage). */
export async function reconcileAttempts(
  attempts: Iterable<PendingAttempt>,
  all: boolean,
  host: ReconcileHost,
): Promise<void> {
  const now = Date.now();
  const checks = [...attempts].filter(
    (a) => a.state !== 'submitting' && (all || now - a.submittedAt >= MIN_AGE),
  );
  await Promise.allSettled(checks.map((a) => reconcileOne(a, host)));
}

async function reconcileOne(attempt: PendingAttempt, host: ReconcileHost): Promise<void> {
  const queue = host.queue(attempt.queueName);
  const state = await queue.getJobState(attempt.jobId);
  if (attempt.isSettled) return;
  if (state === 'completed') {
    const job = await queue.getJob(attempt.jobId);
    if (job) attempt.complete(decodeResult(job.returnvalue));
  } else if (state === 'failed') {
    const job = await queue.getJob(attempt.jobId);
    attempt.fail(RemoteJobError.of(attempt, job?.failedReason ?? 'unknown reason'));
  } else if (state === 'unknown') {
    await host.requeue(attempt);
  }
}
