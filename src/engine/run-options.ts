/**
 * Options of {@link NativeExecutor.executeDag} and of the executor itself.
 * @module
 */

import type { EnvironmentConfig } from '../env/environment-config.js';
import type { TaskResult } from '../model/result.js';
import type { AdmissionControl } from './admission.js';
import type { ExecutionBackend } from './backend.js';
import type { ExecutionListener, ExecutionObserver } from './events.js';
import type { AttemptPreparer, ExecutionSetup } from './prepare.js';

/** What a resumed execution keeps from its earlier run. */
export interface ResumeState {
  /**
   * Results to keep, by task id: tasks whose result has status `success` are not run again, count as
   * succeeded, and are given to their downstream tasks as upstream results. Other entries are ignored.
   */
  completed: Record<string, TaskResult>;
  /** Attempts already made, by task id: a re-run task's first new attempt is this number + 1. */
  attempts?: Record<string, number>;
}

/** Options of one execution. */
export interface ExecuteDagOptions {
  /** Cancels the execution: no new task starts, running ones are killed, the status is `cancelled`. */
  signal?: AbortSignal;
  /**
   * The directory tasks run in (their `working_dir` is relative to it), over the executor's
   * `workingDirectory`: a resumed execution runs where it ran first. @defaultValue the executor's, else
   * the process's current directory
   */
  workingDirectory?: string;
  /** Receives every event of this execution. */
  onEvent?: ExecutionListener;
  /** Observers of this execution, flushed once per scheduler turn (after the executor's own). */
  observers?: ExecutionObserver[];
  /** The execution id. @defaultValue a new ULID */
  executionId?: string;
  /** `${params.NAME}` values, over the DAG's declared defaults. @defaultValue `{}` */
  params?: Record<string, string>;
  /** Resume an earlier execution (reuse its `executionId`). */
  resume?: ResumeState;
  /** The admission gate of this execution. @defaultValue the executor's */
  admission?: AdmissionControl;
  /** DAG-level variables from the command line (`jorm run --env`): above the DAG's `env`, below the task's. */
  commandLineEnv?: Record<string, string>;
  /** Values of the `.env` file in use (below the parent environment). */
  envFile?: Record<string, string>;
  /** The parent environment tasks inherit. @defaultValue `process.env` */
  parentEnv?: Record<string, string | undefined>;
}

/** Options of a {@link NativeExecutor} beyond its configuration. */
export interface NativeExecutorOptions {
  /** Where attempts run. @defaultValue a {@link LocalBackend} */
  backend?: ExecutionBackend;
  /** The admission gate of every execution (resource throttling). @defaultValue none */
  admission?: AdmissionControl;
  /** Observers of every execution of this executor (e.g. state persistence). @defaultValue `[]` */
  observers?: ExecutionObserver[];
  /** Environment handling: exclusions, secret names, interpolation. @defaultValue the defaults */
  environment?: EnvironmentConfig;
  /**
   * Replaces environment handling (interpolation, environment, masking) of every execution.
   * @defaultValue {@link createAttemptPreparer}
   */
  createPreparer?: (setup: ExecutionSetup) => AttemptPreparer;
}
