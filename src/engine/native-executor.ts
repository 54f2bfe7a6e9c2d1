/**
 * {@link NativeExecutor}: runs a DAG's tasks in parallel (the reference's `NativeExecutor`).
 * @module
 */

import '../executors/defaults.js';
import { MetricsCollector } from '../metrics/collector.js';
import type { Dag } from '../model/dag.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { DagValidationError } from '../model/errors.js';
import { newExecutionId } from '../model/ids.js';
import type { ExecutionResult, ResourceUsage } from '../model/result.js';
import { validateDag, validateTask } from '../parse/validate.js';
import { ExecutorResources } from '../resources/executor-resources.js';
import type { StatefulExecutor } from '../state/stateful-executor.js';
import type { StateConfig } from '../state/types.js';
import { type ExecutionBackend, LocalBackend } from './backend.js';
import { type DagPlan, planDag } from './dag-plan.js';
import { EventSink } from './event-sink.js';
import type { ExecutionObserver } from './events.js';
import { type ExecutorConfig, resolveExecutorConfig } from './executor-config.js';
import { type AttemptPreparer, createAttemptPreparer, type ExecutionSetup } from './prepare.js';
import { TaskRegistry } from './registry.js';
import { fromExecutorRetry } from './retry-policy.js';
import type { ExecuteDagOptions, NativeExecutorOptions } from './run-options.js';
import { ExecutionRun } from './scheduler.js';
import { TaskSlots } from './task-slots.js';

/** Options of the {@link NativeExecutor} constructor. */
export interface NativeExecutorInit extends NativeExecutorOptions {
  /** The executors by task type. @defaultValue `TaskRegistry.withDefaultExecutors()` */
  taskRegistry?: TaskRegistry;
}

/**
 * Runs DAGs: validates, then starts each task as soon as its dependencies succeeded and a slot is free,
 * with timeouts, retries, failure propagation, cancellation, events and metrics.
 *
 * ```ts
 * const executor = new NativeExecutor({ maxConcurrentTasks: 4 });
 * const result = await executor.executeDag(dag, { onEvent: (e) => console.log(e.type) });
 * ```
 */
export class NativeExecutor {
  /** The resolved configuration. */
  readonly config: ExecutorConfig;
  /** The executors by task type; `register` custom executors here. */
  readonly taskRegistry: TaskRegistry;
  /** Where attempts run. */
  readonly backend: ExecutionBackend;
  private readonly options: NativeExecutorOptions;
  private readonly explicitDefaultTimeout: boolean;
  private readonly resources: ExecutorResources;

  /**
   * @param config overrides of {@link defaultExecutorConfig}.
   * @throws ConfigurationError naming the invalid field and value.
   */
  constructor(config: Partial<ExecutorConfig> = {}, options: NativeExecutorInit = {}) {
    this.config = resolveExecutorConfig(config);
    this.explicitDefaultTimeout = config.defaultTimeout !== undefined;
    this.taskRegistry = options.taskRegistry ?? TaskRegistry.withDefaultExecutors();
    this.backend = options.backend ?? new LocalBackend();
    this.options = options;
    this.resources = new ExecutorResources(this.config);
  }

  /**
   * Starts sampling system CPU and memory every `resourceLimits.monitoringInterval` (the reference's
   * `start_resource_monitoring`); samples taken during an execution go into its `resourceUsageSamples`.
   * Executions with `enableResourceThrottling` monitor while they run without this call.
   */
  startResourceMonitoring(): void {
    this.resources.startMonitoring();
  }

  /** Stops the sampling {@link startResourceMonitoring} started. */
  stopResourceMonitoring(): void {
    this.resources.stopMonitoring();
  }

  /** The latest resource usage sample, or undefined when monitoring is not running. */
  getResourceUsage(): ResourceUsage | undefined {
    return this.resources.getUsage();
  }

  /** An executor that runs tasks with `registry` instead of the built-in executors. */
  static withTaskRegistry(
    config: Partial<ExecutorConfig>,
    registry: TaskRegistry,
    options: NativeExecutorOptions = {},
  ): NativeExecutor {
    return new NativeExecutor(config, { ...options, taskRegistry: registry });
  }

