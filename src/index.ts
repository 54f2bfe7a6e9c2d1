/**
 * jorm: a DAG execution engine for Node.js. This file is the public API: explicit named exports only.
 * @module
 */

export type { ExecutionBackend } from './engine/backend.js';
export { LocalBackend } from './engine/backend.js';
export type {
  ExecutionEvent,
  ExecutionFinishedEvent,
  ExecutionListener,
  ExecutionStartedEvent,
  TaskFinishedEvent,
  TaskOutputEvent,
  TaskReadyEvent,
  TaskRetryingEvent,
  TaskStartedEvent,
  ThrottleEvent,
} from './engine/events.js';
export type { ExecutorConfig } from './engine/executor-config.js';
export { defaultExecutorConfig, resolveExecutorConfig } from './engine/executor-config.js';
export { TaskRegistry } from './engine/registry.js';
export type { ExecutionContext, OutputStream, TaskExecutor, TaskOutcome } from './engine/task-executor.js';
export { defaultExecutors } from './executors/defaults.js';
export { MetricsCollector } from './metrics/collector.js';
export { Dag } from './model/dag.js';
export type { Diagnostic, SourceLocation } from './model/diagnostic.js';
export { didYouMean, formatDiagnostic } from './model/diagnostic.js';
export type { DurationInput } from './model/duration.js';
export { formatDuration, parseUserDuration, tryParseDuration } from './model/duration.js';
export type { ErrorCode, ErrorContext, ExecutorErrorOptions } from './model/errors.js';
export {
  CancelledError,
  ConfigurationError,
  DagValidationError,
  DependencyCycleError,
  ExecutionContextError,
  ExecutorError,
  errorMessage,
  IoError,
  ParallelExecutionError,
  RecoveryError,
  ResourceLimitExceededError,
  RetryLimitExceededError,
  SemaphoreError,
  SerializationError,
  StatePersistenceError,
  TaskExecutionFailedError,
  TaskNotFoundError,
  TaskRegistryError,
  TaskTimeoutError,
  toExecutorError,
  UnsupportedTaskTypeError,
  ValidationError,
} from './model/errors.js';
export type { GraphAnalysis, MissingDependency } from './model/graph.js';
export { analyzeGraph, upstreamOf } from './model/graph.js';
export { isExecutionId, newExecutionId } from './model/ids.js';
export type {
  ExecutionMetrics,
  ExecutionResult,
  ExecutionStatus,
  ResourceUsage,
  TaskResult,
  TaskStatus,
} from './model/result.js';
export { isTerminalTaskStatus } from './model/result.js';
export type {
  AuthConfig,
  BackoffStrategy,
  CustomTaskConfig,
  FileOperationKind,
  FileTaskConfig,
  HttpTaskConfig,
  JormTaskConfig,
  OutputMode,
  PythonFunctionTaskConfig,
  PythonScriptTaskConfig,
  RetryConfig,
  ShellTaskConfig,
  TaskConfig,
  TaskResources,
  TaskRetryConfig,
} from './model/task.js';
export { DEFAULT_TASK_RETRY, defaultTaskTypeOf, Task } from './model/task.js';
export type { ResourceLimits } from './resources/limits.js';
export { defaultResourceLimits } from './resources/limits.js';
export type {
  ExecutionFilter,
  ExecutionOwner,
  ExecutionState,
  ExecutionSummary,
  StateConfig,
  TaskAttemptRecord,
  TaskState,
} from './state/types.js';
