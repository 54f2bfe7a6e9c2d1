/**
 * The contract between the engine and whatever runs one task: {@link TaskExecutor}, the
 * {@link ExecutionContext} it receives and the {@link TaskOutcome} it returns.
 * @module
 */

import type { TaskResult } from '../model/result.js';
import type { Task } from '../model/task.js';
import type { AbortNotice, EnvironmentLayers } from '../process/types.js';

/** Which output stream a chunk came from. */
export type OutputStream = 'stdout' | 'stderr';

/** What the engine gives an executor for one attempt of one task. */
export interface ExecutionContext {
  executionId: string;
  dagId: string;
  taskId: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** The task's resolved environment: the complete environment the task's process gets. */
  environment: Record<string, string>;
  /**
   * The same environment in layers (the execution's shared variables, the task's own over them), when
   * the engine has it so: give it to a launcher as `envLayers` to spare building `environment`.
   */
  environmentLayers?: EnvironmentLayers;
  /**
   * Names of `environment` whose value jorm's own process environment gave (not set by the
   * configuration, a `.env` file, the DAG, `--env`, the task or jorm), when the engine knows: a backend
   * that runs the task on another host may let that host's environment stand in for these, and must
   * send every other variable.
   */
  inheritedVariables?: ReadonlySet<string>;
  /** The task's resolved working directory (absolute). */
  workingDirectory: string;
  /**
   * Aborted when the task times out, the execution is cancelled or jorm shuts down. `signal.reason` is a
   * `TaskTimeoutError` or a `CancelledError`. Executors must stop promptly and kill what they started.
   */
  signal: AbortSignal;
  /**
   * The same abort as `signal`, as a lighter {@link AbortNotice}, when the engine has it so: give it to
   * `runProcess` as `abortNotice` to spare making `signal` (an `AbortController` per attempt).
   */
  abortNotice?: AbortNotice;
  /** Results of the task's upstream tasks (direct and transitive), by id. */
  upstream: Readonly<Record<string, TaskResult>>;
  /** Called with output as it arrives (already masked of secrets when masking is on). */
  onOutput?: (stream: OutputStream, chunk: string) => void;
  /** Bytes of each stream kept in memory (the tail). @defaultValue 1 MiB */
  outputLimit: number;
  /** Grace period between SIGTERM and SIGKILL when a task is killed, ms. @defaultValue 5000 */
  killGracePeriod: number;
  /** Replaces secret values in text with `***`. */
  mask: (text: string) => string;
  /**
   * This attempt's timeout in ms, when the engine knows it (informational: the engine enforces it through
   * `signal`; a remote backend passes it on so that a worker enforces it even if the coordinator is gone).
   */
  timeout?: number;
  /**
   * For backends: the run of this attempt was lost outside the executor's control (the worker running it
   * died) and the task is running again. The engine records the lost run as a failed attempt (with
   * `reason`, metadata `lost: 'true'`, counted against the retry budget) and counts what follows as the
   * next attempt: `attempt` grows by one. Absent when the engine offers no such accounting.
   */
  attemptLost?: (reason: string) => void;
}

/**
 * What an executor reports for one attempt. Every field is optional: the engine fills the task id, times,
 * retry count and status (`success` unless `status` or a non-zero `exitCode` says otherwise).
 * Throwing from `execute` fails the attempt with the thrown error's message.
 */
export interface TaskOutcome {
  status?: 'success' | 'failed';
  stdout?: string;
  stderr?: string;
  exitCode?: number | null;
  outputData?: unknown;
  errorMessage?: string;
  metadata?: Record<string, string>;
}

/** Runs the tasks of one task type (the reference's `TaskExecutor` trait). */
export interface TaskExecutor {
  /** The registry key this executor serves (`shell`, `python`, a custom name). */
  readonly taskType: string;
  /** Runs one attempt of a task. Must honour `context.signal`. */
  execute(task: Task, context: ExecutionContext): Promise<TaskOutcome>;
  /** Whether two tasks of this type may run at once. @defaultValue true */
  supportsParallel?(): boolean;
  /** The timeout of this type's tasks when neither the task nor the config sets one, ms. */
  defaultTimeout?(): number;
  /** Throws a `ValidationError` when a task's config is invalid for this executor. */
  validateTask?(task: Task): void;
}

/** Converts a finished attempt's raw parts into the status the engine records. */
export function outcomeSucceeded(outcome: TaskOutcome): boolean {
  if (outcome.status !== undefined) return outcome.status === 'success';
  return outcome.exitCode === undefined || outcome.exitCode === null || outcome.exitCode === 0;
}
