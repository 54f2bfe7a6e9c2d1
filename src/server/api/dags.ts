/**
 * The DAG files API and starting runs: list the DAG files of the served directory, read one (graph and
 * diagnostics), run one (`POST /api/runs`, and JORM's `POST /execute`).
 * @module
 */

import type { ServerContext } from '../context.js';
import { paramsField, readJsonBody, stringField } from '../http/body.js';
import { HttpError, sendJson } from '../http/http-error.js';
import type { Router } from '../http/router.js';
import type { LaunchedRun } from '../runs/launcher.js';

/**
 * Validates a DAG file and starts a run of it.
 * @throws HttpError 400 (with `diagnostics`) when the file has problems; 400/403/404 for a bad path.
 */
export async function startRun(
  ctx: ServerContext,
  relative: string,
  params: Record<string, string>,
): Promise<LaunchedRun & { dagPath: string; dagId: string }> {
  const file = await ctx.dags.resolve(relative);
  const view = await ctx.dags.get(relative);
  if (!view.valid) {
    throw new HttpError(400, `${view.path} has ${view.errorCount} problem(s); fix them before running it`, {
      diagnostics: view.diagnostics,
    });
  }
  const run = await ctx.launcher.start(file, params);
  return { ...run, dagPath: view.path, dagId: view.dagId ?? '' };
}

/** Installs the DAG routes. */
export function dagRoutes(router: Router, ctx: ServerContext): void {
  router.add('GET', '/api/dags', async ({ res }) => {
    sendJson(res, 200, { dags: await ctx.dags.list() });
  });

  router.add('GET', '/api/dags/file', async ({ res, query }) => {
    const relative = query.get('path');
    if (!relative) throw new HttpError(400, 'give the DAG file as ?path=relative/path.jorm');
    sendJson(res, 200, await ctx.dags.get(relative));
  });

  router.add('POST', '/api/runs', async ({ req, res }) => {
    const body = await readJsonBody(req);
    const run = await startRun(ctx, stringField(body, 'dag'), paramsField(body, 'params'));
    sendJson(res, 202, {
      executionId: run.executionId,
      pid: run.pid,
      dagPath: run.dagPath,
      dagId: run.dagId,
    });
  });
}
