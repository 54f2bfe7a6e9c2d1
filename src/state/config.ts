/**
 * {@link StateConfig} defaults and validation, and where the database lives: {@link parseDatabaseUrl} and
 * {@link resolveStateLocation} (the CLI's `--state`, `JORM_STATE_DATABASE_URL` and `.jorm/state.db`).
 * @module
 */

import { dirname, join, resolve } from 'node:path';
import { ConfigurationError } from '../model/errors.js';
import type { StateConfig } from './types.js';

/** The database of `jorm run` and friends when nothing else is said, relative to the current directory. */
export const DEFAULT_DATABASE_PATH = '.jorm/state.db';

/** The environment variable that names the state database (a path or a `sqlite:` URL). */
export const STATE_DATABASE_ENV = 'JORM_STATE_DATABASE_URL';

/** Where a state database lives. */
export type DatabaseLocation =
  | { kind: 'memory' }
  | {
      kind: 'file';
      /** Absolute path of the database file. */
      path: string;
    };

/** The default {@link StateConfig}. */
export function defaultStateConfig(): StateConfig {
  return {
    databaseUrl: `sqlite:${DEFAULT_DATABASE_PATH}`,
    enableCheckpoints: true,
    checkpointInterval: 30_000,
  };
}

/**
 * Fills a partial configuration with defaults and validates it.
 * @throws ConfigurationError naming the field and the value.
 */
export function resolveStateConfig(partial: Partial<StateConfig> = {}): StateConfig {
  const config: StateConfig = { ...defaultStateConfig() };
  for (const [key, value] of Object.entries(partial)) {
    if (value !== undefined) (config as unknown as Record<string, unknown>)[key] = value;
  }
  if (typeof config.databaseUrl !== 'string' || config.databaseUrl.trim() === '') {
    throw new ConfigurationError('databaseUrl must not be empty', 'databaseUrl', String(config.databaseUrl));
  }
  positive('checkpointInterval', config.checkpointInterval);
  if (config.cleanupCompletedAfter !== undefined)
    positive('cleanupCompletedAfter', config.cleanupCompletedAfter);
  if (config.heartbeatInterval !== undefined) positive('heartbeatInterval', config.heartbeatInterval);
  if (config.staleAfter !== undefined) positive('staleAfter', config.staleAfter);
  const keep = config.maxExecutionHistory;
  if (keep !== undefined && (!Number.isInteger(keep) || keep < 1)) {
    throw new ConfigurationError(
      `maxExecutionHistory must be a whole number of at least 1, got ${keep}`,
      'maxExecutionHistory',
      String(keep),
    );
  }
  return config;
}

function positive(field: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigurationError(`${field} must be a duration above 0, got ${value}`, field, String(value));
  }
}

/**
 * Reads a `databaseUrl`: `sqlite::memory:` (or `:memory:`), `sqlite:path`, `sqlite://path`, or a plain path.
 * Relative paths are resolved against `cwd`.
 */
export function parseDatabaseUrl(url: string, cwd: string = process.cwd()): DatabaseLocation {
  let rest = url.trim();
  if (rest.startsWith('sqlite:')) {
    rest = rest.slice('sqlite:'.length);
    if (rest.startsWith('//')) rest = rest.slice(2);
  }
  if (rest === ':memory:' || rest === '') return { kind: 'memory' };
  return { kind: 'file', path: resolve(cwd, rest) };
}

/** The directory of the full output logs of a database, or `undefined` for an in-memory one. */
export function logDirectoryOf(
  location: DatabaseLocation,
  configured?: string,
  cwd = process.cwd(),
): string | undefined {
  if (configured !== undefined) return resolve(cwd, configured);
  if (location.kind === 'memory') return undefined;
  return join(dirname(location.path), 'logs');
}

/** A readable name of a location for messages. */
export function describeLocation(location: DatabaseLocation): string {
  return location.kind === 'memory' ? 'sqlite::memory:' : location.path;
}

/** Inputs of {@link resolveStateLocation}. */
export interface StateLocationInput {
  /** `--state PATH` (a path or a `sqlite:` URL). */
  state?: string;
  /** The environment to read `JORM_STATE_DATABASE_URL` from. @defaultValue `process.env` */
  env?: Record<string, string | undefined>;
  /** @defaultValue `process.cwd()` */
  cwd?: string;
}

/**
 * The database URL the CLI uses: `--state`, else `JORM_STATE_DATABASE_URL`, else `.jorm/state.db` under
 * the current directory.
 */
export function resolveStateLocation(input: StateLocationInput = {}): string {
  const env = input.env ?? process.env;
  const cwd = input.cwd ?? process.cwd();
  const chosen = input.state ?? env[STATE_DATABASE_ENV];
  if (chosen !== undefined && chosen.trim() !== '') {
    const location = parseDatabaseUrl(chosen, cwd);
    return location.kind === 'memory' ? 'sqlite::memory:' : `sqlite:${location.path}`;
  }
  return `sqlite:${resolve(cwd, DEFAULT_DATABASE_PATH)}`;
}
