/**
 * Opening the state database for the CLI's commands (`history`, `show`, `logs`, `resume`): `--state PATH`,
 * else the effective configuration (`JORM_STATE_DATABASE_URL`, then `[state] database_url` of
 * `jorm.toml`), else `.jorm/state.db` under the current directory.
 * @module
 */

import { loadConfiguration } from '../config/load.js';
import { resolveStateLocation } from './config.js';
import { describeDatabaseError } from './database.js';
import { StateManager } from './state-manager.js';
import type { StateConfig } from './types.js';

/** The `--state` option of a command. */
export interface StateCliOptions {
  state?: string;
}

/** The help text of `--state`. */
export const STATE_OPTION_HELP =
  'state database (path or sqlite: URL; default .jorm/state.db, or $JORM_STATE_DATABASE_URL)';

/**
 * The state configuration a command uses: the effective configuration's `[state]` section, with
 * `--state` over its database.
 * @throws ConfigFileError when the configuration file is invalid.
 */
export function stateConfigForCli(options: StateCliOptions, cwd: string = process.cwd()): StateConfig {
  const configured = loadConfiguration({ cwd }).state.config;
  if (options.state === undefined) return configured;
  return { ...configured, databaseUrl: resolveStateLocation({ state: options.state, cwd }) };
}

/**
 * Opens the existing state database named by the options, the environment and the configuration.
 * @throws StatePersistenceError when there is none there, or it cannot be read (the CLI exits 2).
 */
export function openStateForCli(options: StateCliOptions, cwd: string = process.cwd()): StateManager {
  return StateManager.open(stateConfigForCli(options, cwd), { mustExist: true, cwd });
}

/** Runs `work` with the state database open, closing it afterwards. */
export async function withStateForCli<T>(
  options: StateCliOptions,
  work: (manager: StateManager) => T | Promise<T>,
): Promise<T> {
  const manager = openStateForCli(options);
  try {
    return await work(manager);
  } catch (error) {
    throw isSqliteError(error) ? describeDatabaseError(error, manager.displayName) : error;
  } finally {
    manager.close();
  }
}

/** Whether `error` comes from SQLite (better-sqlite3 gives its errors SQLite's code: `SQLITE_…`). */
export function isSqliteError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_');
}
