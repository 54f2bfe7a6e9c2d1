/**
 * The JSON form of results (what `jorm run --json` prints): camelCase keys, durations in milliseconds as
 * `…Ms` fields, timestamps as ISO-8601 strings, statuses as lowercase strings, errors as `{ code, message }`.
 * @module
 */

import type { ExecutorError } from '../model/errors.js';
import type { ExecutionMetrics, ExecutionResult, ResourceUsage, TaskResult } from '../model/result.js';

/** An error in JSON. */
export interface ErrorJson {
  code: string;
  message: string;
}

/** A {@link TaskResult} in JSON. */
export interface TaskResultJson {
  taskId: string;
  status: string;
  startedAt: string;
  completedAt: string;
  durationMs: number;
  stdout: string;
  stderr: string;
  exitCode: number | null;
  retryCount: number;
  outputData?: unknown;
  errorMessage?: string;
  error?: ErrorJson;
  metadata: Record<string, string>;
}

/** A resource usage sample in JSON. */
export interface ResourceUsageJson {
  cpuPercent: number;
  memoryPercent: number;
  runningTasks: number;
  queuedTasks: number;
  timestamp: string;
}

/** {@link ExecutionMetrics} in JSON: the counts as they are, durations named `…Ms`. */
export type ExecutionMetricsJson = Omit<
  ExecutionMetrics,
  'totalExecutionTime' | 'taskExecutionTimes' | 'taskWaitTimes' | 'resourceUsageSamples'
> & {
  totalExecutionTimeMs: number;
  taskExecutionTimesMs: Record<string, number>;
  taskWaitTimesMs: Record<string, number>;
  resourceUsageSamples: ResourceUsageJson[];
};

/** An {@link ExecutionResult} in JSON. */
export interface ExecutionResultJson {
  dagId: string;
  executionId: string;
  status: string;
  startedAt: string;
  completedAt: string | null;
  totalDurationMs: number | null;
  taskResults: Record<string, TaskResultJson>;
  metrics: ExecutionMetricsJson;
}

/** An error as `{ code, message }`. */
export function errorToJson(error: ExecutorError): ErrorJson {
  return { code: error.code, message: error.message };
}

/** A task result in its JSON form. */
export function taskResultToJson(result: TaskResult): TaskResultJson {
  const json: TaskResultJson = {
    taskId: result.taskId,
    status: result.status,
    startedAt: result.startedAt.toISOString(),
    completedAt: result.completedAt.toISOString(),
    durationMs: result.duration,
    stdout: result.stdout,
    stderr: result.stderr,
    exitCode: result.exitCode,
    retryCount: result.retryCount,
    metadata: { ...result.metadata },
  };
  if (result.outputData !== undefined) json.outputData = result.outputData;
  if (result.errorMessage !== undefined) json.errorMessage = result.errorMessage;
  if (result.error) json.error = errorToJson(result.error);
  return json;
}

/** Metrics in their JSON form. */
export function metricsToJson(metrics: ExecutionMetrics): ExecutionMetricsJson {
  return {
    totalTasks: metrics.totalTasks,
    successfulTasks: metrics.successfulTasks,
    failedTasks: metrics.failedTasks,
    skippedTasks: metrics.skippedTasks,
    cancelledTasks: metrics.cancelledTasks,
    timedOutTasks: metrics.timedOutTasks,
    peakConcurrentTasks: metrics.peakConcurrentTasks,
    totalExecutionTimeMs: metrics.totalExecutionTime,
    taskExecutionTimesMs: { ...metrics.taskExecutionTimes },
    taskWaitTimesMs: { ...metrics.taskWaitTimes },
    criticalPath: [...metrics.criticalPath],
    resourceUsageSamples: metrics.resourceUsageSamples.map(resourceUsageToJson),
  };
}

function resourceUsageToJson(sample: ResourceUsage): ResourceUsageJson {
  return {
    cpuPercent: sample.cpuPercent,
    memoryPercent: sample.memoryPercent,
    runningTasks: sample.runningTasks,
    queuedTasks: sample.queuedTasks,
    timestamp: sample.timestamp.toISOString(),
  };
}

/** An execution result in its JSON form (pass it to `JSON.stringify`). */
export function executionResultToJson(result: ExecutionResult): ExecutionResultJson {
  const taskResults: Record<string, TaskResultJson> = {};
  for (const [id, task] of Object.entries(result.taskResults)) taskResults[id] = taskResultToJson(task);
  return {
    dagId: result.dagId,
    executionId: result.executionId,
    status: result.status,
    startedAt: result.startedAt.toISOString(),
    completedAt: result.completedAt ? result.completedAt.toISOString() : null,
    totalDurationMs: result.totalDuration ?? null,
    taskResults,
    metrics: metricsToJson(result.metrics),
  };
}
