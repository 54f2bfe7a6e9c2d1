/**
 * jorm: a DAG execution engine for Node.js. This file is the public API: explicit named exports only.
 * @module
 */

export type { ConfigCommandOptions } from './config/cli-options.js';
export { addConfigFileOptions, configFlagsOf } from './config/cli-options.js';
export { ConfigFileError } from './config/errors.js';
export type { ConfigFlags } from './config/flags.js';
export type { ConfigOverrides, Configuration, LoadConfigurationOptions } from './config/load.js';
export { loadConfiguration } from './config/load.js';
export { BUILT_IN_PROFILES } from './config/profiles.js';
export type { LogLevel } from './config/schema.js';
export { LOG_LEVELS } from './config/schema.js';
export type { ConfigSource } from './config/sources.js';
export { formatSource } from './config/sources.js';
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
export type { AdmissionControl, AdmissionVerdict } from './engine/admission.js';
export type { ExecutionBackend } from './engine/backend.js';
export { LocalBackend } from './engine/backend.js';
export type { BackoffPolicy } from './engine/backoff.js';
export { backoffDelay, retryDelay, withJitter } from './engine/backoff.js';
export type {
  ExecutionEvent,
  ExecutionFinishedEvent,
  ExecutionListener,
  ExecutionObserver,
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
export type { NativeExecutorInit } from './engine/native-executor.js';
export { NativeExecutor } from './engine/native-executor.js';
export type { AttemptPreparer, ExecutionSetup, PreparedAttempt } from './engine/prepare.js';
export { createAttemptPreparer, validateExecutionSetup } from './engine/prepare.js';
export { TaskRegistry } from './engine/registry.js';
export type { ExecuteDagOptions, NativeExecutorOptions, ResumeState } from './engine/run-options.js';
export type {
  ErrorJson,
  ExecutionMetricsJson,
  ExecutionResultJson,
  ResourceUsageJson,
  TaskResultJson,
} from './engine/serialize.js';
export { executionResultToJson, taskResultToJson } from './engine/serialize.js';
export type { ExecutionContext, OutputStream, TaskExecutor, TaskOutcome } from './engine/task-executor.js';
export { builtinVariables, MAX_OUTPUT_VARIABLE_BYTES, outputVariableName } from './env/builtins.js';
export type { InterpolationContext, TaskOutputs } from './env/context.js';
export { emptyInterpolationContext, systemInfo } from './env/context.js';
export { envFileBeside, parseEnvFile, readEnvFile } from './env/dotenv.js';
export type { EnvironmentConfig } from './env/environment-config.js';
export {
  DEFAULT_SECURE_PREFIXES,
  defaultEnvironmentConfig,
  isSecureName,
  resolveEnvironmentConfig,
} from './env/environment-config.js';
export type { InterpolatedText, InterpolateOptions } from './env/interpolate.js';
export { interpolate, interpolateString } from './env/interpolate.js';
export type { InterpolatedTask } from './env/interpolate-task.js';
export { copyTask, interpolateTask } from './env/interpolate-task.js';
export { InterpolationError } from './env/interpolation-error.js';
export type { EnvironmentManagerOptions, SharedEnvironment, TaskEnvironmentLayers } from './env/manager.js';
export { EnvironmentManager } from './env/manager.js';
export type { StreamMasker } from './env/masker.js';
export { MIN_MASKED_LENGTH, SecretMasker } from './env/masker.js';
export type { ReferenceCheckOptions } from './env/references.js';
export { validateReferences } from './env/references.js';
export { MASK, SecureValue } from './env/secure-value.js';
export { quoteForShell } from './env/shell-quote.js';
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
export type { DagFormat, DagReading, ParseDagOptions } from './parse/parse-dag.js';
export { formatFromPath, parseDag, parseDagFile, parseDagFileSync, readDag } from './parse/parse-dag.js';
export { serializeDag } from './parse/serialize.js';
export { parseMemorySize } from './parse/units.js';
export type { ValidateDagOptions } from './parse/validate.js';
export { validateDag, validateTask } from './parse/validate.js';
export type { ForkServerOptions } from './process/fork-server/launcher.js';
export { ForkServerLauncher } from './process/fork-server/launcher.js';
export type { LauncherChoice } from './process/launchers.js';
export { LAUNCHER_ENV, resolveLauncher } from './process/launchers.js';
export { PROCESS_DEFAULTS, runProcess } from './process/run-process.js';
export { SpawnLauncher } from './process/spawn-launcher.js';
export { ProcessStartError } from './process/start-error.js';
export type {
  AbortNotice,
  EnvironmentLayers,
  LaunchedProcess,
  LaunchListener,
  LaunchRequest,
  ProcessLauncher,
  ProcessResult,
  ProcessSpec,
  StartFailureReason,
} from './process/types.js';
export type { ResourceAdmissionOptions } from './resources/admission.js';
export { ResourceAdmission } from './resources/admission.js';
export type {
  EstimatedResources,
  MachineCapacity,
  ResourceAvailability,
  ResourceCapacity,
  ResourceKind,
} from './resources/availability.js';
export { checkAvailability, resourceCapacity } from './resources/availability.js';
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
export { formatThrottleEvent } from './resources/throttle-message.js';
export type { DashboardServer, DashboardServerOptions } from './server/server.js';
export { startDashboardServer } from './server/start.js';
export type { DashboardStore } from './server/store.js';
export type { DatabaseLocation, StateLocationInput } from './state/config.js';
export {
  DEFAULT_DATABASE_PATH,
  defaultStateConfig,
  parseDatabaseUrl,
  resolveStateConfig,
  resolveStateLocation,
  STATE_DATABASE_ENV,
} from './state/config.js';
export { canonicalJson, dagHash } from './state/dag-hash.js';
export type { LogChunk } from './state/log-files.js';
export type { FollowItem, FollowOptions } from './state/log-follow.js';
export { followLogs } from './state/log-follow.js';
export { SCHEMA_VERSION } from './state/migrations.js';
export type { ResumePlan, ResumePlanOptions } from './state/resume-plan.js';
export { planResume } from './state/resume-plan.js';
export type { ReadLogOptions, StateOpenOptions } from './state/state-manager.js';
export { StateManager } from './state/state-manager.js';
export type { StateRecorderOptions } from './state/state-recorder.js';
export { StateRecorder } from './state/state-recorder.js';
export type { StateRun, StateRunInput } from './state/state-run.js';
export { startStateRun } from './state/state-run.js';
export type { ResumeExecutionOptions, StatefulExecuteOptions } from './state/stateful-executor.js';
export { StatefulExecutor } from './state/stateful-executor.js';
export type {
  ExecutionCheckpoint,
  ExecutionFilter,
  ExecutionOwner,
  ExecutionState,
  ExecutionSummary,
  PruneOptions,
  StateConfig,
  TaskAttemptRecord,
  TaskState,
} from './state/types.js';
