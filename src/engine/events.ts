/**
 * Typed events the engine emits. The CLI's display, state persistence, metrics and the dashboard are
 * all listeners of these.
 * @module
 */

import type { ExecutionResult, ResourceUsage, TaskResult } from '../model/result.js';
import type { OutputStream } from './task-executor.js';

/** An execution began; `taskCount` tasks will be accounted for. */
export interface ExecutionStartedEvent {
  type: 'execution_started';
  executionId: string;
  dagId: string;
  taskCount: number;
  timestamp: Date;
  /** True when this is a resumed execution. */
  resumed: boolean;
  /** On a resumed execution: the tasks whose earlier successful results are kept (not run again). */
  keptTaskIds?: string[];
  /**
   * Parameters whose value is a secret (it feeds a secure variable, so output masks it): a record of the
   * execution keeps their names, never their values.
   */
  secretParams?: string[];
}

/** All of a task's dependencies succeeded; it waits for a slot. */
export interface TaskReadyEvent {
  type: 'task_ready';
  executionId: string;
  taskId: string;
  timestamp: Date;
}

/** An attempt of a task started. */
export interface TaskStartedEvent {
  type: 'task_started';
  executionId: string;
  taskId: string;
  /** 1 for the first attempt. */
  attempt: number;
  timestamp: Date;
}

/** Output of a running attempt (masked). */
export interface TaskOutputEvent {
  type: 'task_output';
  executionId: string;
  taskId: string;
  attempt: number;
  stream: OutputStream;
  chunk: string;
}

/** An attempt failed and the task will be tried again after `delay` ms. */
export interface TaskRetryingEvent {
  type: 'task_retrying';
  executionId: string;
  taskId: string;
  /** The attempt that failed. */
  attempt: number;
  delay: number;
  /** The failed attempt's result. */
  result: TaskResult;
  timestamp: Date;
}

/** A task reached a final status (after its retries), or was skipped or cancelled without starting. */
export interface TaskFinishedEvent {
  type: 'task_finished';
  executionId: string;
  taskId: string;
  /** The attempt that ended it; 0 when it never started. */
  attempt: number;
  result: TaskResult;
}

/** The scheduler held ready tasks because of resource usage, or released them. */
export interface ThrottleEvent {
  type: 'throttle';
  executionId: string;
  /** `holding` while tasks are held; `released` when they may start again. */
  state: 'holding' | 'released';
  /** e.g. `memory 91% >= 90%`. */
  reason: string;
  heldTasks: number;
  usage?: ResourceUsage;
  timestamp: Date;
}

/** The execution finished (in any status). */
export interface ExecutionFinishedEvent {
  type: 'execution_finished';
  executionId: string;
  result: ExecutionResult;
}

/** Every event the engine emits, discriminated by `type`. */
export type ExecutionEvent =
  | ExecutionStartedEvent
  | TaskReadyEvent
  | TaskStartedEvent
  | TaskOutputEvent
  | TaskRetryingEvent
  | TaskFinishedEvent
  | ThrottleEvent
  | ExecutionFinishedEvent;

/** A listener of execution events. Listeners must not throw; a listener that does is reported, not fatal. */
export type ExecutionListener = (event: ExecutionEvent) => void;

/**
 * A listener that also learns when the scheduler finished a turn. The engine calls {@link flush} once per
 * scheduler turn, after that turn's events and before it starts any attempt or returns the result, so an
 * observer that persists in `flush` (one transaction per turn) has every state change stored before the
 * engine acts on it. Like listeners, observers must not throw; one that does is reported, not fatal.
 */
export interface ExecutionObserver {
  /** Receives every event, in order. */
  onEvent(event: ExecutionEvent): void;
  /** Called at the end of each scheduler turn that emitted events. */
  flush?(): void;
}
