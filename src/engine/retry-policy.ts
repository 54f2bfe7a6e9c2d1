/**
 * Which retry policy applies to a task, and whether a failed attempt is tried again.
 *
 * A task's own `retryConfig` (a {@link TaskRetryConfig}) overrides the executor's {@link RetryConfig};
 * the executor-level policy maps to `backoff: 'exponential'` (multiplier 2) when `useExponential` is set,
 * `'fixed'` otherwise, and retries timeouts.
 * @module
 */

import type { TaskStatus } from '../model/result.js';
import type { RetryConfig, Task, TaskRetryConfig } from '../model/task.js';

/** No retries: one attempt. */
export const NO_RETRY: Readonly<TaskRetryConfig> = Object.freeze({
  maxAttempts: 1,
  initialDelay: 0,
  maxDelay: 0,
  backoff: 'fixed',
  multiplier: 1,
  retryOnTimeout: false,
});

/** The executor-level policy in the task-level form. */
export function fromExecutorRetry(retry: RetryConfig): TaskRetryConfig {
  return {
    maxAttempts: retry.maxAttempts,
    initialDelay: retry.initialDelay,
    maxDelay: retry.maxDelay,
    backoff: retry.useExponential ? 'exponential' : 'fixed',
    multiplier: 2,
    retryOnTimeout: true,
  };
}

/** The policy of `task`: its own, else the executor's (`fallback`), else one attempt. */
export function retryPolicyOf(task: Task, fallback: TaskRetryConfig | undefined): Readonly<TaskRetryConfig> {
  return task.retryConfig ?? fallback ?? NO_RETRY;
}

/**
 * Whether an attempt that ended with `status` and `exitCode` is retried, given that `attempts` attempts
 * have been made in this run. Only `failed` and `timed_out` attempts are retried; a failure with
 * `retryOnExitCodes` set is retried only when its exit code is listed; a timeout only with `retryOnTimeout`.
 */
export function shouldRetry(
  policy: Readonly<TaskRetryConfig>,
  attempts: number,
  status: TaskStatus,
  exitCode: number | null,
): boolean {
  if (attempts >= policy.maxAttempts) return false;
  if (status === 'timed_out') return policy.retryOnTimeout;
  if (status !== 'failed') return false;
  const codes = policy.retryOnExitCodes;
  if (codes === undefined) return true;
  return exitCode !== null && codes.includes(exitCode);
}
