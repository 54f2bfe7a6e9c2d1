/**
 * What every route of the dashboard server shares: the store, the change feed, the DAG files, the run
 * launcher, and a cache of execution views keyed by the database's data version.
 * @module
 */

import type { ExecutionState, ExecutionSummary } from '../state/types.js';
import type { DagFiles } from './dags/dag-files.js';
import { HttpError } from './http/http-error.js';
import type { ChangeFeed } from './live/change-feed.js';
import type { RunLauncher } from './runs/launcher.js';
import type { DashboardStore } from './store.js';
import { buildExecutionView, type ExecutionView } from './views/execution-view.js';
import type { GraphLayout } from './views/graph-layout.js';

/** How many execution views are kept. @defaultValue 16 */
const VIEW_CACHE_SIZE = 16;

/** The shared services of the server. */
export interface ServerContext {
  store: DashboardStore;
  feed: ChangeFeed;
  dags: DagFiles;
  launcher: RunLauncher;
  views: ExecutionViews;
  /** Aborted when the server closes (ends event streams). */
  closing: AbortSignal;
  /** The package version. */
  version: string;
}

/** Execution views, rebuilt only when the database changed since they were built. */
export class ExecutionViews {
  private readonly cache = new Map<string, { version: number; view: ExecutionView }>();
  private readonly layouts = new Map<string, GraphLayout>();

  constructor(
    private readonly store: DashboardStore,
    private readonly feed: ChangeFeed,
    private readonly dags: DagFiles,
  ) {}

  /**
   * The full id of an execution from an id or a unique prefix.
   * @throws HttpError 404 when unknown, 400 when the prefix is ambiguous.
   */
  async resolve(idOrPrefix: string): Promise<string> {
    if (!/^[0-9A-Za-z_-]{6,64}$/.test(idOrPrefix)) throw new HttpError(404, `no execution "${idOrPrefix}"`);
    try {
      return await this.store.resolveExecutionId(idOrPrefix);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (/ambiguous/i.test(message)) throw new HttpError(400, message);
      throw new HttpError(404, `no execution "${idOrPrefix}"`);
    }
  }

  /** The summary of an execution. @throws HttpError 404 when unknown. */
  async summary(executionId: string): Promise<ExecutionSummary> {
    const summary = await this.store.getExecution(executionId);
    if (!summary) throw new HttpError(404, `no execution "${executionId}"`);
    return summary;
  }

  /** The state of an execution. @throws HttpError 404 when unknown. */
  async state(executionId: string): Promise<ExecutionState> {
    const state = await this.store.loadExecutionState(executionId);
    if (!state) throw new HttpError(404, `no execution "${executionId}"`);
    return state;
  }

  /** The view of an execution, from the cache when the database did not change. */
  async get(executionId: string): Promise<ExecutionView> {
    const version = this.feed.current();
    const cached = this.cache.get(executionId);
    if (cached && cached.version === version) return cached.view;
    const state = await this.state(executionId);
    const attempts = await this.store.getTaskAttempts(executionId);
    const dagPath = state.dagFile ? await this.dags.relativeOf(state.dagFile) : undefined;
    const layout = this.layouts.get(executionId);
    const sameTasks = layout?.nodes.length === Object.keys(state.taskStates).length;
    const view = buildExecutionView(state, attempts, dagPath, sameTasks ? layout : undefined);
    this.remember(this.layouts, executionId, view.graph);
    this.remember(this.cache, executionId, { version, view });
    return view;
  }

  private remember<V>(map: Map<string, V>, key: string, value: V): void {
    map.delete(key);
    map.set(key, value);
    if (map.size > VIEW_CACHE_SIZE) map.delete(map.keys().next().value!);
  }
}
