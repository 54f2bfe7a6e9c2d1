/**
 * Retry delays as pure functions: the backoff strategies, the `maxDelay` cap and a little jitter.
 *
 * With `initialDelay` d, `multiplier` m and the n-th retry (n = 1 for the first retry):
 * - `fixed`: d
 * - `linear`: d × n
 * - `exponential`: d × m^(n−1)
 *
 * The result is capped by `maxDelay`; jitter then adds up to {@link DEFAULT_JITTER_RATIO} of the delay,
 * never going above `maxDelay`, so that tasks failing together do not retry in lockstep.
 * @module
 */

import type { BackoffStrategy } from '../model/task.js';

/** The parts of a retry policy a delay depends on. Durations are milliseconds. */
export interface BackoffPolicy {
  backoff: BackoffStrategy;
  initialDelay: number;
  maxDelay: number;
  multiplier: number;
}

/** Largest jitter as a fraction of the delay. @defaultValue 0.1 */
export const DEFAULT_JITTER_RATIO = 0.1;

/**
 * The delay before the `retry`-th retry (1 for the first), capped by `maxDelay`, without jitter.
 * @returns milliseconds, 0 or more.
 */
export function backoffDelay(policy: BackoffPolicy, retry: number): number {
  const n = Math.max(1, Math.floor(retry));
  const base = Math.max(0, policy.initialDelay);
  let raw: number;
  switch (policy.backoff) {
    case 'fixed':
      raw = base;
      break;
    case 'linear':
      raw = base * n;
      break;
    case 'exponential':
      raw = base * Math.max(1, policy.multiplier) ** (n - 1);
      break;
  }
  if (!Number.isFinite(raw)) raw = Number.POSITIVE_INFINITY;
  return Math.min(raw, Math.max(0, policy.maxDelay));
}

/**
 * Adds jitter to a delay: `delay + delay × ratio × random`, capped by `maxDelay`.
 * @param random a number in [0, 1), e.g. `Math.random()`.
 */
export function withJitter(
  delay: number,
  maxDelay: number,
  random: number,
  ratio: number = DEFAULT_JITTER_RATIO,
): number {
  const jittered = delay + delay * ratio * Math.min(Math.max(random, 0), 1);
  return Math.round(Math.min(jittered, Math.max(delay, maxDelay)));
}

/** The delay before the `retry`-th retry, with jitter from `random` (default `Math.random`). */
export function retryDelay(policy: BackoffPolicy, retry: number, random: () => number = Math.random): number {
  return withJitter(backoffDelay(policy, retry), policy.maxDelay, random());
}
