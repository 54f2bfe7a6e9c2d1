/**
 * {@link TaskRegistry}: the executors by task type.
 * @module
 */

import type { Dag } from '../model/dag.js';
import { type Diagnostic, didYouMean } from '../model/diagnostic.js';
import { DagValidationError, errorMessage, TaskRegistryError } from '../model/errors.js';
import type { TaskExecutor } from './task-executor.js';

/** Registry of task executors by task type (the reference's `TaskRegistry`). */
export class TaskRegistry {
  private readonly executors = new Map<string, TaskExecutor>();

  /** The built-in executors' factory; set by `src/executors/defaults.ts` to avoid an import cycle. */
  static defaultExecutorsFactory: (() => TaskExecutor[]) | undefined;

  /** A registry with the built-in executors (shell, python, http, file, jorm). */
  static withDefaultExecutors(): TaskRegistry {
    const registry = new TaskRegistry();
    const factory = TaskRegistry.defaultExecutorsFactory;
    if (!factory) throw new TaskRegistryError('the built-in executors are not loaded');
    for (const executor of factory()) registry.register(executor.taskType, executor);
    return registry;
  }

  /**
   * Registers an executor for a task type, replacing any previous one.
   * `register(executor)` uses the executor's own `taskType`.
   */
  register(taskType: string, executor: TaskExecutor): this;
  register(executor: TaskExecutor): this;
  register(a: string | TaskExecutor, b?: TaskExecutor): this {
    const executor = typeof a === 'string' ? b : a;
    const taskType = typeof a === 'string' ? a : a.taskType;
    if (!executor || typeof executor.execute !== 'function') {
      throw new TaskRegistryError(`executor for "${String(taskType)}" must have an execute() method`);
    }
    if (!taskType) throw new TaskRegistryError('a task type must be a non-empty string');
    this.executors.set(taskType, executor);
    return this;
  }

  /** Whether an executor serves this task type. */
  hasExecutor(taskType: string): boolean {
    return this.executors.has(taskType);
  }

  /** The executor of a task type, if any. */
  get(taskType: string): TaskExecutor | undefined {
    return this.executors.get(taskType);
  }

  /** The registered task types. */
  get taskTypes(): string[] {
    return [...this.executors.keys()];
  }

  /** Every problem of the DAG's tasks with respect to this registry: unknown types, invalid configs. */
  diagnoseDagTasks(dag: Dag): Diagnostic[] {
    const problems: Diagnostic[] = [];
    for (const task of dag.tasks) {
      const executor = this.executors.get(task.taskType);
      const location = task.keyLocations['type'] ?? task.location;
      if (!executor) {
        const guess = didYouMean(task.taskType, this.executors.keys());
        problems.push({
          code: 'unsupported-task-type',
          message: `task "${task.id}" has type "${task.taskType}", which has no registered executor`,
          ...(guess ? { hint: `did you mean "${guess}"?` } : {}),
          ...(location ? { location } : {}),
          taskId: task.id,
        });
        continue;
      }
      try {
        executor.validateTask?.(task);
      } catch (error) {
        problems.push({
          code: 'invalid-task',
          message: `task "${task.id}": ${errorMessage(error)}`,
          ...(task.location ? { location: task.location } : {}),
          taskId: task.id,
        });
      }
    }
    return problems;
  }

  /** Rejects a DAG with a task type that has no executor, naming the type and the task. */
  validateDagTasks(dag: Dag): void {
    const problems = this.diagnoseDagTasks(dag);
    if (problems.length > 0) throw new DagValidationError(problems, { context: { dagId: dag.id } });
  }
}
