/**
 * The read side of the state database: listings, one execution's state, attempts, task history,
 * checkpoints and id prefixes. Plain functions over an open database.
 * @module
 */

import type Database from 'better-sqlite3';
import { RecoveryError } from '../model/errors.js';
import type { TaskStatus } from '../model/result.js';
import {
  type AttemptRow,
  attemptOf,
  type ExecutionRow,
  parseJson,
  summaryOf,
  type TaskRow,
  taskStateOf,
} from './rows.js';
import type {
  ExecutionCheckpoint,
  ExecutionFilter,
  ExecutionState,
  ExecutionSummary,
  TaskAttemptRecord,
  TaskState,
} from './types.js';

/** The shortest execution id prefix accepted. */
export const MIN_ID_PREFIX = 6;

function where(filter: ExecutionFilter): { sql: string; args: unknown[] } {
  const clauses: string[] = [];
  const args: unknown[] = [];
  if (filter.dagId !== undefined) {
    clauses.push('dag_id = ?');
    args.push(filter.dagId);
  }
  if (filter.status !== undefined) {
    clauses.push('status = ?');
    args.push(filter.status);
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', args };
}

/** Executions matching a filter, newest first. */
export function listExecutions(db: Database.Database, filter: ExecutionFilter = {}): ExecutionSummary[] {
  const { sql, args } = where(filter);
  const limit = filter.limit ?? 20;
  const offset = filter.offset ?? 0;
  const rows = db
    .prepare(`SELECT * FROM executions ${sql} ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?`)
    .all(...args, limit, offset) as ExecutionRow[];
  const counts = taskCounts(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => summaryOf(r, counts.get(r.id) ?? {}));
}

/** The number of executions matching a filter (`limit` and `offset` ignored). */
export function countExecutions(db: Database.Database, filter: ExecutionFilter = {}): number {
  const { sql, args } = where(filter);
  const row = db.prepare(`SELECT COUNT(*) AS n FROM executions ${sql}`).get(...args) as { n: number };
  return row.n;
}

/** The summary of one execution. */
export function getExecutionSummary(
  db: Database.Database,
  executionId: string,
): ExecutionSummary | undefined {
  const row = getExecutionRow(db, executionId);
  if (!row) return undefined;
  return summaryOf(row, taskCounts(db, [row.id]).get(row.id) ?? {});
}

/** The stored row of one execution. */
export function getExecutionRow(db: Database.Database, executionId: string): ExecutionRow | undefined {
  return db.prepare('SELECT * FROM executions WHERE id = ?').get(executionId) as ExecutionRow | undefined;
}

/** Tasks per current status, for each of the given executions. */
export function taskCounts(
  db: Database.Database,
  executionIds: string[],
): Map<string, Partial<Record<TaskStatus, number>>> {
  const result = new Map<string, Partial<Record<TaskStatus, number>>>();
  if (executionIds.length === 0) return result;
  const statement = db.prepare(
    'SELECT status, COUNT(*) AS n FROM tasks WHERE execution_id = ? GROUP BY status',
  );
  for (const id of executionIds) {
    const counts: Partial<Record<TaskStatus, number>> = {};
    for (const row of statement.all(id) as { status: TaskStatus; n: number }[]) counts[row.status] = row.n;
    result.set(id, counts);
  }
  return result;
}

/** The whole state of one execution: its row, and every task with its latest attempt. */
export function loadExecutionState(db: Database.Database, executionId: string): ExecutionState | undefined {
  const row = getExecutionRow(db, executionId);
  if (!row) return undefined;
  const tasks = db
    .prepare('SELECT * FROM tasks WHERE execution_id = ? ORDER BY position, task_id')
    .all(executionId) as TaskRow[];
  const latest = new Map<string, AttemptRow>();
  const attempts = db
    .prepare('SELECT * FROM task_executions WHERE execution_id = ? ORDER BY task_id, attempt')
    .all(executionId) as AttemptRow[];
  for (const a of attempts) latest.set(a.task_id, a);
  const state: ExecutionState = {
    dagId: row.dag_id,
    executionId: row.id,
    status: row.status as ExecutionState['status'],
    startedAt: new Date(row.started_at),
    taskStates: {},
  };
  for (const t of tasks) state.taskStates[t.task_id] = taskStateOf(t, latest.get(t.task_id));
  const summary = summaryOf(row, {});
  if (summary.completedAt) state.completedAt = summary.completedAt;
  if (row.dag_hash !== null) state.dagHash = row.dag_hash;
  if (summary.dagFile !== undefined) state.dagFile = summary.dagFile;
  if (summary.owner) state.owner = summary.owner;
  if (summary.heartbeatAt) state.heartbeatAt = summary.heartbeatAt;
  if (row.working_dir !== null) state.workingDirectory = row.working_dir;
  if (row.params !== null) {
    const stored = parseJson(row.params) as Record<string, string | null>;
    const params: Record<string, string> = {};
    const secret: string[] = [];
    for (const name in stored) {
      const value = stored[name];
      if (typeof value === 'string') params[name] = value;
      else secret.push(name);
    }
    state.params = params;
    if (secret.length > 0) state.secretParams = secret;
  }
  return state;
}

/** The attempts of an execution (of one task when `taskId` is given), in the order they started. */
export function getTaskAttempts(
  db: Database.Database,
  executionId: string,
  taskId?: string,
): TaskAttemptRecord[] {
  const rows = (
    taskId === undefined
      ? db
          .prepare(
            'SELECT * FROM task_executions WHERE execution_id = ? ORDER BY COALESCE(started_at, completed_at), task_id, attempt',
          )
          .all(executionId)
      : db
          .prepare('SELECT * FROM task_executions WHERE execution_id = ? AND task_id = ? ORDER BY attempt')
          .all(executionId, taskId)
  ) as AttemptRow[];
  return rows.map(attemptOf);
}

/** Every attempt of a task across the executions of a DAG, newest first (the reference's `get_task_history`). */
export function getTaskHistory(db: Database.Database, dagId: string, taskId: string): TaskAttemptRecord[] {
  const rows = db
    .prepare(
      `SELECT te.* FROM executions e JOIN task_executions te ON te.execution_id = e.id AND te.task_id = ?
       WHERE e.dag_id = ? ORDER BY e.started_at DESC, e.id DESC, te.attempt DESC`,
    )
    .all(taskId, dagId) as AttemptRow[];
  return rows.map(attemptOf);
}

/** The progress snapshots of an execution, oldest first. */
export function getCheckpoints(db: Database.Database, executionId: string): ExecutionCheckpoint[] {
  const rows = db
    .prepare('SELECT created_at, snapshot FROM checkpoints WHERE execution_id = ? ORDER BY id')
    .all(executionId) as { created_at: number; snapshot: string }[];
  return rows.map((r) => {
    const snapshot = parseJson(r.snapshot) as Pick<ExecutionCheckpoint, 'taskCounts' | 'running'>;
    return {
      executionId,
      createdAt: new Date(r.created_at),
      taskCounts: snapshot.taskCounts,
      running: snapshot.running,
    };
  });
}

/**
 * The full id of the execution whose id is, or starts with, `prefix` (case-insensitive, at least
 * {@link MIN_ID_PREFIX} characters).
 * @throws RecoveryError when the prefix is too short, unknown or ambiguous.
 */
export function resolveExecutionId(db: Database.Database, prefix: string): string {
  const wanted = prefix.trim();
  const exact = db.prepare('SELECT id FROM executions WHERE id = ?').get(wanted) as
    | { id: string }
    | undefined;
  if (exact) return exact.id;
  const upper = wanted.toUpperCase();
  if (upper.length < MIN_ID_PREFIX) {
    throw new RecoveryError(
      `execution id "${wanted}" is too short: give at least ${MIN_ID_PREFIX} characters (see jorm history)`,
      wanted,
    );
  }
  const byPrefix = db.prepare('SELECT id FROM executions WHERE id >= ? AND id < ? ORDER BY id LIMIT 6');
  const found = new Set<string>();
  for (const p of new Set([upper, wanted])) {
    for (const r of byPrefix.all(p, `${p}\uffff`) as { id: string }[]) found.add(r.id);
  }
  const rows = [...found].map((id) => ({ id }));
  if (rows.length === 1) return rows[0]!.id;
  if (rows.length === 0) {
    throw new RecoveryError(`no execution with id "${wanted}" (see jorm history)`, wanted);
  }
  const shown = rows.slice(0, 5).map((r) => r.id);
  throw new RecoveryError(
    `execution id "${wanted}" is ambiguous: it matches ${shown.join(', ')}${rows.length > 5 ? ', …' : ''}; give more characters`,
    wanted,
  );
}

/** The id, attempt and status of each attempt of an execution (of one task), without their output. */
export function getAttemptStatuses(
  db: Database.Database,
  executionId: string,
  taskId?: string,
): { taskId: string; attempt: number; status: TaskStatus }[] {
  const sql =
    'SELECT task_id AS taskId, attempt, status FROM task_executions WHERE execution_id = ?' +
    (taskId === undefined ? '' : ' AND task_id = ?') +
    ' ORDER BY COALESCE(started_at, completed_at), task_id, attempt';
  const args = taskId === undefined ? [executionId] : [executionId, taskId];
  return db.prepare(sql).all(...args) as { taskId: string; attempt: number; status: TaskStatus }[];
}

/** The current state of one task of an execution (with its latest attempt). */
export function getTaskState(
  db: Database.Database,
  executionId: string,
  taskId: string,
): TaskState | undefined {
  const row = db
    .prepare('SELECT * FROM tasks WHERE execution_id = ? AND task_id = ?')
    .get(executionId, taskId) as TaskRow | undefined;
  if (!row) return undefined;
  const latest = db
    .prepare(
      'SELECT * FROM task_executions WHERE execution_id = ? AND task_id = ? ORDER BY attempt DESC LIMIT 1',
    )
    .get(executionId, taskId) as AttemptRow | undefined;
  return taskStateOf(row, latest);
}
