/**
 * {@link StateManager}: the state database of executions (the reference's `StateManager`), with the read
 * API of the CLI and the dashboard, recovery queries, cancellation requests and pruning.
 *
 * Every method is synchronous (better-sqlite3): calls are short, and a write is one transaction.
 * @module
 */

import type Database from 'better-sqlite3';
import type { OutputStream } from '../engine/task-executor.js';
import {
  type DatabaseLocation,
  describeLocation,
  logDirectoryOf,
  parseDatabaseUrl,
  resolveStateConfig,
} from './config.js';
import { openStateDatabase } from './database.js';
import { type LogChunk, LogFiles, readLogFile } from './log-files.js';
import { currentOwner, isOwnerGone } from './owner.js';
import { pruneExecutions } from './prune.js';
import * as queries from './queries.js';
import type { ExecutionRow } from './rows.js';
import { ownerOf, summaryOf } from './rows.js';
import { writeExecutionState } from './save-state.js';
import type {
  ExecutionCheckpoint,
  ExecutionFilter,
  ExecutionOwner,
  ExecutionState,
  ExecutionSummary,
  PruneOptions,
  StateConfig,
  TaskAttemptRecord,
  TaskState,
} from './types.js';
import { writeTransaction } from './write-transaction.js';
import { StateWrites } from './writes.js';

/** How long a running execution of another host may go without a heartbeat before it counts as gone. */
export const DEFAULT_STALE_AFTER = 60_000;

/** Options of {@link StateManager.open}. */
export interface StateOpenOptions {
  /** Fail when the database file does not exist instead of creating it. @defaultValue false */
  mustExist?: boolean;
  /** What relative paths are relative to. @defaultValue `process.cwd()` */
  cwd?: string;
}

/** Options of {@link StateManager.readLog}. */
export interface ReadLogOptions {
  /** Byte offset to read from; negative counts from the end. @defaultValue 0 */
  offset?: number;
  /** At most this many bytes. @defaultValue 16 MiB */
  maxBytes?: number;
}

/** The state database. Open one with {@link StateManager.open}; {@link StateManager.close} it when done. */
/** The error of an attempt its jorm process left running when it died (see {@link StateManager.claimExecution}). */
export const LOST_ATTEMPT = 'lost: the jorm process running it ended before it finished';

export class StateManager {
  /** The resolved configuration. */
  readonly config: StateConfig;
  /** Where the database is. */
  readonly location: DatabaseLocation;
  /** The full output logs beside the database. */
  readonly logs: LogFiles;
  private readonly db: Database.Database;
  private writesCache: StateWrites | undefined;

  private constructor(
    config: StateConfig,
    location: DatabaseLocation,
    db: Database.Database,
    logs: LogFiles,
  ) {
    this.config = config;
    this.location = location;
    this.db = db;
    this.logs = logs;
  }

  /**
   * Opens (creating when needed) the state database of `config.databaseUrl`, migrating an older schema.
   * @throws StatePersistenceError naming the path, for an unwritable, corrupt, foreign or newer database.
   * @throws ConfigurationError for an invalid configuration.
   */
  static open(config: Partial<StateConfig> = {}, options: StateOpenOptions = {}): StateManager {
    const resolved = resolveStateConfig(config);
    const cwd = options.cwd ?? process.cwd();
    const location = parseDatabaseUrl(resolved.databaseUrl, cwd);
    const db = openStateDatabase(location, { mustExist: options.mustExist ?? false });
    const logs = new LogFiles(logDirectoryOf(location, resolved.logDirectory, cwd));
    return new StateManager(resolved, location, db, logs);
  }

  /** The database path, or `sqlite::memory:`. */
  get displayName(): string {
    return describeLocation(this.location);
  }

  /** The underlying connection, for the state recorder. @internal */
  get database(): Database.Database {
    return this.db;
  }

  /** The prepared write statements, for the state recorder. @internal */
  get writes(): StateWrites {
    this.writesCache ??= new StateWrites(this.db);
    return this.writesCache;
  }

  /** Runs `work` in one write transaction (BEGIN IMMEDIATE, retried while another process holds the lock). */
  transaction<T>(work: () => T): T {
    return writeTransaction(this.db, work);
  }

  /** Writes an execution with its tasks and their latest attempts, in one transaction. */
  saveExecutionState(state: ExecutionState): void {
    this.transaction(() => writeExecutionState(this.writes, state));
  }

