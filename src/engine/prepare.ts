/**
 * The seam between the engine and environment handling: what a task attempt runs with (its interpolated
 * task, its full environment, its working directory, and the masking of secrets).
 *
 * The engine creates one {@link AttemptPreparer} per execution and calls {@link AttemptPreparer.prepare}
 * right before each attempt.
 * @module
 */

import { isAbsolute, resolve } from 'node:path';
import type { Dag } from '../model/dag.js';
import type { TaskResult } from '../model/result.js';
import type { Task } from '../model/task.js';
import type { ExecutorConfig } from './executor-config.js';

/** What the engine knows when an execution starts. */
export interface ExecutionSetup {
  dag: Dag;
  executionId: string;
  config: ExecutorConfig;
  /** `--param NAME=VALUE` values (over the DAG's declared defaults). */
  params: Record<string, string>;
}

/** One attempt of one task, ready to run. */
export interface PreparedAttempt {
  /** The task with its string fields interpolated (the same object when nothing changed). */
  task: Task;
  /** The complete environment of the task's process. */
  environment: Record<string, string>;
  /** Absolute working directory. */
  workingDirectory: string;
}

/** Prepares attempts for one execution. */
export interface AttemptPreparer {
  /** Builds one attempt. Throws an `ExecutionContextError` when it cannot (bad reference, …). */
  prepare(task: Task, attempt: number, upstream: Readonly<Record<string, TaskResult>>): PreparedAttempt;
  /** Replaces every secret value in `text` with `***`. */
  mask(text: string): string;
}

/** Creates the preparer of one execution. */
export function createAttemptPreparer(setup: ExecutionSetup): AttemptPreparer {
  const { dag, executionId, config } = setup;
  const baseDir = config.workingDirectory ? resolve(config.workingDirectory) : process.cwd();
  const base: Record<string, string> = {};
  if (config.inheritEnvironment) {
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) base[k] = v;
  }
  Object.assign(base, config.environmentVariables, dag.environment);
  return {
    prepare(task, attempt) {
      const environment: Record<string, string> = {
        ...base,
        ...task.environment,
        JORM_DAG_ID: dag.id,
        JORM_EXECUTION_ID: executionId,
        JORM_TASK_ID: task.id,
        JORM_ATTEMPT: String(attempt),
      };
      const dir = 'workingDir' in task.config ? task.config.workingDir : undefined;
      const workingDirectory = dir ? (isAbsolute(dir) ? dir : resolve(baseDir, dir)) : baseDir;
      return { task, environment, workingDirectory };
    },
    mask: (text) => text,
  };
}
