/**
 * The error family of jorm: one base class, {@link ExecutorError}, with a stable `code` per variant of the
 * reference's `ExecutorError` enum, a readable message, the original `cause`, and an {@link ErrorContext}.
 * @module
 */

import { type Diagnostic, formatDiagnostic } from './diagnostic.js';

/** Additional context for debugging an error (the reference's `ErrorContext`). */
export interface ErrorContext {
  dagId?: string;
  taskId?: string;
  executionId?: string;
  /** When the error was made. */
  timestamp: Date;
  metadata: Record<string, string>;
  /** Where in jorm the error passed through, outermost last (e.g. `executeDag`, `task:build`). */
  callStack: string[];
}

/** The stable codes of the error family. */
export type ErrorCode =
  | 'TASK_EXECUTION_FAILED'
  | 'DEPENDENCY_CYCLE'
  | 'TASK_TIMEOUT'
  | 'RESOURCE_LIMIT_EXCEEDED'
  | 'STATE_PERSISTENCE_ERROR'
  | 'CONFIGURATION_ERROR'
  | 'UNSUPPORTED_TASK_TYPE'
  | 'TASK_NOT_FOUND'
  | 'EXECUTION_CONTEXT_ERROR'
  | 'RETRY_LIMIT_EXCEEDED'
  | 'SEMAPHORE_ERROR'
  | 'IO_ERROR'
  | 'SERIALIZATION_ERROR'
  | 'TASK_REGISTRY_ERROR'
  | 'PARALLEL_EXECUTION_ERROR'
  | 'RECOVERY_ERROR'
  | 'VALIDATION_ERROR'
  | 'DAG_INVALID'
  | 'CANCELLED';

/** Options common to every error of the family. */
export interface ExecutorErrorOptions {
  cause?: unknown;
  context?: Partial<ErrorContext>;
}

/** The base of every error jorm throws on purpose. `instanceof ExecutorError` tells jorm's errors from bugs. */
export class ExecutorError extends Error {
  /** A stable, machine-readable code. */
  readonly code: ErrorCode;
  /** Ids and metadata that locate the error. */
  readonly context: ErrorContext;

  constructor(code: ErrorCode, message: string, options: ExecutorErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.context = {
      timestamp: new Date(),
      metadata: {},
      callStack: [],
      ...options.context,
    };
  }

  /** Adds ids to the context (only those not already set) and returns `this`. */
  withContext(context: Partial<Omit<ErrorContext, 'timestamp'>>): this {
    const own = this.context as { -readonly [K in keyof ErrorContext]: ErrorContext[K] };
    if (context.dagId !== undefined) own.dagId ??= context.dagId;
    if (context.taskId !== undefined) own.taskId ??= context.taskId;
    if (context.executionId !== undefined) own.executionId ??= context.executionId;
    if (context.metadata) Object.assign(own.metadata, context.metadata);
    if (context.callStack) own.callStack.push(...context.callStack);
    return this;
  }

