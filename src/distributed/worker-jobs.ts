/**
 * {@link WorkerJobs}: the jobs a worker is running, with the controller that stops each one
 * (cancellation, timeout, lost lock, hand-back on shutdown).
 * @module
 */

import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { CancelledError, TaskTimeoutError } from '../model/errors.js';
import type { RunningTaskInfo } from './heartbeat.js';
import type { JormKeys } from './keys.js';
import { type CancelMessage, decodeCancelMessage, type JobPayload, type JobResult } from './payload.js';
import type { WorkerEvent } from './worker-events.js';
import { type JobRunDeps, runJob, workerAbort } from './worker-job.js';

/** A job being run. */
export interface RunningJob {
  readonly job: Job;
  readonly jobId: string;
  readonly payload: JobPayload;
  readonly controller: AbortController;
  readonly startedAt: Date;
  /** Set when the worker shuts down: the job goes back to its queue instead of completing. */
  handBack: boolean;
}

/** What {@link WorkerJobs} needs from its worker. */
export interface WorkerJobsDeps extends Omit<JobRunDeps, 'publish' | 'signal' | 'stalledCounter'> {
  client: Redis;
  keys: JormKeys;
  emit: (event: WorkerEvent) => void;
}

/** How long a cancel message for a job not running here is remembered, ms. */
const EARLY_CANCEL_MEMORY = 60_000;

function hasSecrets(payload: JobPayload): boolean {
  const body = payload.body as { secrets?: unknown } | undefined;
  return Array.isArray(body?.secrets) && body.secrets.length > 0;
}

/** The running jobs of one worker process. */
export class WorkerJobs {
  private readonly running = new Map<string, RunningJob>();
  /** Cancel messages for jobs not running here (yet): a job taken right after its cancel is stopped. */
  private readonly early = new Map<string, { message: CancelMessage; at: number }>();

  constructor(private readonly deps: WorkerJobsDeps) {}

  /** Whether the cancel channel is subscribed (else cancel keys are checked for new jobs). */
  listening = false;

  /** Looks for cancel keys of running jobs (those whose message this worker may have missed). */
  checkCancelKeys(jobIds: readonly string[] = [...this.running.keys()]): void {
    if (jobIds.length === 0) return;
    const { client, keys } = this.deps;
    client
      .mget(...jobIds.map((id) => keys.cancel(id)))
      .then((texts) => {
        for (const text of texts) if (text !== null) this.cancel(decodeCancelMessage(text));
      })
      .catch(() => {});
  }

  /** Jobs running now. */
  get size(): number {
    return this.running.size;
  }

  /** Registers a job (synchronously, so that a cancel message arriving from now on finds it). */
  begin(job: Job, payload: JobPayload): RunningJob {
    const running: RunningJob = {
      job,
      jobId: job.id ?? '',
      payload,
      controller: new AbortController(),
      startedAt: new Date(),
      handBack: false,
    };
    // The same job again (its lock was lost while it ran here, and it came back): the old run is void.
    this.running
      .get(running.jobId)
      ?.controller.abort(workerAbort('lost', `job ${running.jobId} started again: this run is void`));
    this.running.set(running.jobId, running);
    const early = this.early.get(running.jobId);
    if (early) this.cancel(early.message);
    return running;
  }

  /** Runs a registered job to its result. */
  async run(running: RunningJob, payload: JobPayload): Promise<JobResult> {
    const { client, keys, emit } = this.deps;
    const { jobId, job, controller } = running;
    // A cancel sent while this worker was not listening is also left as a key.
    if (!this.listening) this.checkCancelKeys([jobId]);
    const base = {
      jobId,
      executionId: payload.executionId,
      taskId: payload.taskId,
      attempt: payload.attempt,
    };
    emit({ type: 'job_started', ...base });
    const channel = keys.executionChannel(payload.executionId);
    const result = await runJob(jobId, payload, {
      ...this.deps,
      publish: (text) => client.publish(channel, text),
      signal: controller.signal,
      stalledCounter: job.stalledCounter ?? 0,
    });
    const status = result.outcome.status ?? (result.outcome.exitCode ? 'failed' : 'success');
    emit({
      type: 'job_finished',
      ...base,
      status,
      duration: Date.now() - running.startedAt.getTime(),
      ...(result.aborted ? { aborted: result.aborted } : {}),
    });
    if (!running.handBack && !controller.signal.aborted && hasSecrets(payload)) {
      // The body held secrets: keep them in Redis no longer than the job needs them.
      await job.updateData({ ...payload, body: undefined, scrubbed: true }).catch(() => {});
    }
    return result;
  }

  /** Forgets a job that ended. */
  end(running: RunningJob): void {
    if (this.running.get(running.jobId) === running) this.running.delete(running.jobId);
  }

  /** Stops a job on the coordinator's request. */
  cancel(message: CancelMessage): void {
    const running = this.running.get(message.j);
    if (!running) {
      this.remember(message);
      return;
    }
    if (running.controller.signal.aborted) return;
    const reason =
      message.r === 'timeout'
        ? new TaskTimeoutError(running.payload.taskId, message.t ?? 0)
        : new CancelledError(`task "${running.payload.taskId}" was cancelled`);
    running.controller.abort(reason);
  }

  private remember(message: CancelMessage): void {
    const now = Date.now();
    for (const [id, entry] of this.early) {
      if (now - entry.at <= EARLY_CANCEL_MEMORY) break; // insertion order: the rest is newer
      this.early.delete(id);
    }
    this.early.set(message.j, { message, at: now });
  }

  /** Stops jobs whose lock was lost (another worker may run them now, or Redis lost them). */
  lost(jobIds: readonly string[]): void {
    for (const id of jobIds) {
      this.running
        .get(id)
        ?.controller.abort(workerAbort('lost', `job ${id} lost its lock: it is no longer this worker's`));
    }
  }

  /** Stops every job and marks it to go back to its queue. */
  handBackAll(): void {
    for (const running of this.running.values()) {
      running.handBack = true;
      running.controller.abort(
        workerAbort('shutdown', 'the worker is shutting down: the job goes back to its queue'),
      );
    }
  }

  /** The running jobs, for the heartbeat. */
  runningInfo(): RunningTaskInfo[] {
    return [...this.running.values()].map((r) => ({
      jobId: r.jobId,
      executionId: r.payload.executionId,
      taskId: r.payload.taskId,
      attempt: r.payload.attempt,
      startedAt: r.startedAt.toISOString(),
    }));
  }
}
