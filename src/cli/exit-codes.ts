/**
 * The exit codes of the `jorm` command.
 * @module
 */

import type { Diagnostic } from '../model/diagnostic.js';

/** Exit codes: 0 success, 1 a task failed, 2 invalid input, 74 the run could not be recorded, 130 interrupted. */
export const ExitCode = {
  /** Everything succeeded. */
  Success: 0,
  /** Some task failed or timed out. */
  TaskFailed: 1,
  /** The DAG, the configuration or the command line is invalid. */
  InvalidInput: 2,
  /**
   * The run could not be recorded in its state database (disk full, permissions, a damaged file) and was
   * stopped (sysexits' EX_IOERR).
   */
  StateFailed: 74,
  /** Interrupted (SIGINT, SIGTERM or SIGHUP). */
  Interrupted: 130,
} as const;

/** One of the {@link ExitCode} values. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Thrown by a command to end the CLI with an exit code and a message on stderr (no stack trace). */
export class CliExit extends Error {
  constructor(
    readonly exitCode: number,
    message = '',
    /** The problems already printed (a DAG file's), for `--json`. */
    readonly diagnostics: readonly Diagnostic[] = [],
  ) {
    super(message);
    this.name = 'CliExit';
  }
}
