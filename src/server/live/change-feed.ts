/**
 * Notices changes to the state database made by any process: a read-only connection of its own polls
 * `PRAGMA data_version` (which changes when another connection commits) every `interval` ms, only while
 * someone listens. Costs one tiny query per tick.
 * @module
 */

import { EventEmitter } from 'node:events';
import Database from 'better-sqlite3';
import { sqliteAddonOption } from '../../libraries.js';

/** How often the database is polled. @defaultValue 400 */
export const DEFAULT_POLL_INTERVAL = 400;

/** Emits `change` (with the new data version) after another connection committed. */
export class ChangeFeed {
  private readonly db: Database.Database;
  private readonly emitter = new EventEmitter();
  private timer: NodeJS.Timeout | undefined;
  private version: number;
  private closed = false;

  constructor(
    /** The database file. */
    databasePath: string,
    private readonly interval: number = DEFAULT_POLL_INTERVAL,
  ) {
    this.db = new Database(databasePath, { readonly: true, fileMustExist: true, ...sqliteAddonOption() });
    this.db.pragma('busy_timeout = 2000');
    this.version = this.read();
    this.emitter.setMaxListeners(0);
  }

  /**
   * The database's data version right now (it changes whenever another connection commits), read fresh
   * so that caches keyed by it are right even when nobody listens.
   */
  current(): number {
    try {
      return this.read();
    } catch {
      return this.version;
    }
  }

  /** Resolves at the next change, or when `signal` aborts. */
  nextChange(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const done = (): void => {
        unsubscribe();
        signal.removeEventListener('abort', done);
        resolve();
      };
      const unsubscribe = this.subscribe(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** Calls `listener` after each change; returns the function that unsubscribes. */
  subscribe(listener: (version: number) => void): () => void {
    this.emitter.on('change', listener);
    this.schedule();
    return () => {
      this.emitter.off('change', listener);
      if (this.emitter.listenerCount('change') === 0 && this.timer) {
        clearTimeout(this.timer);
        this.timer = undefined;
      }
    };
  }

  /** Stops polling and closes the connection. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.emitter.removeAllListeners();
    this.db.close();
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => this.tick(), this.interval);
    this.timer.unref();
  }

  private tick(): void {
    this.timer = undefined;
    if (this.closed || this.emitter.listenerCount('change') === 0) return;
    let next = this.version;
    try {
      next = this.read();
    } catch {
      // A busy or briefly unreadable database: try again next tick.
    }
    if (next !== this.version) {
      this.version = next;
      this.emitter.emit('change', next);
    }
    this.schedule();
  }

  private read(): number {
    return Number(this.db.pragma('data_version', { simple: true }));
  }
}
