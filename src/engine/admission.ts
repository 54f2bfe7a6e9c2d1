/**
 * {@link AdmissionControl}: the one gate every ready task passes before it starts, besides the concurrency
 * limit and `supportsParallel`. Resource throttling plugs in here.
 *
 * The scheduler asks {@link AdmissionControl.canStart} for the first ready task (in priority order):
 * - `true`: it starts;
 * - `{ hold }`: nothing more starts this turn (later tasks do not overtake it); the scheduler asks again
 *   when an attempt ends, when {@link AdmissionControl.subscribe}'s callback is called, and every
 *   `recheckInterval` ms. When no task is running a hold is overridden, so a DAG never deadlocks;
 * - `{ reject }`: the task can never start; it fails with that error and its dependents are skipped.
 * @module
 */

import type { ExecutorError } from '../model/errors.js';
import type { ResourceUsage } from '../model/result.js';
import type { Task } from '../model/task.js';

/** The gate's answer for one ready task. */
export type AdmissionVerdict =
  | true
  /** Wait; `reason` is shown to users (e.g. `memory 91% >= 90%`). */
  | { hold: string; usage?: ResourceUsage }
  /** Never: fail the task with this error. */
  | { reject: ExecutorError };

/** Decides whether a ready task may start now. */
export interface AdmissionControl {
  /** Whether `task` may start while `running` attempts are running. Must be cheap and must not throw. */
  canStart(task: Task, running: number): AdmissionVerdict;
  /** An attempt of `task` started. */
  onStart?(task: Task): void;
  /** An attempt of `task` ended (any outcome). */
  onEnd?(task: Task): void;
  /** Calls `wake` when conditions change (e.g. a new usage sample); returns an unsubscribe function. */
  subscribe?(wake: () => void): () => void;
  /** ms between re-checks while a task is held. @defaultValue 250 */
  recheckInterval?: number;
}
