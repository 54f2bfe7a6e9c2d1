/**
 * {@link OutageGuard}: bounds every wait on Redis by the backend's outage limit — a promise that would
 * wait for a Redis that stays away longer than the limit rejects with a `RedisUnavailableError` then.
 * @module
 */

import type { RedisUnavailableError } from './errors.js';

/** Races promises against the expiry of an outage. */
export class OutageGuard {
  private readonly waiters = new Set<(error: Error) => void>();

  constructor(
    /** Whether the current outage has outlasted the limit. */
    private readonly expired: () => boolean,
    private readonly error: () => RedisUnavailableError,
  ) {}

  /** `promise`, or the outage error when the outage outlasts the limit first. */
  guard<T>(promise: Promise<T>): Promise<T> {
    if (this.expired()) return Promise.reject(this.error());
    let waiter: ((error: Error) => void) | undefined;
    const outage = new Promise<never>((_, reject) => {
      waiter = reject;
      this.waiters.add(reject);
    });
    return Promise.race([promise, outage]).finally(() => {
      if (waiter) this.waiters.delete(waiter);
    });
  }

  /** The outage outlasted the limit: every guarded wait fails with `error`. */
  expire(error: RedisUnavailableError): void {
    for (const waiter of [...this.waiters]) waiter(error);
  }
}
