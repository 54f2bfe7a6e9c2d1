/**
 * The seam between the engine and environment handling: what a task attempt runs with (its interpolated
 * task, its full environment, its working directory, and the masking of secrets).
 *
 * The engine creates one {@link AttemptPreparer} per execution, before starting any task (creating it
 * validates every `${…}` reference of the DAG), and calls {@link AttemptPreparer.prepare} right before each
 * attempt.
 * @module
 */

import { isAbsolute, resolve } from 'node:path';
import { builtinVariables } from '../env/builtins.js';
import { systemInfo } from '../env/context.js';
import { defaultEnvironmentConfig, type EnvironmentConfig } from '../env/environment-config.js';
import { interpolateTask } from '../env/interpolate.js';
import { EnvironmentManager } from '../env/manager.js';
import { SecretMasker, type StreamMasker } from '../env/masker.js';
import { validateReferences } from '../env/references.js';
import { revealEnvironment, type SecureValue } from '../env/secure-value.js';
import type { Dag } from '../model/dag.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { DagValidationError } from '../model/errors.js';
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
  /** Environment handling (exclusions, secret names, interpolation). @defaultValue the defaults */
  environment?: EnvironmentConfig;
  /** Values of the `.env` file in use (below the parent environment). */
  envFile?: Record<string, string>;
  /** `--env KEY=VALUE` values: above the DAG's `env`, below the task's. */
  commandLineEnv?: Record<string, string>;
  /** The parent environment. @defaultValue `process.env` */
  parentEnv?: Record<string, string | undefined>;
}

/** One attempt of one task, ready to run. */
export interface PreparedAttempt {
  /** The task with its string fields interpolated (the same object when nothing changed). */
  task: Task;
  /** The complete environment of the task's process. */
  environment: Record<string, string>;
  /** Absolute working directory. */
  workingDirectory: string;
  /** The same environment with each value marked secure or plain (prints secrets as `***`). */
  secureEnvironment?: Record<string, SecureValue>;
}

/** Prepares attempts for one execution. */
export interface AttemptPreparer {
  /** Builds one attempt. Throws an `ExecutionContextError` when it cannot (bad reference, …). */
  prepare(task: Task, attempt: number, upstream: Readonly<Record<string, TaskResult>>): PreparedAttempt;
  /** Replaces every secret value in `text` with `***`. */
  mask(text: string): string;
  /** A deep copy of a JSON-like value (output data) with every string masked. */
  maskValue?<T>(value: T): T;
  /**
   * A masker for one output stream of one attempt: masks a secret even when it arrives split across
   * chunks, by holding back a tail that may be the start of one until the next chunk or `flush()`.
   */
  maskStream?(): StreamMasker;
}

function environmentManagerOf(setup: ExecutionSetup): EnvironmentManager {
  return new EnvironmentManager(
    setup.config.environmentVariables,
    setup.environment ?? defaultEnvironmentConfig(),
    {
      ...(setup.parentEnv ? { parentEnv: setup.parentEnv } : {}),
      ...(setup.envFile ? { envFile: setup.envFile } : {}),
      inheritEnvironment: setup.config.inheritEnvironment,
    },
  );
}

/**
 * Every problem that would stop the execution before it starts: bad variable names or patterns in the
 * environment configuration, and bad `${…}` references (a task that is not upstream, an unknown variable or
 * parameter without a default), each located at the key it is written under.
 */
export function validateExecutionSetup(setup: ExecutionSetup): Diagnostic[] {
  const manager = environmentManagerOf(setup);
  manager.validateConfig();
  return validateReferences(setup.dag, {
    environment: manager,
    params: setup.params,
    ...(setup.commandLineEnv ? { commandLineEnv: setup.commandLineEnv } : {}),
  });
}

/**
 * Creates the preparer of one execution.
 * @throws ConfigurationError for a bad environment configuration; DagValidationError listing every bad
 * `${…}` reference of the DAG (see {@link validateExecutionSetup}).
 */
export function createAttemptPreparer(setup: ExecutionSetup): AttemptPreparer {
  const { dag, executionId, config } = setup;
  const manager = environmentManagerOf(setup);
  manager.validateConfig();
  const problems = validateReferences(dag, {
    environment: manager,
    params: setup.params,
    ...(setup.commandLineEnv ? { commandLineEnv: setup.commandLineEnv } : {}),
  });
  if (problems.length > 0) throw new DagValidationError(problems);

  const baseDir = config.workingDirectory ? resolve(config.workingDirectory) : process.cwd();
  const params = { ...dag.params, ...setup.params };
  const commandLine = setup.commandLineEnv ?? {};
  const masker = new SecretMasker(manager.sharedSecrets());
  const declared = [dag.environment, commandLine, ...dag.tasks.map((t) => t.environment)];
  for (const record of declared) {
    for (const [name, value] of Object.entries(record)) {
      if (manager.isSecure(name) && !value.includes('$')) masker.add(value);
    }
  }
  const interpolating = manager.config.enableInterpolation;

  return {
    prepare(task, attempt, upstream) {
      const context = {
        variables: {},
        taskOutputs: upstream,
        systemInfo: systemInfo(),
        params,
        dagId: dag.id,
        executionId,
      };
      const builtins = builtinVariables({ dagId: dag.id, executionId, taskId: task.id, attempt }, upstream);
      const secureEnvironment = manager.buildTaskEnvironment(task.environment, context, {
        dag: dag.environment,
        commandLine,
        builtins,
      });
      for (const value of Object.values(secureEnvironment)) if (value.isSecure()) masker.add(value.value());
      const environment = revealEnvironment(secureEnvironment);

      let prepared = task;
      if (interpolating) {
        // Secure values that went into fields are masked already (they are variables of the environment).
        prepared = interpolateTask(task, { ...context, variables: secureEnvironment }).task;
        const ownEnv = taskEnvironmentAfterInterpolation(task, environment);
        if (ownEnv) {
          if (prepared === task)
            prepared = Object.assign(Object.create(Object.getPrototypeOf(task) as object), task) as Task;
          prepared.environment = ownEnv;
        }
      }
      const dir = 'workingDir' in prepared.config ? prepared.config.workingDir : undefined;
      const workingDirectory = dir ? (isAbsolute(dir) ? dir : resolve(baseDir, dir)) : baseDir;
      return { task: prepared, environment, workingDirectory, secureEnvironment };
    },
    mask: (text) => masker.mask(text),
    maskValue: (value) => masker.maskValue(value),
    maskStream: () => masker.createStream(),
  };
}

/** The task's own variables with their interpolated values, when any of them changed. */
function taskEnvironmentAfterInterpolation(
  task: Task,
  environment: Readonly<Record<string, string>>,
): Record<string, string> | undefined {
  let changed = false;
  const own: Record<string, string> = {};
  for (const [name, value] of Object.entries(task.environment)) {
    const now = environment[name];
    if (now === undefined) continue;
    own[name] = now;
    if (now !== value) changed = true;
  }
  return changed ? own : undefined;
}
