/**
 * {@link BullMQBackend}: runs attempts on `jorm worker` processes through BullMQ queues on Redis.
 *
 * One job per attempt, on the queue of the task's route (see `keys.ts`). Workers send output and
 * results on the execution's Redis channel; the backend also checks its pending jobs in BullMQ every
 * few seconds and after a Redis outage (a missed message, a job Redis lost when it restarted empty).
 * @module
 */

import type { JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ExecutionBackend } from '../engine/backend.js';
import type { ExecutionContext, TaskExecutor, TaskOutcome } from '../engine/task-executor.js';
import { bullmqLib } from '../libraries.js';
import { CancelledError, errorMessage, TaskTimeoutError } from '../model/errors.js';
import type { Task } from '../model/task.js';
import { Adopter, type Adoption } from './adoption.js';
import { RedisUnavailableError, RemoteJobError } from './errors.js';
import { ExecutionChannels } from './execution-channels.js';
import { buildPayload, defaultJobOptions, jobIdOf } from './job-builder.js';
import { checkName, DEFAULT_PREFIX, DEFAULT_QUEUE_NAME, JormKeys, routeQueueName } from './keys.js';
import { OutageGuard } from './outage-guard.js';
import { type CancelMessage, decodeExecutionMessage, type JobPayload } from './payload.js';
import { PayloadCipher } from './payload-crypto.js';
import { PendingAttempt } from './pending-attempt.js';
import { reconcileAttempts } from './reconcile.js';
import { ConnectionWatch, createRedisClient, redactRedisUrl } from './redis.js';

/** BullMQ states of a job that no worker has taken yet. */
const NOT_TAKEN: ReadonlySet<string> = new Set(['waiting', 'delayed', 'prioritized', 'waiting-children']);

/** Options of {@link BullMQBackend}. Durations are ms. */
export interface BullMQBackendOptions {
  /** The Redis URL, `redis://[user:password@]host[:port][/db]`. */
  connection: string;
  /** The base queue name (a task's `queue` replaces it). @defaultValue `'jorm'` */
  queueName?: string;
  /** BullMQ's key prefix; coordinator and workers must use the same. @defaultValue `'jorm'` */
  prefix?: string;
  /** BullMQ job options merged over jorm's (one attempt, finished jobs kept 24 h). */
  jobOptions?: JobsOptions;
  /** How long Redis may be unreachable before pending and new attempts fail. @defaultValue 60000 */
  unreachableTimeout?: number;
  /** How often pending jobs are checked in BullMQ. @defaultValue 5000 */
  reconcileInterval?: number;
  /** After a cancel, how long to wait (beyond the kill grace period) for the worker's confirmation. @defaultValue 1500 */
  cancelWait?: number;
  /** A key shared with the workers to encrypt job bodies (see docs/distributed.md). */
  payloadKey?: string;
}

/** Hands attempts to `jorm worker` processes through BullMQ. */
export class BullMQBackend implements ExecutionBackend {
  readonly name = 'bullmq';
  /** The Redis URL with its password redacted. */
  readonly url: string;
  private readonly queueName: string;
  private readonly keys: JormKeys;
  private readonly client: Redis;
  private readonly subscriber: Redis;
  private readonly queues = new Map<string, Queue>();
  private readonly pending = new Map<string, PendingAttempt>();
  private readonly channels: ExecutionChannels;
  private readonly adopter = new Adopter();
  /** The coordinator's own environment, read once. */
  private readonly baseEnvironment: Record<string, string> = {};
  private readonly watch: ConnectionWatch;
  private readonly outage: OutageGuard;
  private readonly cipher: PayloadCipher | undefined;
  private readonly jobOptions: JobsOptions;
  private readonly limit: number;
  private readonly cancelWait: number;
  private readonly timer: NodeJS.Timeout;
  private closed = false;

