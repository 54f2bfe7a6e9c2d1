/**
 * Interpolating every string field of a task (see `mapTaskConfigStrings`), on a copy of the task.
 * @module
 */

import type { Task } from '../model/task.js';
import type { InterpolationContext } from './context.js';
import { interpolate } from './interpolate.js';
import { InterpolationError } from './interpolation-error.js';
import { mapTaskConfigStrings } from './task-strings.js';

/** What {@link interpolateTask} returns. */
export interface InterpolatedTask {
  /** A copy of the task with its config's strings interpolated; the task itself when nothing changed. */
  task: Task;
  /** Interpolated values that took in a secure value (to be masked). */
  secrets: string[];
}

/**
 * Interpolates every string field of a task's config (see `mapTaskConfigStrings`). Never mutates `task`.
 * A shell task's `|shell` filter quotes for its own shell.
 * @throws InterpolationError naming the task and the field.
 */
export function interpolateTask(task: Task, context: InterpolationContext): InterpolatedTask {
  const secrets: string[] = [];
  const shell = task.config.kind === 'shell' ? task.config.shell : undefined;
  let config: Task['config'];
  try {
    config = mapTaskConfigStrings(task.config, (value, key) => {
      const result = interpolate(value, context, { key, ...(shell ? { shell } : {}) });
      if (result.secure) secrets.push(result.text);
      return result.text;
    });
  } catch (error) {
    if (error instanceof InterpolationError) {
      throw new InterpolationError(error.detail, error.reference, { key: error.key, taskId: task.id });
    }
    throw error;
  }
  if (config === task.config) return { task, secrets };
  return { task: copyTask(task, { config }), secrets };
}

/** A shallow copy of a task (same class) with some fields replaced. */
export function copyTask(task: Task, changes: Partial<Task>): Task {
  const copy = Object.create(Object.getPrototypeOf(task) as object) as Task;
  Object.assign(copy, task, changes);
  return copy;
}