  /** The stored state of an execution, or `undefined` when there is none with this id. */
  loadExecutionState(executionId: string): ExecutionState | undefined {
    return queries.loadExecutionState(this.db, executionId);
  }

  /** Every attempt of a task across the executions of a DAG, newest first. */
  getTaskHistory(dagId: string, taskId: string): TaskAttemptRecord[] {
    return queries.getTaskHistory(this.db, dagId, taskId);
  }

  /** Executions matching a filter, newest first (20 by default). */
  listExecutions(filter: ExecutionFilter = {}): ExecutionSummary[] {
    return queries.listExecutions(this.db, filter);
  }

  /** The number of executions matching a filter. */
  countExecutions(filter: ExecutionFilter = {}): number {
    return queries.countExecutions(this.db, filter);
  }

  /** The summary of one execution, or `undefined`. */
  getExecution(executionId: string): ExecutionSummary | undefined {
    return queries.getExecutionSummary(this.db, executionId);
  }

  /** The attempts of an execution (of one task when `taskId` is given), in the order they started. */
  getTaskAttempts(executionId: string, taskId?: string): TaskAttemptRecord[] {
    return queries.getTaskAttempts(this.db, executionId, taskId);
  }

  /** The current state of one task of an execution, or `undefined` when it has no such task. */
  getTaskState(executionId: string, taskId: string): TaskState | undefined {
    return queries.getTaskState(this.db, executionId, taskId);
  }

  /** The progress snapshots of an execution, oldest first. */
  getCheckpoints(executionId: string): ExecutionCheckpoint[] {
    return queries.getCheckpoints(this.db, executionId);
  }

  /**
   * The full id of the execution whose id starts with `prefix` (at least 6 characters, case-insensitive).
   * @throws RecoveryError when it is too short, unknown or ambiguous.
   */
  resolveExecutionId(prefix: string): string {
    return queries.resolveExecutionId(this.db, prefix);
  }

  /** The log file of one attempt's stream (`undefined` for an in-memory database without a log directory). */
  logPath(executionId: string, taskId: string, attempt: number, stream: OutputStream): string | undefined {
    return this.logs.pathOf(executionId, taskId, attempt, stream);
  }

  /**
   * Reads one attempt's stream from its log file; when there is no file (in-memory database, pruned logs),
   * from the tail kept in the database.
   */
  readLog(
    executionId: string,
    taskId: string,
    attempt: number,
    stream: OutputStream,
    options: ReadLogOptions = {},
  ): LogChunk {
    const path = this.logPath(executionId, taskId, attempt, stream);
    const offset = options.offset ?? 0;
    if (path !== undefined) {
      const chunk = readLogFile(path, offset, options.maxBytes);
      if (chunk.exists) return chunk;
    }
    const record = this.getTaskAttempts(executionId, taskId).find((a) => a.attempt === attempt);
    const tail = record ? (stream === 'stdout' ? record.stdoutTail : record.stderrTail) : '';
    const bytes = Buffer.from(tail, 'utf8');
    const start = offset < 0 ? Math.max(0, bytes.length + offset) : Math.min(offset, bytes.length);
    return {
      text: bytes.subarray(start).toString('utf8'),
      nextOffset: bytes.length,
      size: bytes.length,
      exists: false,
    };
  }

  /**
   * Executions that are still marked running but whose owner is gone: on this host its process no
   * longer exists; on another host its last heartbeat is older than `staleAfter` (60 s by default).
   */
  listRecoverableExecutions(): ExecutionSummary[] {
    const rows = this.db
      .prepare("SELECT * FROM executions WHERE status = 'running' ORDER BY started_at DESC, id DESC")
      .all() as ExecutionRow[];
    const counts = queries.taskCounts(
      this.db,
      rows.map((r) => r.id),
    );
    return rows.map((r) => summaryOf(r, counts.get(r.id) ?? {})).filter((s) => this.isInterrupted(s));
  }

  /** Whether an execution is marked running but its owner is gone (it crashed or was killed). */
  isInterrupted(summary: ExecutionSummary, now: number = Date.now()): boolean {
    if (summary.status !== 'running') return false;
    return isOwnerGone(summary, this.config.staleAfter ?? DEFAULT_STALE_AFTER, now);
  }