  /** A plain JSON form: code, message, context and the cause's message. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      context: { ...this.context, timestamp: this.context.timestamp.toISOString() },
      ...(this.cause instanceof Error ? { cause: this.cause.message } : {}),
    };
  }
}

/** A task failed; `cause` holds why. */
export class TaskExecutionFailedError extends ExecutorError {
  constructor(
    readonly taskId: string,
    message: string,
    options: ExecutorErrorOptions = {},
  ) {
    super('TASK_EXECUTION_FAILED', `task "${taskId}" failed: ${message}`, withTask(options, taskId));
  }
}

/** The DAG has a cycle; `cycle` is the whole path, first id repeated at the end. */
export class DependencyCycleError extends ExecutorError {
  constructor(
    readonly cycle: string[],
    options: ExecutorErrorOptions = {},
  ) {
    super('DEPENDENCY_CYCLE', `dependency cycle: ${cycle.join(' -> ')}`, options);
  }
}

/** A task ran longer than its timeout and was terminated. */
export class TaskTimeoutError extends ExecutorError {
  constructor(
    readonly taskId: string,
    /** The timeout in milliseconds. */
    readonly timeout: number,
    options: ExecutorErrorOptions = {},
  ) {
    super('TASK_TIMEOUT', `task "${taskId}" timed out after ${timeout}ms`, withTask(options, taskId));
  }
}

/** A resource limit was exceeded, or a task's declared resources can never fit. */
export class ResourceLimitExceededError extends ExecutorError {
  constructor(
    readonly resource: string,
    message?: string,
    options: ExecutorErrorOptions = {},
  ) {
    super('RESOURCE_LIMIT_EXCEEDED', message ?? `resource limit exceeded: ${resource}`, options);
  }
}

/** Reading or writing the state database failed. */
export class StatePersistenceError extends ExecutorError {
  constructor(message: string, options: ExecutorErrorOptions = {}) {
    super('STATE_PERSISTENCE_ERROR', message, options);
  }
}

/** A configuration value is invalid; names the field, the value and the rule. */
export class ConfigurationError extends ExecutorError {
  constructor(
    message: string,
    readonly field?: string,
    readonly value?: string,
    options: ExecutorErrorOptions = {},
  ) {
    super('CONFIGURATION_ERROR', message, options);
  }
}

/** No executor is registered for a task type. */
export class UnsupportedTaskTypeError extends ExecutorError {
  constructor(
    readonly taskType: string,
    message?: string,
    options: ExecutorErrorOptions = {},
  ) {
    super('UNSUPPORTED_TASK_TYPE', message ?? `unsupported task type "${taskType}"`, options);
  }
}

/** A task id is not in the DAG. */
export class TaskNotFoundError extends ExecutorError {
  constructor(
    readonly taskId: string,
    message?: string,
    options: ExecutorErrorOptions = {},
  ) {
    super('TASK_NOT_FOUND', message ?? `task "${taskId}" not found`, withTask(options, taskId));
  }
}

/** The execution context could not be built (environment, working directory, interpolation). */
export class ExecutionContextError extends ExecutorError {
  constructor(message: string, options: ExecutorErrorOptions = {}) {
    super('EXECUTION_CONTEXT_ERROR', message, options);
  }
}

/** A task failed on every attempt its retry policy allowed. */
export class RetryLimitExceededError extends ExecutorError {
  constructor(
    readonly taskId: string,
    readonly attempts: number,
    options: ExecutorErrorOptions = {},
  ) {
    const last = options.cause instanceof Error ? `: ${options.cause.message}` : '';
    super(
      'RETRY_LIMIT_EXCEEDED',
      `task "${taskId}" failed after ${attempts} attempts${last}`,
      withTask(options, taskId),
    );
  }
}

/** Waiting for a concurrency slot failed (the wait was aborted). */
export class SemaphoreError extends ExecutorError {
  constructor(message: string, options: ExecutorErrorOptions = {}) {
    super('SEMAPHORE_ERROR', message, options);
  }
}

/** A file system or process operation failed. */
export class IoError extends ExecutorError {
  constructor(message: string, options: ExecutorErrorOptions = {}) {
    super('IO_ERROR', message, options);
  }
}

/** A value could not be serialized or deserialized (JSON output, stored state). */
export class SerializationError extends ExecutorError {
  constructor(message: string, options: ExecutorErrorOptions = {}) {
    super('SERIALIZATION_ERROR', message, options);
  }
}

/** The task registry was used wrongly (e.g. an executor without a task type). */
export class TaskRegistryError extends ExecutorError {
  constructor(message: string, options: ExecutorErrorOptions = {}) {
    super('TASK_REGISTRY_ERROR', message, options);
  }
}

/** Several tasks of one execution failed. */
export class ParallelExecutionError extends ExecutorError {
  constructor(
    message: string,
    readonly failedTasks: string[],
    options: ExecutorErrorOptions = {},
  ) {
    super('PARALLEL_EXECUTION_ERROR', message, options);
  }
}

/** An execution could not be recovered or resumed. */
export class RecoveryError extends ExecutorError {
  constructor(
    message: string,
    readonly executionId: string,
    options: ExecutorErrorOptions = {},
  ) {
    super('RECOVERY_ERROR', message, { ...options, context: { executionId, ...options.context } });
  }
}

/** One value is invalid: names the field and the value. */
export class ValidationError extends ExecutorError {
  constructor(
    message: string,
    readonly field: string,
    readonly value: string,
    options: ExecutorErrorOptions = {},
  ) {
    super('VALIDATION_ERROR', message, options);
  }
}

/** The execution was cancelled (by an `AbortSignal`, Ctrl-C or fail-fast). */
export class CancelledError extends ExecutorError {
  constructor(message = 'cancelled', options: ExecutorErrorOptions = {}) {
    super('CANCELLED', message, options);
  }
}

/**
 * A DAG file or DAG has one or more problems. `diagnostics` holds every problem found, each with its
 * file, line and column; the message lists them all as `file:line:col: message`.
 */
export class DagValidationError extends ExecutorError {
  constructor(
    readonly diagnostics: Diagnostic[],
    options: ExecutorErrorOptions = {},
  ) {
    const count = diagnostics.length;
    const head = count === 1 ? '1 problem' : `${count} problems`;
    super('DAG_INVALID', `${head}:\n${diagnostics.map((d) => formatDiagnostic(d)).join('\n')}`, options);
  }
}

function withTask(options: ExecutorErrorOptions, taskId: string): ExecutorErrorOptions {
  return { ...options, context: { taskId, ...options.context } };
}

/**
 * The one place that turns anything thrown into an {@link ExecutorError}: jorm's own errors pass through,
 * Node system errors become {@link IoError}, anything else a {@link TaskExecutionFailedError} when a task
 * is named, or an `IoError` otherwise. The original is kept as `cause`.
 */
export function toExecutorError(thrown: unknown, taskId?: string): ExecutorError {
  if (thrown instanceof ExecutorError) return thrown;
  const message = errorMessage(thrown);
  if (taskId !== undefined) return new TaskExecutionFailedError(taskId, message, { cause: thrown });
  return new IoError(message, { cause: thrown });
}

/** The message of anything thrown, without a stack trace. */
export function errorMessage(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  if (typeof thrown === 'string') return thrown;
  try {
    return JSON.stringify(thrown) ?? String(thrown);
  } catch {
    return String(thrown);
  }
}
