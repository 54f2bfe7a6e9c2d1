/**
 * {@link StateRecorder}: an execution observer that persists an execution as it runs. Events are
 * buffered in memory; {@link StateRecorder.flush} writes what changed in ONE transaction. The engine
 * flushes once per scheduler turn, before acting on state changes, so a `kill -9` at any instant loses at
 * most the work of the tasks that were running. Output chunks go straight to the log files.
 * @module
 */

import type {
  ExecutionEvent,
  ExecutionObserver,
  TaskFinishedEvent,
  TaskRetryingEvent,
} from '../engine/events.js';
import type { Dag } from '../model/dag.js';
import { errorMessage, StatePersistenceError } from '../model/errors.js';
import type { TaskResult } from '../model/result.js';
import { currentOwner } from './owner.js';
import { beginRecording, type ExecutionWrite } from './recorder-start.js';
import { jsonOf } from './rows.js';
import type { StateManager } from './state-manager.js';
import { tailOf } from './tail.js';
import type { LedgerTask, TaskLedger } from './task-ledger.js';

/** What the recorder knows beyond the events. */
export interface StateRecorderOptions {
  /** The DAG being run: its tasks are recorded as pending at the start (with types and dependencies). */
  dag?: Dag;
  /** The DAG file, for history and resume. */
  dagFile?: string;
  /** Parameters of the run. */
  params?: Record<string, string>;
  /** The directory the tasks run in (absolute), for `jorm resume` from another directory. */
  workingDir?: string;
  /** The clock. @defaultValue `Date.now` */
  now?: () => number;
}

/** A flush also records a heartbeat when the last one is at least this old, ms. */
const HEARTBEAT_EVERY = 1000;

/** Persists one execution from its events (use one recorder per run). */
export class StateRecorder implements ExecutionObserver {
  private ledger: TaskLedger | undefined;
  private startWrite: ExecutionWrite | undefined;
  private finishWrite: { status: string; completedAt: number } | undefined;
  private lastCheckpoint = 0;
  private lastHeartbeat = 0;
  private failure: StatePersistenceError | undefined;
  private readonly now: () => number;

