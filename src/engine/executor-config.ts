/**
 * {@link ExecutorConfig}: how the native executor runs a DAG, with the reference's defaults.
 * @module
 */

import { availableParallelism } from 'node:os';
import { ConfigurationError } from '../model/errors.js';
import type { RetryConfig } from '../model/task.js';
import type { ResourceLimits } from '../resources/limits.js';

/** Main configuration of the executor (the reference's `ExecutorConfig`). Durations are milliseconds. */
export interface ExecutorConfig {
  /** Tasks running at once. @defaultValue the number of CPU cores */
  maxConcurrentTasks: number;
  /** Timeout of a task that sets none. @defaultValue 300000 (5 minutes) */
  defaultTimeout: number;
  /** Retry policy of tasks that set none. @defaultValue undefined (no retries) */
  retryConfig?: RetryConfig;
  /** Variables given to every task (above the parent's environment, below the DAG's). @defaultValue `{}` */
  environmentVariables: Record<string, string>;
  /** Whether tasks inherit jorm's own environment. @defaultValue true */
  inheritEnvironment: boolean;
  /** Where tasks run, and what relative paths are relative to. @defaultValue the current directory */
  workingDirectory?: string;
  resourceLimits?: ResourceLimits;
  /** Lower concurrency and hold tasks when CPU or memory is high. @defaultValue false */
  enableResourceThrottling: boolean;
  /** The configuration profile in use, if any. */
  profile?: string;
  /** Stop starting tasks at the first failure and cancel the running ones. @defaultValue false */
  failFast: boolean;
  /** Time between SIGTERM and SIGKILL when a task is killed, ms. @defaultValue 5000 */
  killGracePeriod: number;
  /** Bytes of each output stream kept in memory per attempt (the tail). @defaultValue 1048576 */
  outputLimit: number;
}

/** The default configuration. */
export function defaultExecutorConfig(): ExecutorConfig {
  return {
    maxConcurrentTasks: availableParallelism(),
    defaultTimeout: 300_000,
    environmentVariables: {},
    inheritEnvironment: true,
    enableResourceThrottling: false,
    failFast: false,
    killGracePeriod: 5000,
    outputLimit: 1024 * 1024,
  };
}

/**
 * Fills a partial configuration with defaults and validates it.
 * @throws ConfigurationError naming the field, the value and the rule.
 */
export function resolveExecutorConfig(partial: Partial<ExecutorConfig> = {}): ExecutorConfig {
  const config: ExecutorConfig = { ...defaultExecutorConfig() };
  for (const [key, value] of Object.entries(partial)) {
    if (value !== undefined) (config as unknown as Record<string, unknown>)[key] = value;
  }
  validateExecutorConfig(config);
  return config;
}

function positiveInteger(field: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new ConfigurationError(
      `${field} must be a positive whole number, got ${value}`,
      field,
      String(value),
    );
  }
}

function positiveNumber(field: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new ConfigurationError(`${field} must be greater than 0, got ${value}`, field, String(value));
  }
}

/** Validates a complete configuration. @throws ConfigurationError */
export function validateExecutorConfig(config: ExecutorConfig): void {
  positiveInteger('maxConcurrentTasks', config.maxConcurrentTasks);
  positiveNumber('defaultTimeout', config.defaultTimeout);
  if (!Number.isFinite(config.killGracePeriod) || config.killGracePeriod < 0) {
    throw new ConfigurationError(
      `killGracePeriod must be 0 or more, got ${config.killGracePeriod}`,
      'killGracePeriod',
      String(config.killGracePeriod),
    );
  }
  positiveInteger('outputLimit', config.outputLimit);
  const retry = config.retryConfig;
  if (retry) {
    positiveInteger('retryConfig.maxAttempts', retry.maxAttempts);
    if (retry.initialDelay < 0) {
      throw new ConfigurationError(
        `retryConfig.initialDelay must be 0 or more, got ${retry.initialDelay}`,
        'retryConfig.initialDelay',
        String(retry.initialDelay),
      );
    }
    if (retry.maxDelay < retry.initialDelay) {
      throw new ConfigurationError(
        `retryConfig.maxDelay (${retry.maxDelay}) must not be below initialDelay (${retry.initialDelay})`,
        'retryConfig.maxDelay',
        String(retry.maxDelay),
      );
    }
  }
  const limits = config.resourceLimits;
  if (config.enableResourceThrottling && !limits) {
    throw new ConfigurationError(
      'enableResourceThrottling requires resourceLimits',
      'enableResourceThrottling',
      'true',
    );
  }
  if (limits) {
    for (const field of ['maxCpuPercent', 'maxMemoryPercent'] as const) {
      const v = limits[field];
      if (!(v > 0 && v <= 100)) {
        throw new ConfigurationError(
          `resourceLimits.${field} must be within 0–100, got ${v}`,
          `resourceLimits.${field}`,
          String(v),
        );
      }
    }
    positiveInteger('resourceLimits.maxConcurrentTasks', limits.maxConcurrentTasks);
    if (limits.maxConcurrentTasks > config.maxConcurrentTasks) {
      throw new ConfigurationError(
        `resourceLimits.maxConcurrentTasks (${limits.maxConcurrentTasks}) must not be above maxConcurrentTasks (${config.maxConcurrentTasks})`,
        'resourceLimits.maxConcurrentTasks',
        String(limits.maxConcurrentTasks),
      );
    }
    positiveNumber('resourceLimits.monitoringInterval', limits.monitoringInterval);
    if (!(limits.throttleThreshold > 0 && limits.throttleThreshold <= 1)) {
      throw new ConfigurationError(
        `resourceLimits.throttleThreshold must be within 0–1, got ${limits.throttleThreshold}`,
        'resourceLimits.throttleThreshold',
        String(limits.throttleThreshold),
      );
    }
  }
}
