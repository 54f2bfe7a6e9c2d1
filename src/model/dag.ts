/**
 * {@link Dag}: a named set of tasks with their dependencies, DAG-level environment and parameters.
 * @module
 */

import type { SourceLocation } from './diagnostic.js';
import { ValidationError } from './errors.js';
import type { Task } from './task.js';

/** A directed acyclic graph of tasks. Tasks keep the order in which they were declared. */
export class Dag {
  /** The DAG's id (`dag:` in a JORM file; default: the file name without extension). */
  id: string;
  /** For display. @defaultValue the id */
  name: string;
  description?: string;
  /** DAG-level environment variables (below task `env`, above the executor's). */
  environment: Record<string, string> = {};
  /** Declared parameters with their defaults (`${params.NAME}`). */
  params: Record<string, string> = {};
  /** The file it was read from, when it was. */
  sourceFile?: string;
  /**
   * Where each DAG-level key is written, when the DAG came from a file (`dag`, `env`, and `env.NAME`,
   * `params.NAME` for the entries of maps), for diagnostics.
   */
  keyLocations: Record<string, SourceLocation> = {};
  private readonly taskMap = new Map<string, Task>();

  constructor(id: string, name?: string) {
    this.id = id;
    this.name = name ?? id;
  }

  /** Adds a task; a duplicate id is a {@link ValidationError}. */
  addTask(task: Task): this {
    if (this.taskMap.has(task.id)) {
      throw new ValidationError(`duplicate task id "${task.id}"`, 'id', task.id);
    }
    this.taskMap.set(task.id, task);
    return this;
  }

  /** The task with this id, if any. */
  getTask(id: string): Task | undefined {
    return this.taskMap.get(id);
  }

  /** Whether a task with this id exists. */
  hasTask(id: string): boolean {
    return this.taskMap.has(id);
  }

  /** The tasks in declaration order. */
  get tasks(): Task[] {
    return [...this.taskMap.values()];
  }

  /** The task ids in declaration order. */
  get taskIds(): string[] {
    return [...this.taskMap.keys()];
  }

  /** The number of tasks. */
  get size(): number {
    return this.taskMap.size;
  }
}
