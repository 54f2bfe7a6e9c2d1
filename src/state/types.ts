/**
 * The state store's records and read API, shared by the CLI (`history`, `show`, `logs`), recovery and the
 * dashboard. Times are `Date`s; durations milliseconds.
 * @module
 */

import type { ExecutionStatus, TaskStatus } from '../model/result.js';

/** Configuration of state persistence (the reference's `StateConfig`). */
export interface StateConfig {
  /** `sqlite:path`, a plain path, or `sqlite::memory:`. @defaultValue `'sqlite:.jorm/state.db'` */
  databaseUrl: string;
  /** Record progress snapshots while running. @defaultValue true */
  enableCheckpoints: boolean;
  /** ms between snapshots. @defaultValue 30000 */
  checkpointInterval: number;
  /** Prune finished executions older than this (ms) when a run starts. */
  cleanupCompletedAfter?: number;
  /** Keep at most this many executions (newest) when a run starts. */
  maxExecutionHistory?: number;
  /** Where the full output of each attempt is written. @defaultValue `<db dir>/logs` (none for `sqlite::memory:`) */
  logDirectory?: string;
  /** ms between heartbeats of a running execution. @defaultValue 5000 */
  heartbeatInterval?: number;
  /** A running execution of another host whose last heartbeat is older than this (ms) counts as gone. @defaultValue 60000 */
  staleAfter?: number;
}

/** Who runs an execution, for crash detection. */
export interface ExecutionOwner {
  host: string;
  pid: number;
  /** When the owning process started. */
  startedAt: Date;
}

/** One row of `jorm history`. */
export interface ExecutionSummary {
  executionId: string;
  dagId: string;
  status: ExecutionStatus;
  startedAt: Date;
  completedAt?: Date;
  /** ms, when finished. */
  duration?: number;
  /** Number of tasks in the DAG. */
  totalTasks: number;
  /** Tasks per current status. */
  taskCounts: Partial<Record<TaskStatus, number>>;
  /** The DAG file, when run from one. */
  dagFile?: string;
  owner?: ExecutionOwner;
  /** Last heartbeat of the owner. */
  heartbeatAt?: Date;
  /** A cancellation was requested (e.g. from the dashboard) and not yet acted on. */
  cancelRequested?: boolean;
}

/** One attempt of one task. */
export interface TaskAttemptRecord {
  executionId: string;
  taskId: string;
  /** 1 for the first attempt. */
  attempt: number;
  status: TaskStatus;
  /** When the task became ready (dependencies done), if known. */
  readyAt?: Date;
  startedAt?: Date;
  completedAt?: Date;
  duration?: number;
  exitCode: number | null;
  errorMessage?: string;
  /** The last bytes of stdout/stderr (the full output is in the log files). */
  stdoutTail: string;
  stderrTail: string;
  outputData?: unknown;
  /** Attempt runs elsewhere (worker host) — informational. */
  metadata: Record<string, string>;
}

/** The current state of one task in an execution (its latest attempt). */
export interface TaskState {
  taskId: string;
  status: TaskStatus;
  /** Attempts made so far. */
  attempts: number;
  latest?: TaskAttemptRecord;
  /** The task type (registry key), when recorded. */
  taskType?: string;
  /** Ids of the tasks it depends on, when recorded. */
  dependsOn?: string[];
  /** Why it did not succeed (also for tasks skipped or cancelled without an attempt). */
  errorMessage?: string;
  /** When it became ready, when it did. */
  readyAt?: Date;
  /** When it reached its final status. */
  completedAt?: Date;
}

/** The persistent state of an execution (the reference's `ExecutionState`). */
export interface ExecutionState {
  dagId: string;
  executionId: string;
  status: ExecutionStatus;
  startedAt: Date;
  completedAt?: Date;
  taskStates: Record<string, TaskState>;
  /** Hash of the DAG definition, to refuse resuming a changed DAG. */
  dagHash?: string;
  dagFile?: string;
  owner?: ExecutionOwner;
  heartbeatAt?: Date;
  /** Parameters the run was started with. */
  params?: Record<string, string>;
  /** The directory the tasks ran in (absolute; runs recorded before session 9 have none). */
  workingDirectory?: string;
  /**
   * Parameters of the run whose value is a secret: stored by name only, never by value (not in
   * `params`); `jorm resume` needs them given again (`--param NAME=VALUE`).
   */
  secretParams?: string[];
}

/** Filters of {@link ExecutionSummary} listings. */
export interface ExecutionFilter {
  dagId?: string;
  status?: ExecutionStatus;
  /** @defaultValue 20 */
  limit?: number;
  offset?: number;
}

/** What `StateManager.prune` removes. Running executions are never removed. */
export interface PruneOptions {
  /** Remove finished executions that completed more than this many ms ago. */
  olderThan?: number;
  /** Keep only this many executions (newest first); older finished ones are removed. */
  keep?: number;
  /** Executions never to remove (e.g. one being resumed). */
  exclude?: string[];
}

/** A progress snapshot of a running execution. */
export interface ExecutionCheckpoint {
  executionId: string;
  createdAt: Date;
  /** Tasks per current status. */
  taskCounts: Partial<Record<TaskStatus, number>>;
  /** Ids of the tasks running at the time. */
  running: string[];
}
