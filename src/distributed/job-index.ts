/**
 * {@link JobIndex}: the latest job of each task of an execution, kept in a Redis hash, so that a
 * coordinator resuming an execution takes over what its predecessor started instead of running it
 * twice: a job a worker finished successfully gives its result; a job still waiting or running is
 * waited for.
 * @module
 */

import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { outcomeSucceeded, type TaskOutcome } from '../engine/task-executor.js';
import { DEFAULT_JOB_RETENTION } from './job-builder.js';
import type { JormKeys } from './keys.js';
import { decodeResult } from './payload.js';
import { remoteMetadata } from './pending-attempt.js';

/** What an earlier coordinator left for a task. */
export type Adoption =
  | { kind: 'finished'; outcome: TaskOutcome }
  | { kind: 'running'; jobId: string; queueName: string };

interface Entry {
  q: string;
  j: string;
}

const RUNNING_STATES = new Set(['active', 'waiting', 'delayed', 'prioritized', 'waiting-children']);

/** The per-execution index of jobs. */
export class JobIndex {
  /** Entries loaded once per execution; each task's entry is taken by its first attempt only. */
  private readonly loaded = new Map<string, Promise<Map<string, Entry>>>();

  constructor(
    private readonly client: Redis,
    private readonly keys: JormKeys,
    private readonly queue: (name: string) => Queue,
  ) {}

  /** Records the job of an attempt (before it is enqueued, so a crash in between leaves no orphan). */
  record(executionId: string, taskId: string, job: { jobId: string; queueName: string }): Promise<unknown> {
    const key = this.keys.jobIndex(executionId);
    const entry: Entry = { q: job.queueName, j: job.jobId };
    return this.client
      .multi()
      .hset(key, taskId, JSON.stringify(entry))
      .expire(key, DEFAULT_JOB_RETENTION)
      .exec();
  }

  /**
   * What an earlier coordinator of this execution left for this task, on the task's first attempt in
   * this process; `undefined` when there is nothing to take over.
   */
  async adopt(executionId: string, taskId: string): Promise<Adoption | undefined> {
    const entries = await this.load(executionId);
    const entry = entries.get(taskId);
    if (!entry) return undefined;
    entries.delete(taskId);
    const queue = this.queue(entry.q);
    const state = await queue.getJobState(entry.j);
    if (RUNNING_STATES.has(state)) return { kind: 'running', jobId: entry.j, queueName: entry.q };
    if (state !== 'completed') return undefined;
    const job = await queue.getJob(entry.j);
    if (!job) return undefined;
    const result = decodeResult(job.returnvalue);
    if (result.aborted || !outcomeSucceeded(result.outcome)) return undefined;
    const metadata = { ...remoteMetadata(result, entry.q, entry.j), adopted: 'true' };
    return { kind: 'finished', outcome: { ...result.outcome, metadata } };
  }

  /** Forgets what was loaded for an execution (its attempts are over in this process). */
  forget(executionId: string): void {
    this.loaded.delete(executionId);
  }

  private load(executionId: string): Promise<Map<string, Entry>> {
    let entries = this.loaded.get(executionId);
    if (!entries) {
      entries = this.client.hgetall(this.keys.jobIndex(executionId)).then((raw) => {
        const map = new Map<string, Entry>();
        for (const [taskId, text] of Object.entries(raw)) {
          try {
            const entry = JSON.parse(text) as Partial<Entry>;
            if (typeof entry.q === 'string' && typeof entry.j === 'string')
              map.set(taskId, { q: entry.q, j: entry.j });
          } catch {
            // an unreadable entry: nothing to take over
          }
        }
        return map;
      });
      this.loaded.set(executionId, entries);
      entries.catch(() => this.loaded.delete(executionId));
    }
    return entries;
  }
}
