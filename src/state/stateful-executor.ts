/**
 * {@link StatefulExecutor}: a {@link NativeExecutor} whose every execution is persisted in a state
 * database, with the recovery calls of the reference: `listRecoverableExecutions` and
 * `resumeExecution(executionId, dag)`. Create one with `NativeExecutor.withStateManagement(config, stateConfig)`
 * or {@link StatefulExecutor.create}.
 * @module
 */

import { resolve } from 'node:path';
import type { ExecutorConfig } from '../engine/executor-config.js';
import { NativeExecutor, type NativeExecutorInit } from '../engine/native-executor.js';
import type { ExecuteDagOptions } from '../engine/run-options.js';
import type { Dag } from '../model/dag.js';
import { RecoveryError, StatePersistenceError } from '../model/errors.js';
import type { ExecutionResult } from '../model/result.js';
import { planResume } from './resume-plan.js';
import { StateManager } from './state-manager.js';
import { startStateRun } from './state-run.js';
import type { ExecutionSummary, StateConfig } from './types.js';

/** Options of {@link StatefulExecutor.executeDag}. */
export interface StatefulExecuteOptions extends ExecuteDagOptions {
  /** The DAG file, recorded for history and `jorm resume`. @defaultValue `dag.sourceFile` */
  dagFile?: string;
}

/** Options of {@link StatefulExecutor.resumeExecution}. */
export interface ResumeExecutionOptions extends Omit<ExecuteDagOptions, 'executionId' | 'resume' | 'params'> {
  /** Resume even when the DAG changed since the run, or the run still looks alive. @defaultValue false */
  force?: boolean;
  /** Values of the run's secret parameters, stored by name only (see `ExecutionState.secretParams`). */
  params?: Record<string, string>;
}

/** An executor that records every execution in a state database and can resume them. */
export class StatefulExecutor extends NativeExecutor {
  /** The state database. */
  readonly stateManager: StateManager;

  /**
   * @param config overrides of the executor configuration.
   * @param stateManager an open state database (closed by {@link StatefulExecutor.close}).
   */
  constructor(config: Partial<ExecutorConfig>, stateManager: StateManager, options: NativeExecutorInit = {}) {
    super(config, options);
    this.stateManager = stateManager;
  }

  /**
   * Opens the state database of `stateConfig` and returns an executor that persists into it.
   * @throws StatePersistenceError when the database cannot be used; ConfigurationError for bad values.
   */
  static create(
    config: Partial<ExecutorConfig> = {},
    stateConfig: Partial<StateConfig> = {},
    options: NativeExecutorInit = {},
  ): StatefulExecutor {
    const manager = StateManager.open(stateConfig);
    try {
      return new StatefulExecutor(config, manager, options);
    } catch (error) {
      manager.close();
      throw error;
    }
  }

  /**
   * Runs a DAG like {@link NativeExecutor.executeDag}, recording it as it runs: old executions are
   * pruned first, every state change is committed once per scheduler turn, the owner heartbeats, and a
   * cancellation requested through the database cancels the run.
   * @throws StatePersistenceError when the run could not be recorded (disk full, permissions, a damaged
   * database or log folder): the run is then stopped as soon as the failure shows, like a cancellation,
   * so that no task runs without its record.
   */
  override async executeDag(dag: Dag, options: StatefulExecuteOptions = {}): Promise<ExecutionResult> {
    const { dagFile, ...rest } = options;
    const file = dagFile ?? dag.sourceFile;
    const workingDir = resolve(rest.workingDirectory ?? this.config.workingDirectory ?? process.cwd());
    const run = startStateRun(this.stateManager, {
      dag,
      workingDir,
      ...(file === undefined ? {} : { dagFile: file }),
      ...(rest.params === undefined ? {} : { params: rest.params }),
      ...(rest.executionId === undefined ? {} : { executionId: rest.executionId }),
      ...(rest.signal === undefined ? {} : { signal: rest.signal }),
    });
    let result: ExecutionResult;
    try {
      result = await super.executeDag(dag, {
        ...rest,
        executionId: run.executionId,
        signal: run.signal,
        observers: [run.observer, ...(rest.observers ?? [])],
      });
    } finally {
      run.stop();
    }
    const failure = run.failure;
    if (failure) {
      throw new StatePersistenceError(
        `${failure.message}; the run was stopped so that no task runs without its record`,
        { cause: failure, context: { executionId: run.executionId } },
      );
    }
    return result;
  }

  /** Executions marked running whose process is gone (crashed, killed, rebooted): they can be resumed. */
  listRecoverableExecutions(): ExecutionSummary[] {
    return this.stateManager.listRecoverableExecutions();
  }

  /**
   * Finishes an interrupted, failed or cancelled execution under the same id: succeeded tasks keep their
   * results (their outputs stay available downstream) and are not run again; every other task runs, its
   * attempt numbers continuing.
   * @throws RecoveryError when the execution is unknown, already succeeded, still running, its DAG
   * changed (unless `force`), or another process resumed it since this one planned to (two resumes at
   * once: only the first runs).
   */
  async resumeExecution(
    executionId: string,
    dag: Dag,
    options: ResumeExecutionOptions = {},
  ): Promise<ExecutionResult> {
    const { force, params, ...rest } = options;
    const plan = planResume(this.stateManager, executionId, dag, {
      force: force ?? false,
      ...(params === undefined ? {} : { params }),
    });
    if (!this.stateManager.claimExecution(plan.executionId, plan.owner)) {
      const now = this.stateManager.loadExecutionState(plan.executionId)?.owner;
      const by = now ? ` by pid ${now.pid} on ${now.host}` : '';
      throw new RecoveryError(
        `execution ${plan.executionId} was just resumed${by}; wait for that run, or see jorm show ${plan.executionId}`,
        plan.executionId,
      );
    }
    return this.executeDag(dag, {
      // Where it ran first, not where this process happens to be (the caller may still choose).
      ...(plan.workingDirectory === undefined ? {} : { workingDirectory: plan.workingDirectory }),
      ...rest,
      executionId: plan.executionId,
      resume: plan.resume,
      params: plan.params,
      ...(plan.dagFile === undefined ? {} : { dagFile: plan.dagFile }),
    });
  }

  /** Releases the backend and closes the state database. */
  override async close(): Promise<void> {
    try {
      await super.close();
    } finally {
      this.stateManager.close();
    }
  }
}
