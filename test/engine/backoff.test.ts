import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type BackoffPolicy, backoffDelay, retryDelay, withJitter } from '../../src/engine/backoff.js';
import { fromExecutorRetry, NO_RETRY, retryPolicyOf, shouldRetry } from '../../src/engine/retry-policy.js';
import { DEFAULT_TASK_RETRY, Task } from '../../src/model/task.js';

const policy = (
  backoff: BackoffPolicy['backoff'],
  initialDelay = 100,
  maxDelay = 10_000,
  multiplier = 2,
) => ({
  backoff,
  initialDelay,
  maxDelay,
  multiplier,
});

describe('backoff', () => {
  it('computes fixed, linear and exponential delays', () => {
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => backoffDelay(policy('fixed'), n)),
      [100, 100, 100, 100],
    );
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => backoffDelay(policy('linear'), n)),
      [100, 200, 300, 400],
    );
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => backoffDelay(policy('exponential', 100, 10_000, 3), n)),
      [100, 300, 900, 2700],
    );
  });

  it('caps every delay at maxDelay, even for huge retry numbers', () => {
    assert.equal(backoffDelay(policy('exponential', 1000, 5000), 4), 5000);
    assert.equal(backoffDelay(policy('exponential', 1000, 5000), 10_000), 5000);
    assert.equal(backoffDelay(policy('linear', 1000, 2500), 3), 2500);
  });

  it('adds at most 10% jitter and never exceeds maxDelay', () => {
    assert.equal(withJitter(1000, 10_000, 0), 1000);
    assert.equal(withJitter(1000, 10_000, 0.5), 1050);
    assert.equal(withJitter(1000, 1020, 0.9), 1020);
    fc.assert(
      fc.property(
        fc.constantFrom<BackoffPolicy['backoff']>('fixed', 'linear', 'exponential'),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.double({ min: 1, max: 5, noNaN: true }),
        fc.integer({ min: 1, max: 50 }),
        fc.double({ min: 0, max: 0.999_999, noNaN: true }),
        (backoff, initialDelay, extra, multiplier, retry, random) => {
          const p = policy(backoff, initialDelay, initialDelay + extra, multiplier);
          const base = backoffDelay(p, retry);
          const delay = retryDelay(p, retry, () => random);
          assert.ok(base <= p.maxDelay);
          assert.ok(delay >= Math.floor(base) && delay <= Math.min(p.maxDelay, Math.ceil(base * 1.1)));
          if (backoff !== 'fixed') assert.ok(backoffDelay(p, retry + 1) >= base);
        },
      ),
    );
  });
});

describe('retry policy', () => {
  it('prefers the task policy over the executor policy', () => {
    const task = new Task('a', 'a', 'x', { kind: 'custom', values: {} });
    const executorLevel = fromExecutorRetry({
      maxAttempts: 4,
      initialDelay: 10,
      maxDelay: 100,
      useExponential: false,
    });
    assert.equal(retryPolicyOf(task, undefined), NO_RETRY);
    assert.deepEqual(retryPolicyOf(task, executorLevel), {
      maxAttempts: 4,
      initialDelay: 10,
      maxDelay: 100,
      backoff: 'fixed',
      multiplier: 2,
      retryOnTimeout: true,
    });
    task.withRetry({ maxAttempts: 2 });
    assert.deepEqual(retryPolicyOf(task, executorLevel), { ...DEFAULT_TASK_RETRY, maxAttempts: 2 });
  });

  it('retries failures and timeouts within maxAttempts, filtered by exit codes and retryOnTimeout', () => {
    const p = { ...DEFAULT_TASK_RETRY, maxAttempts: 3 };
    assert.equal(shouldRetry(p, 1, 'failed', 1), true);
    assert.equal(shouldRetry(p, 3, 'failed', 1), false);
    assert.equal(shouldRetry(p, 1, 'timed_out', null), true);
    assert.equal(shouldRetry({ ...p, retryOnTimeout: false }, 1, 'timed_out', null), false);
    assert.equal(shouldRetry(p, 1, 'cancelled', null), false);
    assert.equal(shouldRetry(p, 1, 'success', 0), false);
    const codes = { ...p, retryOnExitCodes: [75, 111] };
    assert.equal(shouldRetry(codes, 1, 'failed', 75), true);
    assert.equal(shouldRetry(codes, 1, 'failed', 1), false);
    assert.equal(shouldRetry(codes, 1, 'failed', null), false);
  });
});