  /** Records that the owner of a running execution is alive. @returns whether the execution exists. */
  heartbeat(executionId: string, at: number = Date.now()): boolean {
    return this.transaction(() => this.writes.heartbeat(executionId, at));
  }

  /**
   * Claims an execution for this process before resuming it. In one write transaction: when its recorded
   * owner is still `expected` (the owner the resume was planned with; `undefined`: none), marks it
   * running under `owner` with a fresh heartbeat. Two resumes of one execution started at once both plan
   * it as resumable; only the first to claim it runs it, and a resume planned after the claim finds it
   * running. Attempts the previous owner left `running` are recorded as failed, lost with it.
   * @returns false when the execution is gone or another process claimed it since.
   */
  claimExecution(
    executionId: string,
    expected: ExecutionOwner | undefined,
    owner: ExecutionOwner = currentOwner(),
    at: number = Date.now(),
  ): boolean {
    return this.transaction(() => {
      const row = this.db.prepare('SELECT * FROM executions WHERE id = ?').get(executionId) as
        | ExecutionRow
        | undefined;
      if (!row) return false;
      const recorded = ownerOf(row);
      const unchanged =
        recorded === undefined || expected === undefined
          ? recorded === expected
          : recorded.host === expected.host &&
            recorded.pid === expected.pid &&
            recorded.startedAt.getTime() === expected.startedAt.getTime();
      if (!unchanged) return false;
      // Running under its new owner from now on: a resume planned later finds it running, not resumable.
      this.db
        .prepare(
          `UPDATE executions SET status = 'running', completed_at = NULL, owner_host = ?, owner_pid = ?,
             owner_started_at = ?, heartbeat_at = ? WHERE id = ?`,
        )
        .run(owner.host, owner.pid, owner.startedAt.getTime(), at, executionId);
      // Attempts the gone owner left running never ended as far as anyone saw: they failed, lost with it.
      this.db
        .prepare(
          `UPDATE task_executions SET status = 'failed', completed_at = COALESCE(completed_at, ?),
             error_message = ? WHERE execution_id = ? AND status = 'running'`,
        )
        .run(row.heartbeat_at ?? at, LOST_ATTEMPT, executionId);
      return true;
    });
  }

  /**
   * Asks the process that runs an execution to cancel it (it checks with its heartbeat).
   * @returns whether the execution is running (so the request can be acted on).
   */
  requestCancel(executionId: string, at: number = Date.now()): boolean {
    return this.transaction(
      () =>
        this.db
          .prepare("UPDATE executions SET cancel_requested_at = ? WHERE id = ? AND status = 'running'")
          .run(at, executionId).changes > 0,
    );
  }

  /** Whether a cancellation of a running execution was requested. */
  isCancelRequested(executionId: string): boolean {
    const row = this.db
      .prepare("SELECT cancel_requested_at FROM executions WHERE id = ? AND status = 'running'")
      .get(executionId) as { cancel_requested_at: number | null } | undefined;
    return row !== undefined && row.cancel_requested_at !== null;
  }

  /**
   * Removes old executions with their tasks, attempts, checkpoints and log folders. Running executions
   * are never removed.
   * @returns the ids removed.
   */
  prune(options: PruneOptions = {}, now: number = Date.now()): string[] {
    return pruneExecutions(this.db, this.logs, options, now);
  }

  /**
   * {@link StateManager.prune} with `cleanupCompletedAfter` and `maxExecutionHistory` of the configuration.
   * @param reserve room to leave for executions about to be recorded (a run that starts: 1), so that the
   * history holds at most `maxExecutionHistory` executions once they are. @defaultValue 0
   * @param exclude executions never to remove (one being resumed).
   */
  pruneByConfig(now: number = Date.now(), reserve = 0, exclude: string[] = []): string[] {
    const options: PruneOptions = exclude.length ? { exclude } : {};
    if (this.config.cleanupCompletedAfter !== undefined)
      options.olderThan = this.config.cleanupCompletedAfter;
    if (this.config.maxExecutionHistory !== undefined) {
      options.keep = Math.max(0, this.config.maxExecutionHistory - reserve);
    }
    return this.prune(options, now);
  }

  /** Closes the log files and the database. Safe to call twice. */
  close(): void {
    this.logs.closeAll();
    if (this.db.open) this.db.close();
  }
}
