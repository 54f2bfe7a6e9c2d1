/**
 * The built-in executors, installed as {@link TaskRegistry.withDefaultExecutors}'s factory.
 * @module
 */

import { TaskRegistry } from '../engine/registry.js';
import type { TaskExecutor } from '../engine/task-executor.js';
import { FileTaskExecutor } from './file.js';
import { HttpTaskExecutor } from './http.js';
import { JormTaskExecutor } from './jorm.js';
import { PythonTaskExecutor } from './python.js';
import { ShellTaskExecutor } from './shell.js';

/** New instances of every built-in executor: `shell`, `python`, `http`, `file` and `jorm`. */
export function defaultExecutors(): TaskExecutor[] {
  return [
    new ShellTaskExecutor(),
    new PythonTaskExecutor(),
    new HttpTaskExecutor(),
    new FileTaskExecutor(),
    new JormTaskExecutor(),
  ];
}

TaskRegistry.defaultExecutorsFactory = defaultExecutors;
