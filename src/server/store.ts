/**
 * What the dashboard reads from (and asks of) the state database: the part of the state store's API it
 * uses, so the HTTP layer can be written and tested against any implementation of it.
 * @module
 */

import type { ExecutionFilter, ExecutionState, ExecutionSummary, TaskAttemptRecord } from '../state/types.js';

/** A value or a promise of it (the SQLite store is synchronous; others need not be). */
export type Awaitable<T> = T | Promise<T>;

/** A task's output stream. */
export type LogStream = 'stdout' | 'stderr';

/** The state store as the dashboard sees it. */
export interface DashboardStore {
  /** Executions, newest first. */
  listExecutions(filter: ExecutionFilter): Awaitable<ExecutionSummary[]>;
  /** How many executions match (limit and offset ignored). */
  countExecutions(filter: ExecutionFilter): Awaitable<number>;
  /** One execution with its tasks' current state; `undefined` when unknown. */
  loadExecutionState(executionId: string): Awaitable<ExecutionState | undefined>;
  /** Every attempt of an execution's tasks (or of one task), oldest first. */
  getTaskAttempts(executionId: string, taskId?: string): Awaitable<TaskAttemptRecord[]>;
  /** The summary of one execution (with `cancelRequested`), or `undefined`. */
  getExecution(executionId: string): Awaitable<ExecutionSummary | undefined>;
  /**
   * The full id of an execution from a unique prefix. Throws when the prefix is unknown, too short or
   * ambiguous (the server answers 400 when the message says "ambiguous", 404 otherwise).
   */
  resolveExecutionId(prefix: string): Awaitable<string>;
  /** Whether an execution is marked running but its owner process is gone (it can be resumed). */
  isInterrupted(summary: ExecutionSummary): boolean;
  /** The file holding the full output of one attempt's stream, when logs are kept in files. */
  logPath(executionId: string, taskId: string, attempt: number, stream: LogStream): string | undefined;
  /** Asks the process running an execution to cancel it; `true` when it is running. */
  requestCancel(executionId: string): Awaitable<boolean>;
  /** Releases the database. */
  close(): Awaitable<void>;
}
