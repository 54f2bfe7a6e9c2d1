/**
 * The start of a recorded execution: a new one is inserted with every task pending; one that exists
 * already (a resume) is taken up again — its succeeded tasks kept, the others pending again.
 * @module
 */

import { resolve } from 'node:path';
import type Database from 'better-sqlite3';
import type { Dag } from '../model/dag.js';
import { dagHash } from './dag-hash.js';
import { currentOwner } from './owner.js';
import { getExecutionRow } from './queries.js';
import type { TaskRow } from './rows.js';
import { TaskLedger } from './task-ledger.js';
import type { ExecutionValues } from './writes.js';

/** How the execution row is written by the first flush. */
export type ExecutionWrite =
  | { kind: 'insert'; values: ExecutionValues }
  | { kind: 'restart'; totalTasks: number; dagHash: string | null; dagFile: string | null };

/** What is known when an execution starts. */
export interface RecordingStart {
  executionId: string;
  dagId: string;
  taskCount: number;
  /** Start time, epoch ms. */
  at: number;
  dag?: Dag;
  dagFile?: string;
  params?: Record<string, string>;
  /** Parameters whose value is a secret: stored by name only (see {@link paramsJson}). */
  secretParams?: readonly string[];
  /** The directory the tasks run in (absolute). */
  workingDir?: string;
}

/**
 * The JSON of an execution's parameters as stored: a secret one (its value feeds a secure variable) is
 * stored as `null`, so that its value is never written; `jorm resume` asks for it again.
 */
export function paramsJson(
  params: Readonly<Record<string, string>> | undefined,
  secretParams: readonly string[] = [],
): string | null {
  if (params === undefined) return null;
  const stored: Record<string, string | null> = {};
  for (const name in params) stored[name] = secretParams.includes(name) ? null : params[name]!;
  return JSON.stringify(stored);
}

/** The ledger of a starting execution and the write of its row. */
export function beginRecording(
  db: Database.Database,
  start: RecordingStart,
): { ledger: TaskLedger; write: ExecutionWrite } {
  const { executionId, dag } = start;
  const ledger = new TaskLedger(executionId);
  const hash = dag ? dagHash(dag) : null;
  const existing = getExecutionRow(db, executionId);
  if (existing) {
    const rows = db
      .prepare('SELECT * FROM tasks WHERE execution_id = ? ORDER BY position, task_id')
      .all(executionId) as TaskRow[];
    for (const row of rows) takeUp(ledger, row);
  }
  if (dag) {
    for (const task of dag.tasks) {
      const t = ledger.task(task.id);
      t.taskType = task.taskType;
      t.dependsOn = JSON.stringify(task.dependsOn);
      if (!t.kept) ledger.touch(task.id);
    }
  }
  if (existing) {
    const totalTasks = Math.max(start.taskCount, ledger.tasks.size);
    return {
      ledger,
      write: { kind: 'restart', totalTasks, dagHash: hash, dagFile: absolute(start.dagFile) },
    };
  }
  const owner = currentOwner();
  const values: ExecutionValues = {
    id: executionId,
    dagId: start.dagId,
    dagFile: absolute(start.dagFile ?? dag?.sourceFile),
    dagHash: hash,
    status: 'running',
    startedAt: start.at,
    completedAt: null,
    totalTasks: start.taskCount,
    ownerHost: owner.host,
    ownerPid: owner.pid,
    ownerStartedAt: owner.startedAt.getTime(),
    heartbeatAt: start.at,
    params: paramsJson(start.params, start.secretParams),
    workingDir: start.workingDir ?? null,
  };
  return { ledger, write: { kind: 'insert', values } };
}

/** Takes a task of an earlier run of the same execution: succeeded ones are kept, others start over. */
function takeUp(ledger: TaskLedger, row: TaskRow): void {
  const t = ledger.task(row.task_id);
  t.position = row.position;
  t.taskType = row.task_type;
  t.dependsOn = row.depends_on;
  t.attempts = row.attempts;
  if (row.status === 'success') {
    t.kept = true;
    t.status = 'success';
    t.readyAt = row.ready_at;
    t.completedAt = row.completed_at;
    return;
  }
  t.status = 'pending';
  ledger.touch(row.task_id);
}

function absolute(file: string | undefined): string | null {
  return file === undefined ? null : resolve(file);
}
