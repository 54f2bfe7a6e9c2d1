/**
 * Opening the state database for the CLI's read commands (`history`, `show`, `logs`, `resume --list`):
 * `--state PATH`, else `JORM_STATE_DATABASE_URL`, else `.jorm/state.db` under the current directory.
 * @module
 */

import { resolveStateLocation } from './config.js';
import { StateManager } from './state-manager.js';

/** The `--state` option of a command. */
export interface StateCliOptions {
  state?: string;
}

/** The help text of `--state`. */
export const STATE_OPTION_HELP =
  'state database (path or sqlite: URL; default .jorm/state.db, or $JORM_STATE_DATABASE_URL)';

/**
 * Opens the existing state database named by the options and the environment.
 * @throws StatePersistenceError when there is none there, or it cannot be read (the CLI exits 2).
 */
export function openStateForCli(options: StateCliOptions, cwd: string = process.cwd()): StateManager {
  const databaseUrl = resolveStateLocation({
    ...(options.state === undefined ? {} : { state: options.state }),
    cwd,
  });
  return StateManager.open({ databaseUrl }, { mustExist: true, cwd });
}

/** Runs `work` with the state database open, closing it afterwards. */
export async function withStateForCli<T>(
  options: StateCliOptions,
  work: (manager: StateManager) => T | Promise<T>,
): Promise<T> {
  const manager = openStateForCli(options);
  try {
    return await work(manager);
  } finally {
    manager.close();
  }
}
