/**
 * {@link stateFailureExit}: a run whose state could not be recorded, as the CLI's exit.
 * @module
 */

import { StatePersistenceError } from '../../model/errors.js';
import { CliExit, ExitCode } from '../exit-codes.js';

/**
 * What `jorm run` and `jorm resume` throw for an error of their execution: a state database or log
 * file that could not be written stopped the run, which exits 74 with the reason; other errors as they
 * are.
 */
export function stateFailureExit(error: unknown): unknown {
  return error instanceof StatePersistenceError
    ? new CliExit(ExitCode.StateFailed, `jorm: ${error.message}`)
    : error;
}
