/**
 * {@link openRunState}: what `jorm run` calls to persist a run — one call that opens the database
 * (`--state PATH`, `--no-state`, `JORM_STATE_DATABASE_URL`, `[state]` of `jorm.toml`, else
 * `.jorm/state.db`), prunes old runs, and returns the execution id, the observer, the cancellation
 * signal to run with, and a `finish` hook.
 * @module
 */

import type { ExecutionObserver } from '../engine/events.js';
import type { Dag } from '../model/dag.js';
import { errorMessage } from '../model/errors.js';
import { resolveStateConfig, resolveStateLocation } from './config.js';
import { StateManager } from './state-manager.js';
import { startStateRun } from './state-run.js';
import type { StateConfig } from './types.js';

/** Inputs of {@link openRunState}. */
export interface RunStateOptions {
  /** `--state PATH` (a string), `--no-state` (`false`), or neither (`undefined`/`true`). */
  state?: string | boolean;
  /** The configuration's `[state]` section (after `JORM_*` variables). @defaultValue enabled, defaults */
  configured?: { enabled: boolean; config: StateConfig };
  dag: Dag;
  /** The DAG file, recorded for `jorm resume`. */
  dagFile?: string;
  params?: Record<string, string>;
  /** The run's own cancellation (Ctrl-C). */
  signal?: AbortSignal;
  /** An execution id chosen by the caller. @defaultValue a new ULID */
  executionId?: string;
  /** @defaultValue `process.cwd()` */
  cwd?: string;
}

/** A run being persisted, as `jorm run` uses it. */
export interface RunStateHook {
  /** The execution id to give `executeDag` (and print). */
  executionId: string;
  /** The database path, for messages. */
  databaseName: string;
  /** Give these to `executeDag` (`observers`). */
  observers: ExecutionObserver[];
  /** Give this to `executeDag`: the caller's signal, or a cancellation requested through the database. */
  signal: AbortSignal;
  /** Executions pruned at the start. */
  pruned: string[];
  /**
   * Ends the persistence: stops the heartbeat and closes the database. Returns warnings to print (a
   * failed write of the state, which leaves the database behind the run).
   */
  finish(): string[];
}

/**
 * Opens the state of a run, or returns `undefined` when state is off (`--no-state`, or
 * `JORM_ENABLE_STATE_PERSISTENCE=false` / `enabled = false` without `--state`).
 * @throws StatePersistenceError naming the database when it cannot be used (the CLI exits 2).
 */
export function openRunState(options: RunStateOptions): RunStateHook | undefined {
  const cwd = options.cwd ?? process.cwd();
  if (options.state === false) return undefined;
  const explicit = typeof options.state === 'string' ? options.state : undefined;
  if (explicit === undefined && options.configured && !options.configured.enabled) return undefined;
  const base = options.configured?.config ?? resolveStateConfig();
  const config: StateConfig =
    explicit === undefined ? base : { ...base, databaseUrl: resolveStateLocation({ state: explicit, cwd }) };
  const manager = StateManager.open(config, { cwd });
  try {
    const run = startStateRun(manager, {
      dag: options.dag,
      ...(options.dagFile === undefined ? {} : { dagFile: options.dagFile }),
      ...(options.params === undefined ? {} : { params: options.params }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.executionId === undefined ? {} : { executionId: options.executionId }),
    });
    let finished = false;
    return {
      executionId: run.executionId,
      databaseName: manager.displayName,
      observers: [run.observer],
      signal: run.signal,
      pruned: run.pruned,
      finish() {
        if (finished) return [];
        finished = true;
        run.stop();
        const warnings: string[] = [];
        try {
          run.recorder.flush();
        } catch (error) {
          warnings.push(`jorm: the state of this run could not be fully saved: ${errorMessage(error)}`);
        }
        manager.close();
        return warnings;
      },
    };
  } catch (error) {
    manager.close();
    throw error;
  }
}
