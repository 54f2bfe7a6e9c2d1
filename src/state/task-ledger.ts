/**
 * {@link TaskLedger}: the state recorder's in-memory view of one execution's tasks, which knows what
 * changed since the last flush. Events update it in O(1); a flush writes only the changed rows.
 * @module
 */

import type { TaskStatus } from '../model/result.js';
import type { AttemptValues, TaskValues } from './writes.js';

/** The current state of one task, as the recorder tracks it. */
export interface LedgerTask {
  position: number;
  taskType: string | null;
  dependsOn: string | null;
  status: TaskStatus;
  /** Attempts recorded (stored numbering). */
  attempts: number;
  readyAt: number | null;
  completedAt: number | null;
  errorMessage: string | null;
  /** Attempts made before this run (resume); event attempt numbers are shifted by this. */
  attemptOffset: number | undefined;
  /** Kept from an earlier run (succeeded): events about it are ignored unless it starts again. */
  kept: boolean;
  /** When the current attempt started. */
  attemptStartedAt: number | null;
  /**
   * The attempt (stored numbering) whose end a `task_retrying` recorded: a `task_finished` naming it
   * again (the task cancelled during its retry wait) ends the task, not that attempt a second time.
   */
  retriedAttempt: number;
}

/** Tasks and attempts with their pending (unflushed) changes. */
export class TaskLedger {
  /** Every task of the execution by id. */
  readonly tasks = new Map<string, LedgerTask>();
  private readonly dirtyTasks = new Set<string>();
  private readonly dirtyAttempts = new Map<string, AttemptValues>();

  constructor(readonly executionId: string) {}

  /** The task, created (as pending, after the known ones) when it is new. */
  task(taskId: string): LedgerTask {
    let task = this.tasks.get(taskId);
    if (!task) {
      task = {
        position: this.tasks.size,
        taskType: null,
        dependsOn: null,
        status: 'pending',
        attempts: 0,
        readyAt: null,
        completedAt: null,
        errorMessage: null,
        attemptOffset: undefined,
        kept: false,
        attemptStartedAt: null,
        retriedAttempt: 0,
      };
      this.tasks.set(taskId, task);
    }
    return task;
  }

  /** Marks a task's row for writing. */
  touch(taskId: string): void {
    this.dirtyTasks.add(taskId);
  }

  /** Queues an attempt row (replacing a queued version of the same attempt). */
  putAttempt(values: AttemptValues): void {
    this.dirtyAttempts.set(`${values.taskId}\u0000${values.attempt}`, values);
  }

  /** A queued attempt row, if any. */
  queuedAttempt(taskId: string, attempt: number): AttemptValues | undefined {
    return this.dirtyAttempts.get(`${taskId}\u0000${attempt}`);
  }

  /** Whether anything waits to be written. */
  get dirty(): boolean {
    return this.dirtyTasks.size > 0 || this.dirtyAttempts.size > 0;
  }

  /** The task rows to write. */
  *pendingTasks(): Generator<TaskValues> {
    for (const taskId of this.dirtyTasks) {
      const t = this.tasks.get(taskId);
      if (!t) continue;
      yield {
        executionId: this.executionId,
        taskId,
        position: t.position,
        taskType: t.taskType,
        dependsOn: t.dependsOn,
        status: t.status,
        attempts: t.attempts,
        readyAt: t.readyAt,
        completedAt: t.completedAt,
        errorMessage: t.errorMessage,
      };
    }
  }

  /** The attempt rows to write. */
  pendingAttempts(): IterableIterator<AttemptValues> {
    return this.dirtyAttempts.values();
  }

  /** Forgets the pending changes (after they were committed). */
  clearPending(): void {
    this.dirtyTasks.clear();
    this.dirtyAttempts.clear();
  }

  /** Tasks per current status, and the running ones. */
  snapshot(): { taskCounts: Partial<Record<TaskStatus, number>>; running: string[] } {
    const taskCounts: Partial<Record<TaskStatus, number>> = {};
    const running: string[] = [];
    for (const [id, t] of this.tasks) {
      taskCounts[t.status] = (taskCounts[t.status] ?? 0) + 1;
      if (t.status === 'running') running.push(id);
    }
    return { taskCounts, running };
  }
}
