/**
 * The built-in executors, installed as {@link TaskRegistry.withDefaultExecutors}'s factory.
 * @module
 */

import { TaskRegistry } from '../engine/registry.js';
import type { TaskExecutor } from '../engine/task-executor.js';

/** New instances of every built-in executor. */
export function defaultExecutors(): TaskExecutor[] {
  // Filled in as the built-in executors land (shell, python, http, file, jorm).
  return [];
}

TaskRegistry.defaultExecutorsFactory = defaultExecutors;
