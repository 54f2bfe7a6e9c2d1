/**
 * {@link ResourceLimits}: the thresholds resource monitoring and throttling work with.
 * @module
 */

/** Configuration for resource limits and monitoring (the reference's `ResourceLimits`). */
export interface ResourceLimits {
  /** System CPU usage limit, 0–100. @defaultValue 80 */
  maxCpuPercent: number;
  /** System memory usage limit, 0–100. @defaultValue 80 */
  maxMemoryPercent: number;
  /** Concurrency while throttled; not above the executor's `maxConcurrentTasks`. */
  maxConcurrentTasks: number;
  /** Sampling period, ms. @defaultValue 1000 */
  monitoringInterval: number;
  /** Fraction of a limit at which throttling starts, 0–1. @defaultValue 0.9 */
  throttleThreshold: number;
}

/** Default resource limits for a machine with `cpus` cores. */
export function defaultResourceLimits(cpus: number): ResourceLimits {
  return {
    maxCpuPercent: 80,
    maxMemoryPercent: 80,
    maxConcurrentTasks: Math.max(1, Math.floor(cpus / 2)),
    monitoringInterval: 1000,
    throttleThreshold: 0.9,
  };
}
