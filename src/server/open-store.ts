/**
 * Opens the SQLite state store for the dashboard.
 * @module
 */

import { StateManager } from '../state/state-manager.js';
import type { DashboardStore } from './store.js';

/** Opens (creating when needed) the state database at `databaseUrl` as the dashboard's store. */
export function openDashboardStore(databaseUrl: string): DashboardStore {
  return StateManager.open({ databaseUrl });
}
