/**
 * Outcomes as data: statuses, {@link TaskResult}, {@link ExecutionResult} and {@link ExecutionMetrics}.
 * @module
 */

import type { ExecutorError } from './errors.js';

/** The state of one task. Terminal states: success, failed, skipped, cancelled, timed_out. */
export type TaskStatus = 'pending' | 'running' | 'success' | 'failed' | 'skipped' | 'cancelled' | 'timed_out';

/** The state of one execution. */
export type ExecutionStatus = 'running' | 'success' | 'failed' | 'cancelled';

/** Whether a task status is final. */
export function isTerminalTaskStatus(status: TaskStatus): boolean {
  return status !== 'pending' && status !== 'running';
}

/** The result of one task (its last attempt, with the number of retries made). */
export interface TaskResult {
  taskId: string;
  status: TaskStatus;
  startedAt: Date;
  completedAt: Date;
  /** Milliseconds. */
  duration: number;
  stdout: string;
  stderr: string;
  exitCode: number | null;
  /** Retries made after the first attempt. */
  retryCount: number;
  /** Structured output (JSON stdout, a Python function's return value, an HTTP JSON body). */
  outputData?: unknown;
  errorMessage?: string;
  /** The error behind a non-success status, when there is one. */
  error?: ExecutorError;
  metadata: Record<string, string>;
}

/** One resource usage sample (the reference's `ResourceUsage`). */
export interface ResourceUsage {
  cpuPercent: number;
  memoryPercent: number;
  runningTasks: number;
  queuedTasks: number;
  timestamp: Date;
}

/** Metrics of one execution. Times are milliseconds. */
export interface ExecutionMetrics {
  totalTasks: number;
  successfulTasks: number;
  failedTasks: number;
  skippedTasks: number;
  cancelledTasks: number;
  timedOutTasks: number;
  peakConcurrentTasks: number;
  totalExecutionTime: number;
  /** Run time per task (its last attempt). */
  taskExecutionTimes: Record<string, number>;
  /**
   * Time each task waited between ready (all dependencies done) and started, when it was held back (no
   * free slot, its serial type busy, throttling); 0 for a task the scheduler started as soon as it was
   * ready, whatever the engine's own handling took.
   */
  taskWaitTimes: Record<string, number>;
  /** The chain of tasks that determined the execution's duration, first to last. */
  criticalPath: string[];
  resourceUsageSamples: ResourceUsage[];
}

/** The result of a DAG execution. */
export interface ExecutionResult {
  dagId: string;
  executionId: string;
  status: ExecutionStatus;
  startedAt: Date;
  completedAt?: Date;
  /** Milliseconds. */
  totalDuration?: number;
  /** One result per task of the DAG, in declaration order. */
  taskResults: Record<string, TaskResult>;
  metrics: ExecutionMetrics;
}

/** An empty metrics record. */
export function emptyMetrics(): ExecutionMetrics {
  return {
    totalTasks: 0,
    successfulTasks: 0,
    failedTasks: 0,
    skippedTasks: 0,
    cancelledTasks: 0,
    timedOutTasks: 0,
    peakConcurrentTasks: 0,
    totalExecutionTime: 0,
    taskExecutionTimes: {},
    taskWaitTimes: {},
    criticalPath: [],
    resourceUsageSamples: [],
  };
}
