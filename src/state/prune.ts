/**
 * Removing old executions (with their tasks, attempts, checkpoints and log folders).
 * @module
 */

import type Database from 'better-sqlite3';
import type { LogFiles } from './log-files.js';
import type { PruneOptions } from './types.js';
import { writeTransaction } from './write-transaction.js';

/**
 * Deletes finished executions that completed more than `olderThan` ms ago, and the finished ones beyond
 * the newest `keep`. Running executions are never removed.
 * @returns the ids removed.
 */
export function pruneExecutions(
  db: Database.Database,
  logs: LogFiles,
  options: PruneOptions,
  now: number = Date.now(),
): string[] {
  if (options.olderThan === undefined && options.keep === undefined) return [];
  const removed = writeTransaction(db, () => {
    const ids = new Set<string>();
    if (options.olderThan !== undefined) {
      const rows = db
        .prepare("SELECT id FROM executions WHERE status != 'running' AND completed_at < ?")
        .all(now - options.olderThan) as { id: string }[];
      for (const r of rows) ids.add(r.id);
    }
    if (options.keep !== undefined) {
      const rows = db
        .prepare('SELECT id, status FROM executions ORDER BY started_at DESC, id DESC LIMIT -1 OFFSET ?')
        .all(Math.max(0, Math.floor(options.keep))) as { id: string; status: string }[];
      for (const r of rows) if (r.status !== 'running') ids.add(r.id);
    }
    for (const id of options.exclude ?? []) ids.delete(id);
    const remove = db.prepare('DELETE FROM executions WHERE id = ?');
    for (const id of ids) remove.run(id);
    return [...ids];
  });
  for (const id of removed) logs.removeExecution(id);
  return removed;
}
