/**
 * {@link ProcessStartError}: a program that could not be started, with a message that says why, and the
 * working-directory check made when a start failed.
 * @module
 */

import { statSync } from 'node:fs';
import { errorMessage, IoError } from '../model/errors.js';
import type { StartFailureReason } from './types.js';

/** A program could not be started: a missing working directory, a program not found, no permission. */
export class ProcessStartError extends IoError {
  constructor(
    readonly reason: StartFailureReason,
    /** The path concerned: the working directory or the program. */
    readonly path: string,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
  }

  /** The error of a launcher's failure to start `file` (from the errno `code`). */
  static fromErrno(file: string, error: NodeJS.ErrnoException): ProcessStartError {
    switch (error.code) {
      case 'ENOENT':
        return new ProcessStartError(
          'not-found',
          file,
          `cannot run "${file}": not found (is it installed, and on the PATH of the task's environment?)`,
          { cause: error },
        );
      case 'EACCES':
      case 'EPERM':
        return new ProcessStartError(
          'permission-denied',
          file,
          `cannot run "${file}": permission denied (is it an executable file?)`,
          { cause: error },
        );
      default:
        return new ProcessStartError('other', file, `cannot run "${file}": ${error.message}`, {
          cause: error,
        });
    }
  }
}

/** Checks that `cwd` is an existing directory; the error names the path. */
export function checkWorkingDirectory(cwd: string): ProcessStartError | undefined {
  let isDirectory: boolean;
  try {
    const stats = statSync(cwd, { throwIfNoEntry: false });
    if (!stats) {
      return new ProcessStartError('cwd-missing', cwd, `working directory "${cwd}" does not exist`);
    }
    isDirectory = stats.isDirectory();
  } catch (error) {
    return new ProcessStartError(
      'other',
      cwd,
      `working directory "${cwd}" cannot be used: ${errorMessage(error)}`,
      {
        cause: error,
      },
    );
  }
  if (!isDirectory) {
    return new ProcessStartError('cwd-not-directory', cwd, `working directory "${cwd}" is not a directory`);
  }
  return undefined;
}
