/**
 * Settings of the distributed backend from `JORM_*` environment variables (the CLI and the config
 * file's `[distributed]` section lie above them).
 *
 * | variable | meaning |
 * |---|---|
 * | `JORM_BACKEND` | `local` or `bullmq` |
 * | `JORM_REDIS_URL` | Redis URL |
 * | `JORM_QUEUE` | base queue name |
 * | `JORM_REDIS_PREFIX` | key prefix |
 * | `JORM_REDIS_UNREACHABLE_TIMEOUT` | how long Redis may be unreachable (`60s`) |
 * | `JORM_PAYLOAD_KEY` | key shared by coordinator and workers to encrypt job bodies |
 * @module
 */

import { parseUserDuration } from '../model/duration.js';
import { ConfigurationError } from '../model/errors.js';

/** The execution backends. */
export type BackendName = 'local' | 'bullmq';

/** Distributed settings, each optional (unset: the defaults). Durations are ms. */
export interface DistributedSettings {
  backend?: BackendName;
  redisUrl?: string;
  queueName?: string;
  prefix?: string;
  unreachableTimeout?: number;
  payloadKey?: string;
}

/** Checks a backend name. */
export function parseBackendName(value: string, field = 'backend'): BackendName {
  if (value === 'local' || value === 'bullmq') return value;
  throw new ConfigurationError(`${field} must be "local" or "bullmq", got "${value}"`, field, value);
}

/** Parses a duration written by a user (`30s`, `2m`, a bare number is seconds). */
export function parseDurationSetting(value: string | number, field: string): number {
  const ms = parseUserDuration(value);
  if (ms === undefined || ms <= 0) {
    throw new ConfigurationError(
      `${field} must be a positive duration such as 30s or 2m, got "${value}"`,
      field,
      String(value),
    );
  }
  return ms;
}

/** The distributed settings given by `JORM_*` variables. */
export function distributedSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): DistributedSettings {
  const settings: DistributedSettings = {};
  const get = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value === '' ? undefined : value;
  };
  const backend = get('JORM_BACKEND');
  if (backend) settings.backend = parseBackendName(backend, 'JORM_BACKEND');
  const url = get('JORM_REDIS_URL');
  if (url) settings.redisUrl = url;
  const queue = get('JORM_QUEUE');
  if (queue) settings.queueName = queue;
  const prefix = get('JORM_REDIS_PREFIX');
  if (prefix) settings.prefix = prefix;
  const limit = get('JORM_REDIS_UNREACHABLE_TIMEOUT');
  if (limit) settings.unreachableTimeout = parseDurationSetting(limit, 'JORM_REDIS_UNREACHABLE_TIMEOUT');
  const key = get('JORM_PAYLOAD_KEY');
  if (key) settings.payloadKey = key;
  return settings;
}
