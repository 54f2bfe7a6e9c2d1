/**
 * Write transactions that several processes can share one database with: `BEGIN IMMEDIATE` (the write
 * lock is taken up front, so two writers never deadlock on a lock upgrade), SQLite's busy timeout, and a
 * few retries with a growing pause when the lock stays busy longer than that.
 * @module
 */

import type Database from 'better-sqlite3';

/** Retries after the busy timeout expired. @defaultValue 8 */
const MAX_BUSY_RETRIES = 8;

/** Whether an error is SQLite's "database is locked/busy". */
export function isBusyError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/** Blocks the thread for `ms` (only used between retries of a busy lock). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Runs `work` in one `BEGIN IMMEDIATE` transaction, retrying when the database stays locked.
 * `work` must be safe to run again (it is rolled back before a retry).
 */
export function writeTransaction<T>(db: Database.Database, work: () => T): T {
  const transaction = transactionOf(db);
  for (let retry = 0; ; retry++) {
    try {
      return transaction.immediate(work) as T;
    } catch (error) {
      if (!isBusyError(error) || retry >= MAX_BUSY_RETRIES || db.inTransaction) throw error;
      pause(Math.min(1000, 25 * 2 ** retry) + Math.floor(Math.random() * 25));
    }
  }
}

/**
 * One transaction function per connection, reused for every write (`work` is its argument):
 * `db.transaction()` builds several wrapper functions each time it is called, which a recorder flushing
 * once per scheduler turn would pay a thousand times per thousand tasks.
 */
type WorkTransaction = Database.Transaction<(work: () => unknown) => unknown>;

const transactions = new WeakMap<Database.Database, WorkTransaction>();

function transactionOf(db: Database.Database): WorkTransaction {
  let transaction = transactions.get(db);
  if (!transaction) {
    transaction = db.transaction((work: () => unknown) => work());
    transactions.set(db, transaction);
  }
  return transaction;
}
