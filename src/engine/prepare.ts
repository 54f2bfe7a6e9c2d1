/**
 * The seam between the engine and environment handling: what a task attempt runs with (its interpolated
 * task, its full environment, its working directory, and the masking of secrets).
 *
 * The engine creates one {@link AttemptPreparer} per execution, before starting any task (creating it
 * validates every `${…}` reference of the DAG), and calls {@link AttemptPreparer.prepare} right before each
 * attempt.
 * @module
 */

import { resolve } from 'node:path';
import { executionVariables } from '../env/builtins.js';
import { systemInfo } from '../env/context.js';
import { defaultEnvironmentConfig, type EnvironmentConfig } from '../env/environment-config.js';
import { EnvironmentManager } from '../env/manager.js';
import { SecretMasker, type StreamMasker } from '../env/masker.js';
import { validateReferences } from '../env/references.js';
import type { SecureValue } from '../env/secure-value.js';
import { configMayHoldDollar, forEachTaskConfigString } from '../env/task-strings.js';
import { parseTemplate, type Segment } from '../env/template.js';
import type { Dag } from '../model/dag.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { DagValidationError } from '../model/errors.js';
import type { TaskResult } from '../model/result.js';
import type { Task } from '../model/task.js';
import type { EnvironmentLayers } from '../process/types.js';
import { type ExecutionPreparation, TaskAttemptSetup } from './attempt-setup.js';
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
  /** The complete environment of the task's process (built on first read). */
  environment: Record<string, string>;
  /** The same environment in layers: the execution's shared variables and the task's own. */
  environmentLayers?: EnvironmentLayers;
  /** Absolute working directory. */
  workingDirectory: string;
  /** The same environment with each value marked secure or plain (prints secrets as `***`). */
  secureEnvironment?: Record<string, SecureValue>;
  /** Names of `environment` inherited from jorm's own environment (see `ExecutionContext`). */
  inheritedVariables?: ReadonlySet<string>;
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
  /**
   * The execution's parameters whose value is a secret: written into a secure variable (`${params.x}`
   * in its value, at the DAG's or a task's level), named like a secret (`db_password`), or equal to a
   * secret value known at the start.
   */
  secretParams?(): string[];
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
  if (problems.length > 0)
    throw new DagValidationError(problems, { context: { dagId: dag.id, executionId } });

  const baseDir = config.workingDirectory ? resolve(config.workingDirectory) : process.cwd();
  const params = { ...dag.params, ...setup.params };
  const interpolating = manager.config.enableInterpolation;
  const executionContext = {
    variables: {},
    taskOutputs: {},
    systemInfo: systemInfo(),
    params,
    dagId: dag.id,
    executionId,
  };
  const shared = manager.buildSharedEnvironment(executionContext, {
    dag: dag.environment,
    commandLine: setup.commandLineEnv ?? {},
    builtins: executionVariables(dag.id, executionId),
  });
  const masker = new SecretMasker([...manager.sharedSecrets(), ...shared.secrets]);
  // Tasks whose fields or env hold `${…}`; the others need no interpolation at all.
  const templated = new Set<string>();
  for (const task of dag.tasks) {
    const env = task.environment;
    for (const name in env) {
      const value = env[name]!;
      if (value.includes('$')) templated.add(task.id);
      else if (manager.isSecure(name)) masker.add(value);
    }
    if (interpolating && !templated.has(task.id) && configMayHoldDollar(task.config)) {
      forEachTaskConfigString(task.config, (value) => {
        if (value.includes('$')) templated.add(task.id);
      });
    }
  }

  const execution: ExecutionPreparation = {
    dagId: dag.id,
    executionId,
    manager,
    shared,
    masker,
    context: executionContext,
    baseDir,
    interpolating,
  };
  return {
    prepare: (task, attempt, upstream) =>
      new TaskAttemptSetup(execution, task, attempt, upstream, templated.has(task.id)),
    mask: (text) => masker.mask(text),
    maskValue: (value) => masker.maskValue(value),
    maskStream: () => masker.createStream(),
    secretParams: () => secretParamsOf(dag, manager, setup.params, masker),
  };
}

/** See {@link AttemptPreparer.secretParams}. */
function secretParamsOf(
  dag: Dag,
  manager: EnvironmentManager,
  params: Readonly<Record<string, string>>,
  masker: SecretMasker,
): string[] {
  // Only given parameters are recorded: without any, there is nothing to look for in the DAG.
  if (Object.keys(params).length === 0) return [];
  const secret = new Set<string>();
  const scan = (env: Readonly<Record<string, string>>): void => {
    for (const name in env) {
      const value = env[name]!;
      if (!value.includes('$') || !manager.isSecure(name)) continue;
      const visit = (segments: readonly Segment[]): void => {
        for (const s of segments) {
          if (typeof s === 'string') continue;
          if (s.ref.kind === 'param') secret.add(s.ref.name);
          if (s.fallback) visit(s.fallback);
        }
      };
      visit(parseTemplate(value).segments);
    }
  };
  scan(dag.environment);
  for (const task of dag.tasks) scan(task.environment);
  for (const name in params) {
    const value = params[name]!;
    // Named like a secret (db_password, api-token), or holding a known secret's value.
    if (manager.isSecure(name.replace(/[.-]/g, '_'))) secret.add(name);
    else if (value !== '' && masker.mask(value) !== value) secret.add(name);
  }
  return [...secret].filter((name) => params[name] !== undefined);
}
