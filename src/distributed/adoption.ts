/**
 * {@link Adopter}: lets a coordinator resuming an execution take over what its predecessor started,
 * instead of running it twice. Job ids are deterministic (`<executionId>.<taskId>.<attempt>`), so the
 * job of the attempt the predecessor recorded last is found without any index: when a task's first
 * attempt in this process is attempt N > 1 (a resumed task), the job of attempt N − 1 is looked up.
 * A job a worker finished successfully gives its result; a job still waiting or running is waited for.
 * @module
 */

import type { Queue } from 'bullmq';
import { outcomeSucceeded, type TaskOutcome } from '../engine/task-executor.js';
import { jobIdOf } from './job-builder.js';
import { decodeResult } from './payload.js';
import { remoteMetadata } from './pending-attempt.js';

/** What an earlier coordinator left for a task. */
export type Adoption = { kind: 'finished'; outcome: TaskOutcome } | { kind: 'running'; jobId: string };

const RUNNING_STATES = new Set(['active', 'waiting', 'delayed', 'prioritized', 'waiting-children']);

/** Finds the jobs of earlier coordinators. */
export class Adopter {
  /** Tasks that had an attempt in this process, by execution. */
  private readonly seen = new Map<string, Set<string>>();

  /**
   * What an earlier coordinator left for this attempt's task, looked up on the task's first attempt in
   * this process only; `undefined` when there is nothing to take over.
   */
  async adopt(
    queue: Queue,
    executionId: string,
    taskId: string,
    attempt: number,
  ): Promise<Adoption | undefined> {
    let tasks = this.seen.get(executionId);
    if (!tasks) {
      tasks = new Set();
      this.seen.set(executionId, tasks);
    }
    if (tasks.has(taskId)) return undefined;
    tasks.add(taskId);
    if (attempt <= 1) return undefined;
    const jobId = jobIdOf(executionId, taskId, attempt - 1);
    const state = await queue.getJobState(jobId);
    if (RUNNING_STATES.has(state)) return { kind: 'running', jobId };
    if (state !== 'completed') return undefined;
    const job = await queue.getJob(jobId);
    if (!job) return undefined;
    const result = decodeResult(job.returnvalue);
    if (result.aborted || !outcomeSucceeded(result.outcome)) return undefined;
    const metadata = { ...remoteMetadata(result, queue.name, jobId), adopted: 'true' };
    return { kind: 'finished', outcome: { ...result.outcome, metadata } };
  }

  /** Forgets an execution (its attempts are over in this process). */
  forget(executionId: string): void {
    this.seen.delete(executionId);
  }
}
