/**
 * The execution backend seam: "start this attempt and tell me how it ended". The scheduler, retries,
 * failure propagation, state, events and metrics are the same for every backend.
 *
 * - `local` runs the attempt in this process through the task's executor (child processes, fetch, fs).
 * - `bullmq` (see `src/distributed`) hands it to a worker through a Redis queue.
 * @module
 */

import type { Task } from '../model/task.js';
import type { ExecutionContext, TaskExecutor, TaskOutcome } from './task-executor.js';

/** Runs attempts of tasks somewhere. */
export interface ExecutionBackend {
  /** `local`, `bullmq`, … */
  readonly name: string;
  /**
   * Runs one attempt. `executor` is the registry's executor for the task type (the local backend calls
   * it; a remote backend may only use it for validation). Must honour `context.signal`, and stream
   * output through `context.onOutput`.
   */
  runAttempt(task: Task, context: ExecutionContext, executor: TaskExecutor): Promise<TaskOutcome>;
  /** Whether the backend runs this task type's tasks in parallel. @defaultValue the executor's answer */
  supportsParallel?(task: Task, executor: TaskExecutor): boolean;
  /** Releases connections; called once when the executor that owns the backend is closed. */
  close?(): Promise<void>;
}

/** The default backend: runs the attempt in this process through its executor. */
export class LocalBackend implements ExecutionBackend {
  readonly name = 'local';

  runAttempt(task: Task, context: ExecutionContext, executor: TaskExecutor): Promise<TaskOutcome> {
    return executor.execute(task, context);
  }
}
