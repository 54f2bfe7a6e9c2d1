/**
 * The built-in configuration profiles, written as configuration tables.
 * @module
 */

/**
 * The built-in profiles. A file's `[profiles.<name>]` of the same name is applied over the built-in one.
 *
 * - `development`: verbose logs, stop at the first failure, short kill grace period.
 * - `production`: retries with exponential backoff, resource throttling at 80% CPU / 85% memory, state with
 *   checkpoints, finished executions pruned after 30 days (at most 1000 kept).
 */
export const BUILT_IN_PROFILES: Readonly<Record<string, Readonly<Record<string, unknown>>>> = Object.freeze({
  development: {
    log_level: 'debug',
    executor: { fail_fast: true, kill_grace_period: '2s' },
  },
  production: {
    log_level: 'info',
    executor: {
      fail_fast: false,
      retry_config: { max_attempts: 3, initial_delay: '1s', max_delay: '30s', use_exponential: true },
      enable_resource_throttling: true,
      resource_limits: { max_cpu_percent: 80, max_memory_percent: 85 },
    },
    state: {
      enabled: true,
      enable_checkpoints: true,
      cleanup_completed_after: '30d',
      max_execution_history: 1000,
    },
  },
});
