/**
 * {@link JormWorker}: takes jobs from BullMQ queues and runs them with a {@link TaskRegistry}, the
 * process behind `jorm worker`.
 *
 * - Listens on the route of every subset of its tags (see `keys.ts`), with one BullMQ worker per queue;
 *   `concurrency` bounds the tasks running at once in the whole process (a job taken beyond it is handed
 *   back to its queue at once, for any worker).
 * - Cancellations arrive on the cancel channel (and as a key, for a job taken after the message); the
 *   task's signal is aborted and its executor kills its process tree.
 * - A heartbeat with what it runs is written every `heartbeatInterval` with a TTL of three intervals.
 * - `close()` stops taking jobs and waits for the running ones; `close({ handBack: true })` stops them
 *   and hands their jobs back to their queues for other workers.
 * @module
 */

import { availableParallelism, hostname } from 'node:os';
import type { Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { TaskRegistry } from '../engine/registry.js';
import { bullmqLib } from '../libraries.js';
import '../executors/defaults.js';
import { TaskTimeoutError } from '../model/errors.js';
import { createMasker, secretNamePredicate, secretValuesByName } from './environment.js';
import { removeHeartbeat, type WorkerInfo, writeHeartbeat } from './heartbeat.js';
import {
  checkName,
  DEFAULT_PREFIX,
  DEFAULT_QUEUE_NAME,
  JormKeys,
  normalizeTags,
  workerQueueNames,
} from './keys.js';
import {
  decodeCancelMessage,
  decodePayload,
  type ExecutionMessage,
  type JobResult,
  type WorkerRef,
} from './payload.js';
import { PayloadCipher } from './payload-crypto.js';
import { createRedisClient } from './redis.js';
import type { WorkerEvent } from './worker-events.js';
import type { JormWorkerOptions } from './worker-options.js';

export type { JormWorkerOptions };

import { type RunningJob, WorkerJobs } from './worker-jobs.js';

/** How long a job taken beyond the concurrency waits before it is offered again, ms. */
const HAND_BACK_DELAY = 50;

/** A worker process's job runner. */
export class JormWorker {
  /** `host:pid:random`. */
  readonly id: string;
  readonly ref: WorkerRef;
  readonly queueNames: string[];
  readonly concurrency: number;
  readonly tags: string[];
  private readonly keys: JormKeys;
  private readonly client: Redis;
  private readonly subscriber: Redis;
  private readonly workers: Worker[] = [];
  private readonly jobs: WorkerJobs;
  private readonly startedAt = new Date();
  private heartbeat: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: JormWorkerOptions) {
    const bases = (options.queues ?? [DEFAULT_QUEUE_NAME]).map((q) => checkName('queue', q));
    this.tags = normalizeTags(options.tags ?? []);
    this.queueNames = workerQueueNames(bases, this.tags);
    this.concurrency = options.concurrency ?? availableParallelism();
    this.keys = new JormKeys(options.prefix ?? DEFAULT_PREFIX);
    const host = hostname();
    this.id = `${host}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
    this.ref = { id: this.id, host, pid: process.pid };
    const emit = (event: WorkerEvent): void => options.onEvent?.(event);
    this.client = createRedisClient(options.connection, {
      name: `jorm-worker-${process.pid}`,
      autoPipelining: true,
      onError: (error) => emit({ type: 'error', message: `redis: ${error.message}` }),
    });
    this.subscriber = this.client.duplicate();
    this.subscriber.on('error', () => {});
    this.subscriber.on('close', () => {
      this.jobs.listening = false;
    });
    this.subscriber.on('ready', () => {
      // Subscribed again after a reconnection: catch up on cancellations sent meanwhile.
      this.jobs.listening = true;
      this.jobs.checkCancelKeys();
    });
    this.client.on('close', () => {
      if (!this.closing) emit({ type: 'connection', state: 'down' });
    });
    this.client.on('ready', () => {
      if (!this.closing) emit({ type: 'connection', state: 'up' });
    });
    const isSecretName = secretNamePredicate(options.securePrefixes);
    const baseEnvironment: Record<string, string> = {};
    for (const [name, value] of Object.entries(process.env)) {
      if (value !== undefined) baseEnvironment[name] = value;
    }
    const ownSecrets = secretValuesByName(baseEnvironment, isSecretName);
    this.jobs = new WorkerJobs({
      registry: options.registry ?? TaskRegistry.withDefaultExecutors(),
      worker: this.ref,
      ...(options.payloadKey ? { cipher: new PayloadCipher(options.payloadKey) } : {}),
      ...(options.workingDirectory ? { workingDirectory: options.workingDirectory } : {}),
      ownSecrets,
      ownMasker: createMasker(ownSecrets),
      baseEnvironment,
      isSecretName,
      client: this.client,
      keys: this.keys,
      emit,
    });
  }

  /** Connects, starts taking jobs, and resolves when every queue is listened on. */
  async start(): Promise<void> {
    const o = this.options;
    for (const name of this.queueNames) {
      const worker = new (bullmqLib().Worker)(name, (job, token) => this.process(job, token), {
        connection: this.client,
        prefix: this.keys.prefix,
        concurrency: this.concurrency,
        lockDuration: o.lockDuration ?? 30_000,
        stalledInterval: o.stalledInterval ?? 30_000,
        maxStalledCount: o.maxStalledCount ?? 1,
      });
      worker.on('error', (error) => o.onEvent?.({ type: 'error', message: error.message }));
      worker.on('completed', (job: Job, result: JobResult) =>
        this.reply(job, { k: 'done', j: job.id ?? '', r: result }),
      );
      worker.on('failed', (job: Job | undefined, error: Error) => {
        if (job) this.reply(job, { k: 'fail', j: job.id ?? '', e: error.message });
      });
      worker.on('lockRenewalFailed', (jobIds: string[]) => this.jobs.lost(jobIds));
      this.workers.push(worker);
    }
    this.subscriber.on('message', (_channel: string, text: string) => {
      try {
        this.jobs.cancel(decodeCancelMessage(text));
      } catch {
        // a message of another jorm version
      }
    });
    await Promise.all([
      ...this.workers.map((w) => w.waitUntilReady()),
      this.subscriber.subscribe(this.keys.cancelChannel),
    ]);
    this.jobs.listening = true;
    await this.beat();
    const interval = o.heartbeatInterval ?? 5000;
    this.heartbeat = setInterval(() => void this.beat().catch(() => {}), interval);
    o.onEvent?.({ type: 'ready', id: this.id, queues: this.queueNames, concurrency: this.concurrency });
  }

  /** What the heartbeat says now. */
  info(): WorkerInfo {
    return {
      id: this.id,
      host: this.ref.host,
      pid: this.ref.pid,
      concurrency: this.concurrency,
      tags: this.tags,
      queues: this.queueNames,
      running: this.jobs.runningInfo(),
      startedAt: this.startedAt.toISOString(),
      heartbeatAt: new Date().toISOString(),
      ...(this.options.version ? { version: this.options.version } : {}),
    };
  }

  /**
   * Stops taking jobs. Running tasks finish first, unless `handBack`: then they are stopped and their
   * jobs go back to their queues for other workers. Calling it again with `handBack` escalates.
   */
  close(options: { handBack?: boolean } = {}): Promise<void> {
    if (options.handBack) this.jobs.handBackAll();
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    clearInterval(this.heartbeat);
    await Promise.allSettled(this.workers.map((w) => w.close()));
    await removeHeartbeat(this.client, this.keys, this.id).catch(() => {});
    this.subscriber.disconnect();
    await this.client.quit().catch(() => this.client.disconnect());
  }

  private beat(): Promise<void> {
    const interval = this.options.heartbeatInterval ?? 5000;
    return writeHeartbeat(this.client, this.keys, this.info(), interval * 3);
  }

  private reply(job: Job, message: ExecutionMessage): void {
    const data = job.data as { executionId?: unknown };
    if (typeof data.executionId !== 'string') return;
    this.client
      .publish(this.keys.executionChannel(data.executionId), JSON.stringify(message))
      .catch(() => {});
  }

  private async process(job: Job, token: string | undefined): Promise<JobResult> {
    if (this.jobs.size >= this.concurrency || this.closing) {
      await job.moveToDelayed(Date.now() + HAND_BACK_DELAY, token);
      throw new (bullmqLib().DelayedError)();
    }
    const payload = decodePayload(job.data);
    const running: RunningJob = this.jobs.begin(job, payload);
    const timeout = payload.timeout;
    const timer =
      timeout === undefined
        ? undefined
        : setTimeout(
            () => running.controller.abort(new TaskTimeoutError(payload.taskId, timeout)),
            timeout + Math.max(2000, payload.killGracePeriod),
          );
    try {
      const result = await this.jobs.run(running, payload);
      if (running.handBack) {
        await job.moveToDelayed(Date.now(), token);
        throw new (bullmqLib().DelayedError)();
      }
      return result;
    } finally {
      clearTimeout(timer);
      this.jobs.end(running);
    }
  }
}
