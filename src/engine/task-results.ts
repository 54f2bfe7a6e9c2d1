/**
 * Building {@link TaskResult}s: from an attempt's outcome (or what it threw), and for tasks that never ran
 * (skipped, cancelled, rejected). Every text that leaves here is masked.
 * @module
 */

import { formatDuration } from '../model/duration.js';
import {
  CancelledError,
  type ExecutorError,
  errorMessage,
  RetryLimitExceededError,
  TaskExecutionFailedError,
  TaskTimeoutError,
  toExecutorError,
} from '../model/errors.js';
import type { TaskResult, TaskStatus } from '../model/result.js';
import type { Attempt } from './attempt.js';
import { outcomeSucceeded, type TaskOutcome } from './task-executor.js';

/** The result of one attempt that ended with `outcome`, or by throwing `thrown` when `outcome` is undefined. */
export function attemptResult(
  attempt: Attempt,
  outcome: TaskOutcome | undefined,
  thrown: unknown,
  retryCount: number,
  maskValue?: <T>(value: T) => T,
): TaskResult {
  const mask = attempt.mask;
  const completedAt = Date.now();
  let status: TaskStatus;
  let error: ExecutorError | undefined;
  let message: string | undefined;
  const reason = attempt.abortReason;
  if (reason) {
    status = reason instanceof TaskTimeoutError ? 'timed_out' : 'cancelled';
    error = reason;
    message =
      reason instanceof TaskTimeoutError
        ? `timed out after ${formatDuration(reason.timeout)}`
        : reason.message;
  } else if (outcome) {
    if (outcomeSucceeded(outcome)) {
      status = 'success';
    } else {
      status = 'failed';
      const code = outcome.exitCode;
      message = outcome.errorMessage
        ? mask(outcome.errorMessage)
        : code !== undefined && code !== null
          ? `exited with code ${code}`
          : 'failed';
      error = new TaskExecutionFailedError(attempt.taskId, message);
    }
  } else {
    status = 'failed';
    message = mask(errorMessage(thrown));
    const converted = toExecutorError(thrown, attempt.taskId);
    error =
      mask(converted.message) === converted.message
        ? converted
        : new TaskExecutionFailedError(attempt.taskId, message);
  }
  const result: TaskResult = {
    taskId: attempt.taskId,
    status,
    startedAt: new Date(attempt.startedAt),
    completedAt: new Date(completedAt),
    duration: completedAt - attempt.startedAt,
    stdout: outcome?.stdout ? mask(outcome.stdout) : '',
    stderr: outcome?.stderr ? mask(outcome.stderr) : '',
    exitCode: outcome?.exitCode ?? null,
    retryCount,
    metadata: outcome?.metadata ? maskRecord(outcome.metadata, mask) : {},
  };
  if (outcome?.outputData !== undefined) {
    result.outputData = maskValue ? maskValue(outcome.outputData) : maskData(outcome.outputData, mask);
  }
  if (message !== undefined) result.errorMessage = message;
  if (error) result.error = error;
  return result;
}

/** A task's final result after its last allowed attempt failed: the error becomes `RetryLimitExceeded`. */
export function retriesExhausted(result: TaskResult, attempts: number): TaskResult {
  const error = new RetryLimitExceededError(result.taskId, attempts, { cause: result.error });
  const last = result.errorMessage ?? result.status;
  return { ...result, error, errorMessage: `failed after ${attempts} attempts; last: ${last}` };
}

/** The result of a task that never ran (or whose retry wait was cut short). */
export function notRunResult(
  taskId: string,
  status: 'skipped' | 'cancelled' | 'failed',
  message: string,
  error: ExecutorError | undefined,
  retryCount = 0,
): TaskResult {
  const now = new Date();
  const result: TaskResult = {
    taskId,
    status,
    startedAt: now,
    completedAt: now,
    duration: 0,
    stdout: '',
    stderr: '',
    exitCode: null,
    retryCount,
    errorMessage: message,
    metadata: {},
  };
  if (error) result.error = error;
  return result;
}

/** The error of a cancelled execution: `reason` when it is a `CancelledError`, else one wrapping it. */
export function executionCancelled(reason: unknown, executionId: string): CancelledError {
  if (reason instanceof CancelledError) return reason;
  return new CancelledError('execution cancelled', { cause: reason, context: { executionId } });
}

/** The error of a task cancelled because its execution was. */
export function taskCancelled(taskId: string, cause: ExecutorError): CancelledError {
  return new CancelledError(`task "${taskId}" cancelled: ${cause.message}`, {
    cause,
    context: { taskId },
  });
}

function maskRecord(record: Record<string, string>, mask: (text: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(record)) {
    const value = record[key];
    out[key] = typeof value === 'string' ? mask(value) : String(value);
  }
  return out;
}

/** Masks secrets inside structured output (through its JSON form; unchanged data is returned as is). */
function maskData(data: unknown, mask: (text: string) => string): unknown {
  let json: string | undefined;
  try {
    json = JSON.stringify(data);
  } catch {
    return data;
  }
  if (json === undefined) return data;
  const masked = mask(json);
  if (masked === json) return data;
  try {
    return JSON.parse(masked) as unknown;
  } catch {
    return masked;
  }
}