  constructor(options: BullMQBackendOptions) {
    this.url = redactRedisUrl(options.connection);
    this.queueName = checkName('queue', options.queueName ?? DEFAULT_QUEUE_NAME);
    this.keys = new JormKeys(options.prefix ?? DEFAULT_PREFIX);
    this.limit = options.unreachableTimeout ?? 60_000;
    this.cancelWait = options.cancelWait ?? 1500;
    this.cipher = options.payloadKey ? new PayloadCipher(options.payloadKey) : undefined;
    this.jobOptions = { ...defaultJobOptions(), ...options.jobOptions };
    this.client = createRedisClient(options.connection, { name: 'jorm-coordinator', autoPipelining: true });
    this.subscriber = this.client.duplicate();
    this.subscriber.on('error', () => {});
    this.subscriber.on('message', (_channel: string, text: string) => this.onMessage(text));
    this.channels = new ExecutionChannels(this.subscriber, this.keys, (id) => this.adopter.forget(id));
    for (const [name, value] of Object.entries(process.env))
      if (value !== undefined) this.baseEnvironment[name] = value;
    this.outage = new OutageGuard(
      () => this.watch.expired,
      () => this.outageError(),
    );
    this.watch = new ConnectionWatch(this.client, this.limit, {
      up: () => void this.reconcile(true),
      expired: (downFor) => this.onOutageExpired(downFor),
    });
    this.timer = setInterval(() => void this.reconcile(false), options.reconcileInterval ?? 5000);
    this.timer.unref();
  }

  async runAttempt(task: Task, context: ExecutionContext, _executor: TaskExecutor): Promise<TaskOutcome> {
    context.signal.throwIfAborted();
    if (this.closed) throw new CancelledError('the bullmq backend is closed');
    if (this.watch.expired) throw this.outageError();
    const queueName = routeQueueName(task.queue ?? this.queueName, task.tags);
    const { executionId } = context;
    let found: Adoption | undefined;
    try {
      await this.outage.guard(this.channels.acquire(executionId));
      found = await this.outage.guard(
        this.adopter.adopt(this.queue(queueName), executionId, task.id, context.attempt),
      );
    } catch (error) {
      this.channels.release(executionId);
      throw error;
    }
    if (found?.kind === 'finished') {
      this.channels.release(executionId);
      return found.outcome;
    }
    let payload: JobPayload | undefined;
    try {
      payload =
        found?.kind === 'running'
          ? undefined
          : buildPayload(task, context, this.baseEnvironment, this.cipher);
    } catch (error) {
      this.channels.release(executionId);
      throw error;
    }
    const jobId = found?.kind === 'running' ? found.jobId : jobIdOf(executionId, task.id, context.attempt);
    const attempt = new PendingAttempt(jobId, queueName, task, context, (a) => {
      this.pending.delete(a.jobId);
      this.channels.release(executionId);
      context.signal.removeEventListener('abort', onAbort);
    });
    const onAbort = (): void => this.cancel(attempt);
    this.pending.set(jobId, attempt);
    context.signal.addEventListener('abort', onAbort, { once: true });
    if (!payload) {
      attempt.attached = true;
      attempt.state = 'submitted';
    } else {
      this.outage.guard(this.submit(attempt, payload)).then(
        () => {
          if (attempt.state === 'submitting') attempt.state = 'submitted';
        },
        (error: unknown) => attempt.fail(error),
      );
    }
    return attempt.promise;
  }

