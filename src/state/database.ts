/**
 * Opening the SQLite file of a state database: pragmas (WAL, busy timeout, foreign keys), telling a
 * jorm database from a foreign or corrupt file, and migrating an older schema.
 * @module
 */

import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { sqliteAddonOption } from '../libraries.js';
import { errorMessage, StatePersistenceError } from '../model/errors.js';
import { type DatabaseLocation, describeLocation } from './config.js';
import { APPLICATION_ID, applyMigrations, readSchemaVersion, SCHEMA_VERSION } from './migrations.js';
import { isBusyError, writeTransaction } from './write-transaction.js';

/** How long a statement waits for another process's lock before SQLITE_BUSY, ms. */
export const BUSY_TIMEOUT = 10_000;

/** Options of {@link openStateDatabase}. */
export interface OpenDatabaseOptions {
  /** Fail when the file does not exist instead of creating it (read-only commands). @defaultValue false */
  mustExist?: boolean;
}

/**
 * Opens (creating when allowed) the database at `location`, checks it is a jorm state database and
 * brings its schema up to date.
 * @throws StatePersistenceError naming the path, for a missing, unwritable, corrupt, foreign or newer file.
 */
export function openStateDatabase(
  location: DatabaseLocation,
  options: OpenDatabaseOptions = {},
): Database.Database {
  const name = describeLocation(location);
  let filename = ':memory:';
  if (location.kind === 'file') {
    filename = location.path;
    if (options.mustExist && !existsSync(filename)) {
      throw new StatePersistenceError(
        `no state database at ${name}: run a DAG first (jorm run), or name the database with --state PATH`,
        { context: { metadata: { path: name } } },
      );
    }
    try {
      mkdirSync(dirname(filename), { recursive: true });
    } catch (error) {
      throw new StatePersistenceError(
        `cannot create the directory of the state database ${name}: ${errorMessage(error)}; choose a writable location with --state PATH`,
        { cause: error, context: { metadata: { path: name } } },
      );
    }
  }
  let db: Database.Database;
  try {
    db = new Database(filename, { timeout: BUSY_TIMEOUT, ...sqliteAddonOption() });
  } catch (error) {
    throw new StatePersistenceError(
      `cannot open the state database ${name}: ${errorMessage(error)}; check that the path is writable, or choose another with --state PATH`,
      { cause: error, context: { metadata: { path: name } } },
    );
  }
  try {
    configure(db);
    ensureSchema(db, name);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof StatePersistenceError) throw error;
    throw describeDatabaseError(error, name);
  }
}

function configure(db: Database.Database): void {
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT}`);
  for (let retry = 0; ; retry++) {
    try {
      db.pragma('journal_mode = WAL');
      break;
    } catch (error) {
      if (!isBusyError(error) || retry >= 5) throw error;
    }
  }
  // Durable against a crash of the process (kill -9) at any instant; a power loss may lose the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
}

function ensureSchema(db: Database.Database, name: string): void {
  const version = checkIdentity(db, name);
  if (version === SCHEMA_VERSION) return;
  writeTransaction(db, () => {
    const current = checkIdentity(db, name);
    if (current < SCHEMA_VERSION) applyMigrations(db, current);
  });
}

/** The schema version of a jorm database (0 when empty); throws for a foreign or newer one. */
function checkIdentity(db: Database.Database, name: string): number {
  const tables = (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as {
      name: string;
    }[]
  ).map((t) => t.name);
  const version = readSchemaVersion(db);
  const appId = Number(db.pragma('application_id', { simple: true }));
  if (tables.length === 0) return 0;
  if (version === 0 || (appId !== APPLICATION_ID && appId !== 0)) {
    const shown = tables.slice(0, 5).join(', ') + (tables.length > 5 ? ', …' : '');
    throw new StatePersistenceError(
      `${name} is not a jorm state database (it holds the tables ${shown}); choose another file with --state PATH`,
      { context: { metadata: { path: name } } },
    );
  }
  if (version > SCHEMA_VERSION) {
    throw new StatePersistenceError(
      `the state database ${name} was written by a newer jorm (schema version ${version}; this jorm reads up to ${SCHEMA_VERSION}): upgrade jorm, or use another database with --state PATH`,
      { context: { metadata: { path: name, schemaVersion: String(version) } } },
    );
  }
  return version;
}

/**
 * A SQLite error on the state database `name` (opening it or using it) as a message for people: a
 * corrupt file, one jorm may not write, or another failure, each with what to do.
 */
export function describeDatabaseError(error: unknown, name: string): StatePersistenceError {
  const code = (error as { code?: unknown } | null)?.code;
  const options = { cause: error, context: { metadata: { path: name } } };
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || code === 'SQLITE_CORRUPT_INDEX') {
    return new StatePersistenceError(
      `${name} is not a SQLite database or is corrupt (${errorMessage(error)}); move it aside or choose another file with --state PATH`,
      options,
    );
  }
  if (
    typeof code === 'string' &&
    (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN'))
  ) {
    return new StatePersistenceError(
      `cannot write the state database ${name} (${errorMessage(error)}); check its permissions, or choose another with --state PATH`,
      options,
    );
  }
  return new StatePersistenceError(`cannot use the state database ${name}: ${errorMessage(error)}`, options);
}
