/**
 * Names in Redis: the BullMQ queue a task is routed to, the queues a worker listens on, and jorm's own
 * keys and channels beside BullMQ's.
 *
 * Routing: a task goes to the queue `<base>` when it has no tags, or `<base>@<tag>+<tag>…` (tags sorted,
 * without duplicates) when it has some; `<base>` is the task's `queue` or the backend's queue name. A
 * worker with tags `T` listens on the route of every subset of `T`, so it takes the tasks that need
 * no tag, and those whose tags it all has.
 * @module
 */

import { ConfigurationError } from '../model/errors.js';

/** The default queue name of the backend and the workers. */
export const DEFAULT_QUEUE_NAME = 'jorm';

/** The default key prefix (BullMQ's `prefix`): every key jorm writes starts with `<prefix>:`. */
export const DEFAULT_PREFIX = 'jorm';

/** At most this many queues per worker (one BullMQ worker, with its own connection, each). */
export const MAX_WORKER_QUEUES = 64;

const NAME_RE = /^[A-Za-z0-9_.-]+$/;

/** Throws a `ConfigurationError` when `name` cannot be a queue name, a tag or a prefix. */
export function checkName(kind: 'queue' | 'tag' | 'prefix', name: string): string {
  if (!NAME_RE.test(name) || name.startsWith('__')) {
    throw new ConfigurationError(
      `${kind} "${name}" is not a valid ${kind} name: use letters, digits, "_", "." and "-" (not starting with "__")`,
      kind,
      name,
    );
  }
  return name;
}

/** Tags sorted, without duplicates, each checked. */
export function normalizeTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((t) => checkName('tag', t.trim())))].sort();
}

/** The queue a task with these tags (and optional own queue) is sent to. */
export function routeQueueName(base: string, tags: readonly string[]): string {
  const sorted = normalizeTags(tags);
  return sorted.length === 0 ? base : `${base}@${sorted.join('+')}`;
}

/** Every queue a worker with these base queues and tags listens on (each base × every subset of tags). */
export function workerQueueNames(bases: readonly string[], tags: readonly string[]): string[] {
  const sorted = normalizeTags(tags);
  const count = bases.length * 2 ** sorted.length;
  if (count > MAX_WORKER_QUEUES) {
    throw new ConfigurationError(
      `a worker with ${bases.length} queue(s) and ${sorted.length} tag(s) would listen on ${count} queues (at most ${MAX_WORKER_QUEUES}): use fewer tags`,
      'tags',
      sorted.join(','),
    );
  }
  const names: string[] = [];
  for (const base of bases) {
    checkName('queue', base);
    for (let mask = 0; mask < 2 ** sorted.length; mask++) {
      names.push(
        routeQueueName(
          base,
          sorted.filter((_, i) => (mask >> i) & 1),
        ),
      );
    }
  }
  return [...new Set(names)];
}

/** jorm's own keys and channels under a prefix (beside BullMQ's `<prefix>:<queue>:…` keys). */
export class JormKeys {
  private readonly root: string;

  constructor(readonly prefix: string = DEFAULT_PREFIX) {
    checkName('prefix', prefix);
    this.root = `${prefix}:__jorm__`;
  }

  /** A worker's heartbeat (a JSON string with a TTL). */
  worker(workerId: string): string {
    return `${this.root}:worker:${workerId}`;
  }

  /** The `SCAN` pattern of every heartbeat. */
  get workerPattern(): string {
    return `${this.root}:worker:*`;
  }

  /** Set while a job is to be cancelled, for a worker that takes the job after the cancel message. */
  cancel(jobId: string): string {
    return `${this.root}:cancel:${jobId}`;
  }

  /** The channel every worker listens on for cancellations. */
  get cancelChannel(): string {
    return `${this.root}:cancel`;
  }

  /** The channel of an execution: output chunks and results sent by workers to the coordinator. */
  executionChannel(executionId: string): string {
    return `${this.root}:exec:${executionId}`;
  }
}