  /**
   * An executor that records every execution in a state database and can resume them (the reference's
   * `with_state_management`): see `StatefulExecutor` in `src/state/stateful-executor.ts`.
   * @throws StatePersistenceError when the database cannot be used.
   */
  static async withStateManagement(
    config: Partial<ExecutorConfig>,
    stateConfig: Partial<StateConfig>,
    options: NativeExecutorInit = {},
  ): Promise<StatefulExecutor> {
    const { StatefulExecutor } = await import('../state/stateful-executor.js');
    return StatefulExecutor.create(config, stateConfig, options);
  }

  /**
   * Every problem that keeps `dag` from running: graph and task problems (as `jorm validate` reports
   * them) and task types without an executor or with an invalid configuration.
   */
  diagnose(dag: Dag): Diagnostic[] {
    return this.diagnosePlanned(dag, planDag(dag));
  }

  /**
   * The problems of `dag`, given its plan: when the plan found no graph problem, only the per-task checks
   * of `validateDag` run (the plan already did the graph's work in O(tasks + edges)).
   */
  private diagnosePlanned(dag: Dag, plan: DagPlan): Diagnostic[] {
    const problems: Diagnostic[] = [];
    if (plan.hasCycle || plan.hasUnknownDependency) problems.push(...validateDag(dag));
    else for (const task of plan.tasks) for (const p of validateTask(task)) problems.push(p);
    for (const p of this.taskRegistry.diagnoseDagTasks(dag)) problems.push(p);
    return problems;
  }

  /**
   * Runs a DAG and resolves with the result of every task. Task failures, timeouts and cancellation are
   * reported in the result (never thrown).
   * @throws DagValidationError when the DAG is invalid (nothing is started).
   */
  async executeDag(dag: Dag, options: ExecuteDagOptions = {}): Promise<ExecutionResult> {
    const plan = planDag(dag);
    const problems = this.diagnosePlanned(dag, plan);
    if (problems.length > 0) throw new DagValidationError(problems, { context: { dagId: dag.id } });
    const config =
      options.workingDirectory === undefined
        ? this.config
        : { ...this.config, workingDirectory: options.workingDirectory };
    const executionId = options.executionId ?? newExecutionId();
    const setup: ExecutionSetup = { dag, executionId, config, params: options.params ?? {} };
    if (this.options.environment) setup.environment = this.options.environment;
    if (options.commandLineEnv) setup.commandLineEnv = options.commandLineEnv;
    if (options.envFile) setup.envFile = options.envFile;
    if (options.parentEnv) setup.parentEnv = options.parentEnv;
    const preparer = (this.options.createPreparer ?? createAttemptPreparer)(setup);
    const metrics = new MetricsCollector();
    const resources = this.resources.forExecution(dag, metrics);
    const observers: ExecutionObserver[] = [
      ...(this.options.observers ?? []),
      ...(options.observers ?? []),
      ...resources.observers,
    ];
    try {
      const run = new ExecutionRun({
        dag,
        plan,
        config,
        slots: new TaskSlots(plan, this.taskRegistry, this.backend, config, this.explicitDefaultTimeout),
        backend: this.backend,
        admission: options.admission ?? this.options.admission ?? resources.admission,
        executionId,
        signal: options.signal,
        sink: new EventSink(options.onEvent ? [options.onEvent] : [], observers),
        preparer,
        metrics,
        resume: options.resume,
        retryFallback: config.retryConfig ? fromExecutorRetry(config.retryConfig) : undefined,
        secretParams: secretParamsOf(setup.params, preparer),
      });
      return await run.start();
    } finally {
      resources.dispose();
    }
  }

  /** Releases the backend's connections. */
  async close(): Promise<void> {
    await this.backend.close?.();
  }
}

/**
 * The parameters whose value is a secret (see `ExecutionStartedEvent.secretParams`): the preparer's
 * answer, or else those whose value it masks.
 */
function secretParamsOf(params: Readonly<Record<string, string>>, preparer: AttemptPreparer): string[] {
  if (preparer.secretParams) return preparer.secretParams();
  const secret: string[] = [];
  for (const name in params) {
    const value = params[name]!;
    if (value !== '' && preparer.mask(value) !== value) secret.push(name);
  }
  return secret;
}