  constructor(
    private readonly manager: StateManager,
    private readonly options: StateRecorderOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /** The error of the last flush when it failed (its changes are still buffered); cleared by a successful flush. */
  get error(): StatePersistenceError | undefined {
    return this.failure;
  }

  /** The id of the execution being recorded, once it started. */
  get executionId(): string | undefined {
    return this.ledger?.executionId;
  }

  /** Takes one event into the buffer (output is appended to its log file at once). Never does database I/O. */
  onEvent(event: ExecutionEvent): void {
    if (event.type === 'execution_started') {
      this.start(
        event.executionId,
        event.dagId,
        event.taskCount,
        event.timestamp.getTime(),
        event.secretParams,
      );
      return;
    }
    const ledger = this.ledger;
    if (!ledger || event.executionId !== ledger.executionId) return;
    switch (event.type) {
      case 'task_ready': {
        const t = ledger.task(event.taskId);
        if (t.kept) return;
        t.readyAt = event.timestamp.getTime();
        ledger.touch(event.taskId);
        return;
      }
      case 'task_started': {
        const t = ledger.task(event.taskId);
        t.kept = false;
        t.attemptOffset ??= event.attempt > t.attempts ? 0 : t.attempts;
        const attempt = event.attempt + t.attemptOffset;
        const at = event.timestamp.getTime();
        t.status = 'running';
        t.attempts = Math.max(t.attempts, attempt);
        t.attemptStartedAt = at;
        ledger.touch(event.taskId);
        ledger.putAttempt({
          executionId: ledger.executionId,
          taskId: event.taskId,
          attempt,
          retryNumber: attempt - 1,
          status: 'running',
          readyAt: t.readyAt,
          startedAt: at,
          completedAt: null,
          duration: null,
          exitCode: null,
          errorMessage: null,
          stdoutTail: '',
          stderrTail: '',
          outputData: null,
          metadata: null,
        });
        return;
      }
      case 'task_output': {
        const t = ledger.tasks.get(event.taskId);
        if (!t || t.kept) return;
        const attempt = event.attempt + (t.attemptOffset ?? 0);
        this.manager.logs.append(ledger.executionId, event.taskId, attempt, event.stream, event.chunk);
        return;
      }
      case 'task_retrying':
      case 'task_finished':
        this.attemptEnded(ledger, event);
        return;
      case 'throttle':
        return;
      case 'execution_finished': {
        const result = event.result;
        for (const [taskId, r] of Object.entries(result.taskResults)) {
          const t = ledger.task(taskId);
          if (t.kept || t.status === r.status) continue;
          t.status = r.status;
          t.completedAt = r.completedAt.getTime();
          t.errorMessage = r.errorMessage ?? null;
          ledger.touch(taskId);
        }
        this.finishWrite = {
          status: result.status,
          completedAt: (result.completedAt ?? new Date(this.now())).getTime(),
        };
        try {
          this.flush();
        } catch {
          // The buffer is kept: the engine's next flush() retries and reports the error.
        }
        return;
      }
    }
  }

  /**
   * Writes the buffered changes in one transaction (and a progress snapshot when one is due).
   * @throws StatePersistenceError when the database cannot be written; the buffer is kept for the next flush.
   */
  flush(): void {
    const ledger = this.ledger;
    if (!ledger) return;
    const now = this.now();
    const config = this.manager.config;
    const checkpointDue =
      config.enableCheckpoints &&
      (this.finishWrite !== undefined || now - this.lastCheckpoint >= config.checkpointInterval);
    if (!ledger.dirty && !this.startWrite && !this.finishWrite && !checkpointDue) return;
    const heartbeatDue = now - this.lastHeartbeat >= HEARTBEAT_EVERY;
    const writes = this.manager.writes;
    const id = ledger.executionId;
    try {
      this.manager.transaction(() => {
        const start = this.startWrite;
        if (start?.kind === 'insert') writes.upsertExecution(start.values);
        else if (start?.kind === 'restart') {
          const owner = currentOwner();
          writes.restartExecution({
            id,
            ownerHost: owner.host,
            ownerPid: owner.pid,
            ownerStartedAt: owner.startedAt.getTime(),
            heartbeatAt: now,
            dagHash: start.dagHash,
            dagFile: start.dagFile,
            totalTasks: start.totalTasks,
          });
        }
        for (const values of ledger.pendingTasks()) writes.upsertTask(values);
        for (const values of ledger.pendingAttempts()) writes.upsertAttempt(values);
        if (checkpointDue) writes.addCheckpoint(id, now, JSON.stringify(ledger.snapshot()));
        if (this.finishWrite)
          writes.finishExecution(id, this.finishWrite.status, this.finishWrite.completedAt);
        else if (heartbeatDue) writes.heartbeat(id, now);
      });
    } catch (error) {
      this.failure = new StatePersistenceError(
        `cannot record execution ${id} in ${this.manager.displayName}: ${errorMessage(error)}`,
        { cause: error, context: { executionId: id } },
      );
      throw this.failure;
    }
    this.failure = undefined;
    ledger.clearPending();
    this.startWrite = undefined;
    this.finishWrite = undefined;
    if (checkpointDue) this.lastCheckpoint = now;
    if (heartbeatDue) this.lastHeartbeat = now;
  }

  private start(
    executionId: string,
    dagId: string,
    taskCount: number,
    at: number,
    secretParams: readonly string[] | undefined,
  ): void {
    if (this.ledger && this.ledger.executionId !== executionId) this.flush();
    const { dag, dagFile, params, workingDir } = this.options;
    const begun = beginRecording(this.manager.database, {
      executionId,
      dagId: dag?.id ?? dagId,
      taskCount,
      at,
      ...(dag === undefined ? {} : { dag }),
      ...(dagFile === undefined ? {} : { dagFile }),
      ...(params === undefined ? {} : { params }),
      ...(secretParams === undefined ? {} : { secretParams }),
      ...(workingDir === undefined ? {} : { workingDir }),
    });
    this.ledger = begun.ledger;
    this.startWrite = begun.write;
    this.lastCheckpoint = at;
    this.lastHeartbeat = at;
  }

  private attemptEnded(ledger: TaskLedger, event: TaskRetryingEvent | TaskFinishedEvent): void {
    const t = ledger.task(event.taskId);
    if (t.kept) return;
    const result = event.result;
    const attempt = event.attempt + (t.attemptOffset ?? 0);
    // A task cancelled in its retry wait finishes naming the attempt that failed: that record stays.
    if (event.attempt >= 1 && !(event.type === 'task_finished' && attempt === t.retriedAttempt)) {
      t.attempts = Math.max(t.attempts, attempt);
      this.recordAttempt(ledger, t, event.taskId, attempt, result);
    }
    if (event.type === 'task_retrying') {
      t.retriedAttempt = attempt;
      ledger.touch(event.taskId);
      return;
    }
    t.status = result.status;
    t.completedAt = result.completedAt.getTime();
    t.errorMessage = result.errorMessage ?? null;
    ledger.touch(event.taskId);
  }

  private recordAttempt(
    ledger: TaskLedger,
    t: LedgerTask,
    taskId: string,
    attempt: number,
    result: TaskResult,
  ): void {
    const id = ledger.executionId;
    const logs = this.manager.logs;
    // The result's output is whole unless cut at its front: then it may finish a file streamed in part.
    const { stdoutTruncatedBytes, stderrTruncatedBytes } = result.metadata;
    logs.writeFromResult(id, taskId, attempt, 'stdout', result.stdout, stdoutTruncatedBytes === undefined);
    logs.writeFromResult(id, taskId, attempt, 'stderr', result.stderr, stderrTruncatedBytes === undefined);
    logs.closeAttempt(id, taskId, attempt);
    const startedAt = t.attemptStartedAt ?? result.startedAt.getTime();
    ledger.putAttempt({
      executionId: id,
      taskId,
      attempt,
      retryNumber: attempt - 1,
      status: result.status,
      readyAt: t.readyAt,
      startedAt,
      completedAt: result.completedAt.getTime(),
      duration: result.duration,
      exitCode: result.exitCode,
      errorMessage: result.errorMessage ?? null,
      stdoutTail: tailOf(result.stdout),
      stderrTail: tailOf(result.stderr),
      outputData: jsonOf(result.outputData),
      metadata: Object.keys(result.metadata).length ? jsonOf(result.metadata) : null,
    });
    t.attemptStartedAt = null;
  }
}
