/**
 * {@link createExecutionBackend}: the execution backend described by the distributed settings (the
 * `[distributed]` section, `JORM_*` variables and `--backend`/`--redis`/`--queue` flags).
 * @module
 */

import { type ExecutionBackend, LocalBackend } from '../engine/backend.js';
import { assertNever } from '../model/task.js';
import { BullMQBackend } from './bullmq-backend.js';
import { listWorkers } from './heartbeat.js';
import { DEFAULT_PREFIX, JormKeys } from './keys.js';
import { createRedisClient, DEFAULT_REDIS_URL } from './redis.js';
import type { DistributedSettings } from './settings.js';

/**
 * The backend the settings ask for: `local` (the default) or `bullmq`. The payload key, a secret, is
 * read from `JORM_PAYLOAD_KEY` only (never from a configuration file), unless the settings carry one.
 */
export function createExecutionBackend(
  settings: DistributedSettings = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
): ExecutionBackend {
  const name = settings.backend ?? 'local';
  switch (name) {
    case 'local':
      return new LocalBackend();
    case 'bullmq': {
      const payloadKey = settings.payloadKey ?? env['JORM_PAYLOAD_KEY'];
      return new BullMQBackend({
        connection: settings.redisUrl ?? DEFAULT_REDIS_URL,
        ...(settings.queueName ? { queueName: settings.queueName } : {}),
        ...(settings.prefix ? { prefix: settings.prefix } : {}),
        ...(settings.unreachableTimeout ? { unreachableTimeout: settings.unreachableTimeout } : {}),
        ...(payloadKey ? { payloadKey } : {}),
      });
    }
    default:
      return assertNever(name);
  }
}

/**
 * The total concurrency of the live workers (from their heartbeats), or `undefined` when none is alive
 * or Redis does not answer. A coordinator may use it as its default number of tasks in flight.
 */
export async function liveWorkerConcurrency(settings: DistributedSettings = {}): Promise<number | undefined> {
  const client = createRedisClient(settings.redisUrl ?? DEFAULT_REDIS_URL, {
    failFast: true,
    name: 'jorm-probe',
  });
  try {
    const workers = await listWorkers(client, new JormKeys(settings.prefix ?? DEFAULT_PREFIX));
    const total = workers.reduce((sum, w) => sum + w.concurrency, 0);
    return total > 0 ? total : undefined;
  } catch {
    return undefined;
  } finally {
    client.disconnect();
  }
}
