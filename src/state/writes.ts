/**
 * {@link StateWrites}: the prepared write statements of the state database, shared by
 * `StateManager.saveExecutionState` and the `StateRecorder`. Callers run them inside `writeTransaction`.
 * @module
 */

import type Database from 'better-sqlite3';

/** One execution row to insert or replace. Times are epoch ms. */
export interface ExecutionValues {
  id: string;
  dagId: string;
  dagFile: string | null;
  dagHash: string | null;
  status: string;
  startedAt: number;
  completedAt: number | null;
  totalTasks: number;
  ownerHost: string | null;
  ownerPid: number | null;
  ownerStartedAt: number | null;
  heartbeatAt: number | null;
  params: string | null;
  /** The directory the tasks run in (absolute). */
  workingDir: string | null;
}

/** One task row to insert or update. */
export interface TaskValues {
  executionId: string;
  taskId: string;
  position: number;
  taskType: string | null;
  dependsOn: string | null;
  status: string;
  attempts: number;
  readyAt: number | null;
  completedAt: number | null;
  errorMessage: string | null;
}

/** One attempt row to insert or update. */
export interface AttemptValues {
  executionId: string;
  taskId: string;
  attempt: number;
  retryNumber: number;
  status: string;
  readyAt: number | null;
  startedAt: number | null;
  completedAt: number | null;
  duration: number | null;
  exitCode: number | null;
  errorMessage: string | null;
  stdoutTail: string;
  stderrTail: string;
  outputData: string | null;
  metadata: string | null;
}

/** Prepared write statements over one database connection. */
export class StateWrites {
  private readonly upsertExecutionStmt: Database.Statement;
  private readonly restartStmt: Database.Statement;
  private readonly finishStmt: Database.Statement;
  private readonly heartbeatStmt: Database.Statement;
  private readonly upsertTaskStmt: Database.Statement;
  private readonly upsertAttemptStmt: Database.Statement;
  private readonly checkpointStmt: Database.Statement;

  constructor(db: Database.Database) {
    this.upsertExecutionStmt = db.prepare(`
      INSERT INTO executions (id, dag_id, dag_file, dag_hash, status, started_at, completed_at, total_tasks,
        owner_host, owner_pid, owner_started_at, heartbeat_at, params, working_dir)
      VALUES (@id, @dagId, @dagFile, @dagHash, @status, @startedAt, @completedAt, @totalTasks,
        @ownerHost, @ownerPid, @ownerStartedAt, @heartbeatAt, @params, @workingDir)
      ON CONFLICT (id) DO UPDATE SET dag_id = excluded.dag_id, dag_file = excluded.dag_file,
        dag_hash = excluded.dag_hash, status = excluded.status, started_at = excluded.started_at,
        completed_at = excluded.completed_at, total_tasks = excluded.total_tasks, owner_host = excluded.owner_host,
        owner_pid = excluded.owner_pid, owner_started_at = excluded.owner_started_at,
        heartbeat_at = excluded.heartbeat_at, params = excluded.params,
        working_dir = COALESCE(excluded.working_dir, working_dir)`);
    this.restartStmt = db.prepare(`
      UPDATE executions SET status = 'running', completed_at = NULL, cancel_requested_at = NULL,
        owner_host = @ownerHost, owner_pid = @ownerPid, owner_started_at = @ownerStartedAt,
        heartbeat_at = @heartbeatAt, dag_hash = COALESCE(@dagHash, dag_hash),
        dag_file = COALESCE(@dagFile, dag_file), total_tasks = MAX(total_tasks, @totalTasks)
      WHERE id = @id`);
    this.finishStmt = db.prepare(
      'UPDATE executions SET status = ?, completed_at = ?, heartbeat_at = ?, cancel_requested_at = NULL WHERE id = ?',
    );
    this.heartbeatStmt = db.prepare('UPDATE executions SET heartbeat_at = ? WHERE id = ?');
    this.upsertTaskStmt = db.prepare(`
      INSERT INTO tasks (execution_id, task_id, position, task_type, depends_on, status, attempts, ready_at,
        completed_at, error_message)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (execution_id, task_id) DO UPDATE SET task_type = COALESCE(excluded.task_type, task_type),
        depends_on = COALESCE(excluded.depends_on, depends_on), status = excluded.status,
        attempts = excluded.attempts, ready_at = excluded.ready_at, completed_at = excluded.completed_at,
        error_message = excluded.error_message`);
    this.upsertAttemptStmt = db.prepare(`
      INSERT INTO task_executions (execution_id, task_id, attempt, retry_number, status, ready_at, started_at,
        completed_at, duration, exit_code, error_message, stdout_tail, stderr_tail, output_data, metadata)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (execution_id, task_id, attempt) DO UPDATE SET retry_number = excluded.retry_number,
        status = excluded.status, ready_at = excluded.ready_at, started_at = excluded.started_at,
        completed_at = excluded.completed_at, duration = excluded.duration, exit_code = excluded.exit_code,
        error_message = excluded.error_message, stdout_tail = excluded.stdout_tail,
        stderr_tail = excluded.stderr_tail, output_data = excluded.output_data, metadata = excluded.metadata`);
    this.checkpointStmt = db.prepare(
      'INSERT INTO checkpoints (execution_id, created_at, snapshot) VALUES (?, ?, ?)',
    );
  }

  /** Inserts or replaces an execution row. */
  upsertExecution(values: ExecutionValues): void {
    this.upsertExecutionStmt.run(values);
  }

  /** Marks an existing execution running again under a new owner (resume). */
  restartExecution(values: {
    id: string;
    ownerHost: string;
    ownerPid: number;
    ownerStartedAt: number;
    heartbeatAt: number;
    dagHash: string | null;
    dagFile: string | null;
    totalTasks: number;
  }): void {
    this.restartStmt.run(values);
  }

  /** Records the end of an execution. */
  finishExecution(id: string, status: string, completedAt: number): void {
    this.finishStmt.run(status, completedAt, completedAt, id);
  }

  /** Records a heartbeat. @returns whether the execution exists. */
  heartbeat(id: string, at: number): boolean {
    return this.heartbeatStmt.run(at, id).changes > 0;
  }

  // The two statements a run writes for every task take positional parameters: better-sqlite3 binds a
  // named one with a property lookup by name, which made binding most of the statement's cost (a third
  // fewer instructions per scheduler turn, docs/performance.md).

  /** Inserts or updates a task's current state. */
  upsertTask(v: TaskValues): void {
    this.upsertTaskStmt.run(
      v.executionId,
      v.taskId,
      v.position,
      v.taskType,
      v.dependsOn,
      v.status,
      v.attempts,
      v.readyAt,
      v.completedAt,
      v.errorMessage,
    );
  }

  /** Inserts or updates one attempt. */
  upsertAttempt(v: AttemptValues): void {
    this.upsertAttemptStmt.run(
      v.executionId,
      v.taskId,
      v.attempt,
      v.retryNumber,
      v.status,
      v.readyAt,
      v.startedAt,
      v.completedAt,
      v.duration,
      v.exitCode,
      v.errorMessage,
      v.stdoutTail,
      v.stderrTail,
      v.outputData,
      v.metadata,
    );
  }

  /** Adds a progress snapshot. */
  addCheckpoint(executionId: string, at: number, snapshot: string): void {
    this.checkpointStmt.run(executionId, at, snapshot);
  }
}
