/**
 * Starts a real dashboard server on 127.0.0.1 port 0 over a temporary state database.
 */

import {
  type DashboardServer,
  type DashboardServerOptions,
  startDashboardServer,
} from '../../src/server/server.js';
import { type TempState, tempState } from './state-fixture.js';

/** A server with its state; `close` stops both and removes the folder. */
export interface TestServer {
  server: DashboardServer;
  state: TempState;
  url: string;
  close(): Promise<void>;
}

/** Starts a server over a new temporary state (or the given one). */
export async function startTestServer(
  options: Partial<DashboardServerOptions> = {},
  existing?: TempState,
): Promise<TestServer> {
  const state = existing ?? (await tempState());
  const server = await startDashboardServer({
    host: '127.0.0.1',
    port: 0,
    databaseUrl: state.databaseUrl,
    directory: state.dir,
    pollInterval: 100,
    ...options,
  });
  return {
    server,
    state,
    url: server.url,
    async close() {
      await server.close({ stopRuns: true });
      await state.cleanup();
    },
  };
}
