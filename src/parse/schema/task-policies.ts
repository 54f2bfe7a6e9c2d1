/**
 * The policy keys of tasks: `retries` / `retry` (a {@link TaskRetryConfig}) and `resources`.
 * @module
 */

import {
  type BackoffStrategy,
  DEFAULT_TASK_RETRY,
  type TaskResources,
  type TaskRetryConfig,
} from '../../model/task.js';
import type { ValueNode } from '../tree.js';
import { parseMemorySize } from '../units.js';
import { type Checker, entriesByKey } from './checker.js';

const RETRY_KEYS = [
  'max_attempts',
  'initial_delay',
  'max_delay',
  'backoff',
  'multiplier',
  'retry_on_exit_codes',
  'retry_on_timeout',
];

const BACKOFFS: readonly BackoffStrategy[] = ['fixed', 'linear', 'exponential'];

/** `retries` and `retry` as one retry policy (`undefined` when neither is written or on a problem). */
export function readRetry(
  c: Checker,
  retriesNode?: ValueNode,
  retryNode?: ValueNode,
): TaskRetryConfig | undefined {
  const retries = retriesNode ? c.int(retriesNode, 'retries', 0, 1000) : undefined;
  if (!retryNode)
    return retries === undefined ? undefined : { ...DEFAULT_TASK_RETRY, maxAttempts: retries + 1 };
  const map = c.map(retryNode, 'retry');
  if (!map) return undefined;
  c.checkKeys(map, RETRY_KEYS, 'in "retry"');
  const entries = entriesByKey(map);
  const config: TaskRetryConfig = { ...DEFAULT_TASK_RETRY };
  if (retries !== undefined) config.maxAttempts = retries + 1;
  const get = (key: string) => entries.get(key)?.value;
  let n = get('max_attempts');
  if (n) {
    if (retriesNode) {
      c.fail(
        'conflicting-keys',
        '"retries" and "retry.max_attempts" are both set',
        n.loc,
        'keep one of them',
      );
    }
    config.maxAttempts = c.int(n, 'retry.max_attempts', 1, 1001) ?? config.maxAttempts;
  }
  n = get('initial_delay');
  if (n) config.initialDelay = c.duration(n, 'retry.initial_delay', true) ?? config.initialDelay;
  n = get('max_delay');
  if (n) config.maxDelay = c.duration(n, 'retry.max_delay', true) ?? config.maxDelay;
  n = get('backoff');
  if (n) config.backoff = c.oneOf(n, 'retry.backoff', BACKOFFS) ?? config.backoff;
  n = get('multiplier');
  if (n) config.multiplier = c.number(n, 'retry.multiplier', 1) ?? config.multiplier;
  n = get('retry_on_exit_codes');
  if (n) {
    const codes = c.intList(n, 'retry.retry_on_exit_codes', 0, 255);
    if (codes) config.retryOnExitCodes = codes;
  }
  n = get('retry_on_timeout');
  if (n) config.retryOnTimeout = c.bool(n, 'retry.retry_on_timeout') ?? config.retryOnTimeout;
  return config;
}

/** The `resources` map: `cpu` (cores) and `memory` (bytes, or a size such as `512MB`). */
export function readResources(c: Checker, node: ValueNode): TaskResources | undefined {
  const map = c.map(node, 'resources');
  if (!map) return undefined;
  c.checkKeys(map, ['cpu', 'memory'], 'in "resources"');
  const entries = entriesByKey(map);
  const resources: TaskResources = {};
  const cpu = entries.get('cpu')?.value;
  if (cpu) {
    const v = c.number(cpu, 'resources.cpu', 0, false);
    if (v !== undefined) resources.cpu = v;
  }
  const memory = entries.get('memory')?.value;
  if (memory) {
    const raw = memory.kind === 'scalar' ? memory.value : undefined;
    const bytes = parseMemorySize(raw);
    if (bytes === undefined || bytes === 0) {
      c.fail(
        'wrong-type',
        `"resources.memory" must be a size such as 512MB or 2GiB, not ${memory.kind === 'scalar' ? JSON.stringify(raw) : `a ${memory.kind}`}`,
        memory.loc,
        'units: B, KB, MB, GB (powers of 1000), KiB, MiB, GiB (powers of 1024); a number is bytes',
      );
    } else resources.memory = bytes;
  }
  return resources;
}
