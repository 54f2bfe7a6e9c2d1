/**
 * {@link FileTaskExecutor}: copy, move, delete and create files and directories. Paths are relative to
 * the task's working directory; an existing destination is replaced only when `options.overwrite` is true.
 * @module
 */

import { resolve } from 'node:path';
import type { ExecutionContext, TaskExecutor, TaskOutcome } from '../engine/task-executor.js';
import { errorMessage, ValidationError } from '../model/errors.js';
import { assertNever, type FileTaskConfig, type Task } from '../model/task.js';
import { copyPath, createFile, deletePath, FileOperationError, movePath } from './file-ops.js';
import {
  configOfKind,
  DEFAULT_EXECUTOR_TIMEOUT,
  isPlainObject,
  quote,
  requireString,
} from './validate-config.js';

const OPERATIONS = ['copy', 'move', 'delete', 'create'] as const;
const NEEDS = 'an "operation" (copy, move, delete or create)';

/** Runs file system operations (the reference's `FileTaskExecutor`). */
export class FileTaskExecutor implements TaskExecutor {
  readonly taskType = 'file';

  supportsParallel(): boolean {
    return true;
  }

  defaultTimeout(): number {
    return DEFAULT_EXECUTOR_TIMEOUT;
  }

  validateTask(task: Task): void {
    const config = configOfKind(task, ['file_operation'], NEEDS);
    if (!(OPERATIONS as readonly string[]).includes(config.operation)) {
      throw new ValidationError(
        `"operation" must be one of ${OPERATIONS.join(', ')}, got ${quote(config.operation)}`,
        'operation',
        quote(config.operation),
      );
    }
    if (!isPlainObject(config.options)) {
      throw new ValidationError(
        `"options" must be a map, got ${quote(config.options)}`,
        'options',
        quote(config.options),
      );
    }
    const needsSource = config.operation !== 'create';
    const needsDestination = config.operation !== 'delete';
    if (needsSource) requireString(config.operation === 'delete' ? 'path' : 'source', config.source);
    if (needsDestination)
      requireString(config.operation === 'create' ? 'path' : 'destination', config.destination);
    for (const flag of ['overwrite', 'ignoreMissing']) {
      const value = config.options[flag];
      if (value !== undefined && typeof value !== 'boolean') {
        throw new ValidationError(
          `"options.${flag}" must be true or false, got ${quote(value)}`,
          flag,
          quote(value),
        );
      }
    }
    const content = config.options['content'];
    if (config.operation === 'create' && content !== undefined && typeof content !== 'string') {
      throw new ValidationError(
        `"content" must be a string, got ${quote(content)}`,
        'content',
        quote(content),
      );
    }
  }

  async execute(task: Task, context: ExecutionContext): Promise<TaskOutcome> {
    const config = configOfKind(task, ['file_operation'], NEEDS) as FileTaskConfig;
    if (context.signal.aborted) return { status: 'failed', errorMessage: 'aborted' };
    const cwd = context.workingDirectory;
    const source = config.source === undefined ? undefined : resolve(cwd, config.source);
    const destination = config.destination === undefined ? undefined : resolve(cwd, config.destination);
    const overwrite = config.options['overwrite'] === true;
    const operation = config.operation;
    try {
      const done = await perform(operation, source, destination, overwrite, config.options);
      const outputData: Record<string, string> = { operation };
      const metadata: Record<string, string> = { operation };
      if (source !== undefined) outputData['source'] = metadata['source'] = source;
      if (destination !== undefined) outputData['destination'] = metadata['destination'] = destination;
      return { status: 'success', stdout: `${done}\n`, exitCode: null, outputData, metadata };
    } catch (error) {
      const message =
        error instanceof FileOperationError ? error.message : `${operation} failed: ${errorMessage(error)}`;
      return { status: 'failed', errorMessage: message, metadata: { operation } };
    }
  }
}

/** Runs one operation; returns what was done, in words. */
async function perform(
  operation: FileTaskConfig['operation'],
  source: string | undefined,
  destination: string | undefined,
  overwrite: boolean,
  options: Record<string, unknown>,
): Promise<string> {
  switch (operation) {
    case 'copy':
      await copyPath(source!, destination!, overwrite);
      return `copied ${source} to ${destination}`;
    case 'move':
      await movePath(source!, destination!, overwrite);
      return `moved ${source} to ${destination}`;
    case 'delete':
      return (await deletePath(source!, options['ignoreMissing'] === true))
        ? `deleted ${source}`
        : `${source} did not exist`;
    case 'create': {
      const content = options['content'];
      await createFile(destination!, typeof content === 'string' ? content : '', overwrite);
      return `created ${destination}`;
    }
    default:
      return assertNever(operation);
  }
}
