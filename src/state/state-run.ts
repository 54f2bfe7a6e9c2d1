/**
 * {@link startStateRun}: everything a run needs to be persisted: pruning old executions, the
 * {@link StateRecorder} observer, a heartbeat timer, and cancellation requested through the database
 * (`jorm serve`'s cancel button) turned into an `AbortSignal`.
 * @module
 */

import type { ExecutionEvent, ExecutionObserver } from '../engine/events.js';
import type { Dag } from '../model/dag.js';
import { CancelledError, errorMessage, StatePersistenceError } from '../model/errors.js';
import { newExecutionId } from '../model/ids.js';
import type { StateManager } from './state-manager.js';
import { StateRecorder } from './state-recorder.js';
import { isBusyError } from './write-transaction.js';

/** How often a running execution heartbeats and checks for cancellation requests, ms. */
export const DEFAULT_HEARTBEAT_INTERVAL = 5000;

/** Inputs of {@link startStateRun}. */
export interface StateRunInput {
  dag: Dag;
  /** The DAG file, recorded for history and resume. */
  dagFile?: string;
  params?: Record<string, string>;
  /** The execution id (a resumed one, or one the caller chose). @defaultValue a new ULID */
  executionId?: string;
  /** The caller's own cancellation; the run's `signal` follows it. */
  signal?: AbortSignal;
  /** Prune old executions (cleanupCompletedAfter, maxExecutionHistory) first. @defaultValue true */
  prune?: boolean;
  /** The directory the tasks run in (absolute). */
  workingDir?: string;
}

/** A run being persisted. */
export interface StateRun {
  executionId: string;
  /** Give this to the executor (`observers`). */
  observer: ExecutionObserver & { flush(): void };
  /** Give this to the executor: aborted by the caller's signal or by a cancellation request in the database. */
  signal: AbortSignal;
  /** The recorder, for its last error. */
  recorder: StateRecorder;
  /**
   * Why recording failed for good, when it did: the database or a log file could not be written (disk
   * full, permissions, a damaged file). The run's `signal` was aborted with it, so that no further task
   * runs without its record. A busy database (another process holding its lock past the busy timeout) is
   * not such a failure: its changes stay buffered and the next scheduler turn writes them.
   */
  readonly failure: StatePersistenceError | undefined;
  /** Executions removed by pruning at the start. */
  pruned: string[];
  /** Stops the heartbeat timer and the forwarding of the caller's signal. Call once the run ended. */
  stop(): void;
}

/** Prepares the persistence of one run (call right before `executeDag`). */
export function startStateRun(manager: StateManager, input: StateRunInput): StateRun {
  const executionId = input.executionId ?? newExecutionId();
  const resuming = input.executionId !== undefined && manager.getExecution(input.executionId) !== undefined;
  // A new run needs room: the history holds at most maxExecutionHistory executions once it is recorded.
  // A resumed one is never pruned itself.
  const pruned =
    input.prune === false
      ? []
      : manager.pruneByConfig(Date.now(), resuming ? 0 : 1, resuming ? [input.executionId!] : []);
  const recorder = new StateRecorder(manager, {
    dag: input.dag,
    ...(input.dagFile === undefined ? {} : { dagFile: input.dagFile }),
    ...(input.params === undefined ? {} : { params: input.params }),
    ...(input.workingDir === undefined ? {} : { workingDir: input.workingDir }),
  });
  const controller = new AbortController();
  const outer = input.signal;
  const forward = () => controller.abort(outer?.reason);
  if (outer?.aborted) forward();
  else outer?.addEventListener('abort', forward, { once: true });
  const interval = manager.config.heartbeatInterval ?? DEFAULT_HEARTBEAT_INTERVAL;
  const timer = setInterval(() => {
    try {
      manager.heartbeat(executionId);
      if (!controller.signal.aborted && manager.isCancelRequested(executionId)) {
        controller.abort(
          new CancelledError('cancellation requested through the state database', {
            context: { executionId },
          }),
        );
      }
    } catch {
      // A busy or failing database must not break the run: the next beat tries again.
    }
  }, interval);
  timer.unref();
  let failure: StatePersistenceError | undefined;
  const failed = (error: unknown): void => {
    const e =
      error instanceof StatePersistenceError
        ? error
        : new StatePersistenceError(
            `cannot record execution ${executionId} in ${manager.displayName}: ${errorMessage(error)}`,
            { cause: error, context: { executionId } },
          );
    // Busy: the buffered changes go in at the next turn; the engine reports the error once as a warning.
    if (isBusyError(e.cause)) throw e;
    if (failure) return;
    failure = e;
    controller.abort(e);
  };
  const observer = {
    onEvent(event: ExecutionEvent): void {
      try {
        recorder.onEvent(event);
      } catch (error) {
        failed(error);
      }
    },
    flush(): void {
      try {
        recorder.flush();
      } catch (error) {
        failed(error);
      }
    },
  };
  return {
    executionId,
    observer,
    signal: controller.signal,
    recorder,
    get failure() {
      return failure;
    },
    pruned,
    stop() {
      clearInterval(timer);
      outer?.removeEventListener('abort', forward);
    },
  };
}
