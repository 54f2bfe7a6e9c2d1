/**
 * Test helper: a task executor whose attempts the test ends by hand, so order and concurrency are
 * observed without sleeps.
 */

import type { ExecutionContext, TaskExecutor, TaskOutcome } from '../../src/engine/task-executor.js';
import { Dag } from '../../src/model/dag.js';
import { Task } from '../../src/model/task.js';

interface Running {
  context: ExecutionContext;
  resolve: (outcome: TaskOutcome) => void;
  reject: (error: unknown) => void;
}

/** An executor whose attempts stay running until `finish`, `fail` or `reject` is called. */
export class ControlledExecutor implements TaskExecutor {
  /** Task ids in the order their attempts started. */
  readonly started: string[] = [];
  /** The context of each attempt, in start order. */
  readonly contexts: ExecutionContext[] = [];
  /** Attempts running now, and the most ever running at once. */
  running = 0;
  maxRunning = 0;
  private readonly attempts = new Map<string, Running>();
  private waiters: Array<{ count: number; resolve: () => void }> = [];

  constructor(
    readonly taskType = 'ctl',
    private readonly parallel = true,
    /** Settle an attempt when its signal aborts (like a well-behaved executor). */
    private readonly honourSignal = true,
  ) {}

  supportsParallel(): boolean {
    return this.parallel;
  }

  execute(task: Task, context: ExecutionContext): Promise<TaskOutcome> {
    this.started.push(task.id);
    this.contexts.push(context);
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    const promise = new Promise<TaskOutcome>((resolve, reject) => {
      this.attempts.set(task.id, { context, resolve, reject });
    });
    if (this.honourSignal) {
      context.signal.addEventListener('abort', () => this.reject(task.id, context.signal.reason), {
        once: true,
      });
    }
    this.waiters = this.waiters.filter((w) => {
      if (this.started.length < w.count) return true;
      w.resolve();
      return false;
    });
    return promise;
  }

  /** Resolves once `count` attempts in all have started. */
  waitStarted(count: number): Promise<void> {
    if (this.started.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  /** Whether the attempt of `id` is running. */
  isRunning(id: string): boolean {
    return this.attempts.has(id);
  }

  /** Ends the running attempt of `id` with `outcome` (success by default). */
  finish(id: string, outcome: TaskOutcome = {}): void {
    const attempt = this.take(id);
    attempt.resolve(outcome);
  }

  /** Ends the running attempt of `id` with an exit code. */
  fail(id: string, exitCode = 1): void {
    this.finish(id, { exitCode, stderr: `${id} failed\n` });
  }

  /** Makes the running attempt of `id` throw. */
  reject(id: string, error: unknown): void {
    if (!this.attempts.has(id)) return;
    this.take(id).reject(error);
  }

  private take(id: string): Running {
    const attempt = this.attempts.get(id);
    if (!attempt) throw new Error(`no running attempt of ${id}`);
    this.attempts.delete(id);
    this.running--;
    return attempt;
  }
}

/** A task of a custom type. */
export function customTask(id: string, deps: string[] = [], taskType = 'ctl'): Task {
  const task = new Task(id, id, taskType, { kind: 'custom', values: {} });
  for (const dep of deps) task.addDependency(dep);
  return task;
}

/** A DAG from `[id, deps]` pairs, all of one custom type. */
export function dagOf(spec: Array<[string, string[]]>, taskType = 'ctl', id = 'test'): Dag {
  const dag = new Dag(id);
  for (const [taskId, deps] of spec) dag.addTask(customTask(taskId, deps, taskType));
  return dag;
}
