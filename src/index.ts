/**
 * jorm: a DAG execution engine for Node.js. This file is the public API: explicit named exports only.
 * @module
 */

export type { BullMQBackendOptions } from './distributed/bullmq-backend.js';
export { BullMQBackend } from './distributed/bullmq-backend.js';
export { createExecutionBackend, liveWorkerConcurrency } from './distributed/create-backend.js';
export { RedisUnavailableError, RemoteJobError } from './distributed/errors.js';
export type { RunningTaskInfo, WorkerInfo } from './distributed/heartbeat.js';
export { loadExecutorModules } from './distributed/register-modules.js';
export type { BackendName, DistributedSettings } from './distributed/settings.js';
export type { EncodedTask, EncodedTaskResult } from './distributed/task-codec.js';
export { decodeTask, decodeTaskResult, encodeTask, encodeTaskResult } from './distributed/task-codec.js';
export type { JormWorkerOptions } from './distributed/worker.js';
export { JormWorker } from './distributed/worker.js';
export type { WorkerEvent } from './distributed/worker-events.js';
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
export { FileTaskExecutor } from './executors/file.js';
export type { HttpExecutorOptions } from './executors/http.js';
export { HttpTaskExecutor } from './executors/http.js';
export type { JormExecutorOptions } from './executors/jorm.js';
export { JormTaskExecutor } from './executors/jorm.js';
export type { PythonExecutorOptions } from './executors/python.js';
export { PythonTaskExecutor } from './executors/python.js';
export type { ShellExecutorOptions } from './executors/shell.js';
export { ShellTaskExecutor } from './executors/shell.js';
export type { BenchmarkOperation, BenchmarkOptions } from './metrics/benchmark.js';
export { PerformanceBenchmark } from './metrics/benchmark.js';
export type { BenchmarkResult, ComparisonResult } from './metrics/benchmark-result.js';
export {
  benchmarkResultFromJSON,
  benchmarkResultToJSON,
  compareResults,
} from './metrics/benchmark-result.js';
export { MetricsCollector } from './metrics/collector.js';
export type { DependencySource } from './metrics/critical-path.js';
export { criticalPath } from './metrics/critical-path.js';
export type { WriteMetricsOptions } from './metrics/export.js';
export { metricsToJson, writeMetricsFile } from './metrics/export.js';
export type { PrometheusLabels } from './metrics/prometheus.js';
export { metricsToPrometheus } from './metrics/prometheus.js';
export type { SampleStatistics } from './metrics/statistics.js';
export { describeSample, percentile } from './metrics/statistics.js';
export type { MetricsSummary } from './metrics/summary.js';
export { formatMetricsSummary, summarizeMetrics } from './metrics/summary.js';
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
export { dagToDot, dagToMermaid } from './model/graph-render.js';
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
export type {
  EstimatedResources,
  MachineCapacity,
  ResourceAvailability,
  ResourceCapacity,
  ResourceKind,
} from './resources/availability.js';
export { checkAvailability, resourceCapacity } from './resources/availability.js';
export type { DagFormat, DagReading, ParseDagOptions } from './parse/parse-dag.js';
export { formatFromPath, parseDag, parseDagFile, parseDagFileSync, readDag } from './parse/parse-dag.js';
export { serializeDag } from './parse/serialize.js';
export { parseMemorySize } from './parse/units.js';
export { validateDag, validateTask } from './parse/validate.js';
export type { ResourceLimits } from './resources/limits.js';
export { defaultResourceLimits } from './resources/limits.js';
export type { ResourceMonitorOptions, ResourceSampleListener } from './resources/monitor.js';
export { ResourceMonitor } from './resources/monitor.js';
export type { CpuTimes, MemoryReading, SystemSampler } from './resources/system-sampler.js';
export { systemSampler } from './resources/system-sampler.js';
export type {
  AdmissionCandidate,
  AdmissionDecision,
  RunningLoad,
  ThrottleLevel,
  ThrottlePolicyOptions,
} from './resources/throttle.js';
export { RunningLedger, ThrottlePolicy, throttleLevel } from './resources/throttle.js';
export type { DashboardServer, DashboardServerOptions } from './server/server.js';
export { startDashboardServer } from './server/server.js';
export type { DashboardStore } from './server/store.js';
export type {
  ExecutionFilter,
  ExecutionOwner,
  ExecutionState,
  ExecutionSummary,
  StateConfig,
  TaskAttemptRecord,
  TaskState,
} from './state/types.js';
