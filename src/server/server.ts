/**
 * The dashboard server of `jorm serve`: a `node:http` server with the JSON API, the event streams, JORM's
 * endpoints and the static dashboard pages, over one state database and one directory of DAG files.
 * @module
 */

import { realpath } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigurationError } from '../model/errors.js';
import { parseDatabaseUrl } from '../state/config.js';
import { jormVersion } from '../version.js';
import { dagRoutes } from './api/dags.js';
import { eventRoutes } from './api/events.js';
import { executionRoutes } from './api/executions.js';
import { jormCompatRoutes } from './api/jorm-compat.js';
import { ExecutionViews, type ServerContext } from './context.js';
import { DagFiles, type DagLoader } from './dags/dag-files.js';
import { loadDagFile } from './dags/dag-loader.js';
import { guardRequest } from './http/auth.js';
import { HttpError, sendError, sendJson } from './http/http-error.js';
import { Router } from './http/router.js';
import { findAssetsDir, StaticFiles, securityHeaders } from './http/static-files.js';
import { ChangeFeed, DEFAULT_POLL_INTERVAL } from './live/change-feed.js';
import { openDashboardStore } from './open-store.js';
import { checkListenOptions, DEFAULT_HOST, DEFAULT_PORT } from './options.js';
import { RunLauncher } from './runs/launcher.js';
import type { DashboardStore } from './store.js';

/** Options of {@link startDashboardServer}. */
export interface DashboardServerOptions {
  /** @defaultValue `'127.0.0.1'` */
  host?: string;
  /** 0 picks a free port. @defaultValue 8080 */
  port?: number;
  /** Bearer token; required when `host` is not a loopback address. */
  token?: string;
  /** The state database (`sqlite:path` or a path; not `sqlite::memory:`). */
  databaseUrl: string;
  /** The directory whose DAG files are listed and may be run; runs start in it. */
  directory: string;
  /** ms between checks of the database for changes. @defaultValue 400 */
  pollInterval?: number;
  /** The `jorm` CLI entry point used to start runs. @defaultValue the one of this package */
  cliPath?: string;
  /** A store of one's own (tests, embedding); @defaultValue the SQLite state store of `databaseUrl` */
  store?: DashboardStore;
  /** How DAG files are read. @defaultValue jorm's parser and validation */
  dagLoader?: DagLoader;
  /** Told about unexpected errors (5xx), e.g. to print them; never sent to clients. */
  onError?: (error: unknown, req: IncomingMessage) => void;
}

/** A running dashboard server. */
export interface DashboardServer {
  /** `http://host:port` */
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  /**
   * Closes the server, its event streams and the database (unless the store was given). Runs it started
   * keep going, unless `stopRuns` (then they get SIGINT, as Ctrl-C would).
   */
  close(options?: { stopRuns?: boolean }): Promise<void>;
}

const DATA_PREFIXES = ['/api/', '/execute', '/status/'];

/** Starts the dashboard server and resolves once it listens. */
export async function startDashboardServer(options: DashboardServerOptions): Promise<DashboardServer> {
  const listen = checkListenOptions({
    host: options.host ?? DEFAULT_HOST,
    port: options.port ?? DEFAULT_PORT,
    ...(options.token !== undefined ? { token: options.token } : {}),
  });
  const location = parseDatabaseUrl(options.databaseUrl);
  if (location.kind === 'memory') {
    throw new ConfigurationError(
      'the dashboard needs a state database file, not sqlite::memory:',
      'state',
      options.databaseUrl,
    );
  }
  let root: string;
  try {
    root = await realpath(options.directory);
  } catch {
    throw new ConfigurationError(
      `the directory "${options.directory}" does not exist`,
      'dir',
      options.directory,
    );
  }
  const ownStore = options.store === undefined;
  const store = options.store ?? openDashboardStore(`sqlite:${location.path}`);
  const feed = new ChangeFeed(location.path, options.pollInterval ?? DEFAULT_POLL_INTERVAL);
  const dags = new DagFiles(root, options.dagLoader ?? loadDagFile);
  const closing = new AbortController();
  const launcher = new RunLauncher({
    databaseUrl: `sqlite:${location.path}`,
    cwd: root,
    store,
    waitForChange: (signal) => feed.nextChange(signal),
    ...(options.cliPath !== undefined ? { cliPath: options.cliPath } : {}),
  });
  const ctx: ServerContext = {
    store,
    feed,
    dags,
    launcher,
    views: new ExecutionViews(store, feed, dags),
    closing: closing.signal,
    version: jormVersion(),
  };
  const router = new Router();
  router.add('GET', '/api/info', ({ res }) => {
    sendJson(res, 200, { name: 'jorm', version: ctx.version, tokenRequired: listen.token !== undefined });
  });
  executionRoutes(router, ctx);
  dagRoutes(router, ctx);
  eventRoutes(router, ctx);
  jormCompatRoutes(router, ctx);
  const statics = new StaticFiles(findAssetsDir());

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const signal = AbortSignal.any([closing.signal, abortOnClose(res)]);
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const method = req.method ?? 'GET';
      const isData = DATA_PREFIXES.some((p) => url.pathname.startsWith(p));
      guardRequest(req, {
        ...(listen.token !== undefined ? { token: listen.token } : {}),
        needsToken: isData,
      });
      const match = router.match(method, url.pathname);
      if (match) {
        await match.handler({ req, res, params: match.params, query: url.searchParams, url, signal });
        return;
      }
      if (!isData && (method === 'GET' || method === 'HEAD')) {
        if (await statics.serve(url.pathname, res, method === 'HEAD')) return;
      }
      throw new HttpError(404, `nothing at ${method} ${url.pathname}`);
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 500;
      if (status >= 500) options.onError?.(error, req);
      // A body left unread (too large, refused early) must not be taken for the next request.
      if (!res.headersSent && !req.complete) res.setHeader('connection', 'close');
      sendError(res, error);
    }
  };

  const server = createServer((req, res) => {
    for (const [k, v] of Object.entries(securityHeaders())) res.setHeader(k, v);
    void handle(req, res);
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${hostForUrl}:${address.port}`,
    port: address.port,
    server,
    close(closeOptions = {}) {
      closed ??= (async () => {
        closing.abort();
        const done = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await done;
        feed.close();
        launcher.close(closeOptions);
        if (ownStore) await store.close();
      })();
      return closed;
    },
  };
}

function abortOnClose(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => controller.abort());
  return controller.signal;
}