  /** Releases the connections. Pending attempts end with a `CancelledError`; their jobs are left alone. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.watch.stop();
    this.channels.clear();
    for (const attempt of [...this.pending.values()])
      attempt.fail(new CancelledError('the bullmq backend closed'));
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
    this.subscriber.disconnect();
    this.client.disconnect();
  }

  private queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new (bullmqLib().Queue)(name, { connection: this.client, prefix: this.keys.prefix });
      queue.on('error', () => {});
      this.queues.set(name, queue);
    }
    return queue;
  }

  private async submit(attempt: PendingAttempt, payload: JobPayload): Promise<void> {
    attempt.submittedAt = Date.now();
    await this.queue(attempt.queueName).add(attempt.context.taskId, payload, {
      ...this.jobOptions,
      jobId: attempt.jobId,
    });
  }

  private onMessage(text: string): void {
    let message: ReturnType<typeof decodeExecutionMessage>;
    try {
      message = decodeExecutionMessage(text);
    } catch {
      return; // another jorm version's message: the reconciliation picks the result up
    }
    const attempt = this.pending.get(message.j);
    if (!attempt) return;
    switch (message.k) {
      case 'out':
        attempt.output(message.s, message.c);
        break;
      case 'done':
        attempt.complete(message.r);
        break;
      case 'fail':
        attempt.fail(RemoteJobError.of(attempt, message.e));
        break;
      case 'lost':
        attempt.lost(message.n);
        break;
    }
  }

  /** Cancels a job: a waiting one is removed; a running one is killed by its worker, which confirms. */
  private cancel(attempt: PendingAttempt): void {
    const reason: unknown = attempt.context.signal.reason;
    const message: CancelMessage =
      reason instanceof TaskTimeoutError
        ? { j: attempt.jobId, r: 'timeout', t: reason.timeout }
        : { j: attempt.jobId, r: 'cancelled' };
    const text = JSON.stringify(message);
    const grace = attempt.context.killGracePeriod + this.cancelWait;
    if (this.watch.isDown) {
      attempt.fail(reason);
    } else {
      attempt.awaitCancel(grace);
    }
    this.client
      .multi()
      .set(this.keys.cancel(attempt.jobId), text, 'EX', 3600)
      .publish(this.keys.cancelChannel, text)
      .exec()
      .then(() => this.queue(attempt.queueName).getJobState(attempt.jobId))
      // Only a job no worker has taken: `remove` would also delete one a worker has just finished (on
      // the cancel message), and with it the result BullMQ keeps.
      .then((state) => (NOT_TAKEN.has(state) ? this.queue(attempt.queueName).remove(attempt.jobId) : 0))
      .then((removed) => {
        if (removed === 1) attempt.fail(reason);
      })
      .catch(() => {});
  }

  /** Checks pending jobs in BullMQ (see `reconcile.ts`). */
  private reconcile(all: boolean): Promise<void> {
    if (this.closed || this.watch.isDown) return Promise.resolve();
    return reconcileAttempts(this.pending.values(), all, {
      queue: (name) => this.queue(name),
      requeue: (attempt) => this.requeue(attempt),
    });
  }

  /** Enqueues again a job that Redis lost (it restarted without its data). */
  private async requeue(attempt: PendingAttempt): Promise<void> {
    if (attempt.state === 'cancelling' || attempt.context.signal.aborted) {
      attempt.fail(attempt.context.signal.reason);
      return;
    }
    const { context } = attempt;
    this.pending.delete(attempt.jobId);
    attempt.requeues++;
    attempt.jobId = jobIdOf(context.executionId, context.taskId, context.attempt, attempt.requeues);
    this.pending.set(attempt.jobId, attempt);
    attempt.state = 'submitting';
    await this.submit(attempt, buildPayload(attempt.task, context, this.baseEnvironment, this.cipher)).then(
      () => {
        attempt.state = 'submitted';
      },
      (error: unknown) =>
        attempt.fail(new RemoteJobError(attempt.jobId, errorMessage(error), { cause: error })),
    );
  }

  private outageError(): RedisUnavailableError {
    return new RedisUnavailableError(this.url, this.watch.downFor, this.limit);
  }

  private onOutageExpired(_downFor: number): void {
    const error = this.outageError();
    this.outage.expire(error);
    for (const attempt of [...this.pending.values()]) attempt.fail(error);
  }
}
