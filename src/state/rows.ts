/**
 * The rows of the state tables and their conversion to the records of `./types.ts`.
 * @module
 */

import type { ExecutionStatus, TaskStatus } from '../model/result.js';
import type { ExecutionOwner, ExecutionSummary, TaskAttemptRecord, TaskState } from './types.js';

/** A row of `executions`. */
export interface ExecutionRow {
  id: string;
  dag_id: string;
  dag_file: string | null;
  dag_hash: string | null;
  status: string;
  started_at: number;
  completed_at: number | null;
  total_tasks: number;
  owner_host: string | null;
  owner_pid: number | null;
  owner_started_at: number | null;
  working_dir: string | null;
  heartbeat_at: number | null;
  params: string | null;
  cancel_requested_at: number | null;
}

/** A row of `tasks` (the current state of one task of an execution). */
export interface TaskRow {
  execution_id: string;
  task_id: string;
  position: number;
  task_type: string | null;
  depends_on: string | null;
  status: string;
  attempts: number;
  ready_at: number | null;
  completed_at: number | null;
  error_message: string | null;
}

/** A row of `task_executions` (one attempt). */
export interface AttemptRow {
  execution_id: string;
  task_id: string;
  attempt: number;
  retry_number: number;
  status: string;
  ready_at: number | null;
  started_at: number | null;
  completed_at: number | null;
  duration: number | null;
  exit_code: number | null;
  error_message: string | null;
  stdout_tail: string;
  stderr_tail: string;
  output_data: string | null;
  metadata: string | null;
}

/** A `Date` from a stored time, or `undefined`. */
export function dateOf(ms: number | null | undefined): Date | undefined {
  return ms === null || ms === undefined ? undefined : new Date(ms);
}

/** A stored time from a `Date`, or `null`. */
export function msOf(date: Date | undefined): number | null {
  return date === undefined ? null : date.getTime();
}

/** JSON text of a value, or `null` for `undefined`. */
export function jsonOf(value: unknown): string | null {
  if (value === undefined) return null;
  try {
    return JSON.stringify(value) ?? null;
  } catch {
    return JSON.stringify(String(value));
  }
}

/** The value of stored JSON text, or `undefined`. */
export function parseJson(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The owner recorded in a row, if any. */
export function ownerOf(row: ExecutionRow): ExecutionOwner | undefined {
  if (row.owner_host === null || row.owner_pid === null) return undefined;
  return {
    host: row.owner_host,
    pid: row.owner_pid,
    startedAt: new Date(row.owner_started_at ?? row.started_at),
  };
}

/** An execution row as a summary (without task counts, which come from `tasks`). */
export function summaryOf(
  row: ExecutionRow,
  taskCounts: Partial<Record<TaskStatus, number>>,
): ExecutionSummary {
  const summary: ExecutionSummary = {
    executionId: row.id,
    dagId: row.dag_id,
    status: row.status as ExecutionStatus,
    startedAt: new Date(row.started_at),
    totalTasks: row.total_tasks,
    taskCounts,
  };
  if (row.completed_at !== null) {
    summary.completedAt = new Date(row.completed_at);
    summary.duration = Math.max(0, row.completed_at - row.started_at);
  }
  if (row.dag_file !== null) summary.dagFile = row.dag_file;
  const owner = ownerOf(row);
  if (owner) summary.owner = owner;
  if (row.heartbeat_at !== null) summary.heartbeatAt = new Date(row.heartbeat_at);
  if (row.cancel_requested_at !== null) summary.cancelRequested = true;
  return summary;
}

/** An attempt row as a record. */
export function attemptOf(row: AttemptRow): TaskAttemptRecord {
  const record: TaskAttemptRecord = {
    executionId: row.execution_id,
    taskId: row.task_id,
    attempt: row.attempt,
    status: row.status as TaskStatus,
    exitCode: row.exit_code,
    stdoutTail: row.stdout_tail,
    stderrTail: row.stderr_tail,
    metadata: (parseJson(row.metadata) as Record<string, string> | undefined) ?? {},
  };
  const readyAt = dateOf(row.ready_at);
  if (readyAt) record.readyAt = readyAt;
  const startedAt = dateOf(row.started_at);
  if (startedAt) record.startedAt = startedAt;
  const completedAt = dateOf(row.completed_at);
  if (completedAt) record.completedAt = completedAt;
  if (row.duration !== null) record.duration = row.duration;
  if (row.error_message !== null) record.errorMessage = row.error_message;
  if (row.output_data !== null) record.outputData = parseJson(row.output_data);
  return record;
}

/** A task row (with its latest attempt, when it has one) as a task state. */
export function taskStateOf(row: TaskRow, latest: AttemptRow | undefined): TaskState {
  const state: TaskState = { taskId: row.task_id, status: row.status as TaskStatus, attempts: row.attempts };
  if (latest) state.latest = attemptOf(latest);
  if (row.task_type !== null) state.taskType = row.task_type;
  if (row.depends_on !== null) state.dependsOn = parseJson(row.depends_on) as string[];
  if (row.error_message !== null) state.errorMessage = row.error_message;
  const readyAt = dateOf(row.ready_at);
  if (readyAt) state.readyAt = readyAt;
  const completedAt = dateOf(row.completed_at);
  if (completedAt) state.completedAt = completedAt;
  return state;
}
