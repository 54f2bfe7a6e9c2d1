/**
 * {@link startDashboardServer}, loading the dashboard's modules (and Node.js's `http`) only when a
 * dashboard starts: every other command, and every library user who runs no dashboard, is spared
 * loading them (about 2 ms at each start of `jorm`).
 * @module
 */

import type { DashboardServer, DashboardServerOptions } from './server.js';

/** Starts the dashboard server and resolves once it listens (see `./server.ts`). */
export async function startDashboardServer(options: DashboardServerOptions): Promise<DashboardServer> {
  const server = await import('./server.js');
  return server.startDashboardServer(options);
}
