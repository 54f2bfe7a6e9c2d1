/**
 * JORM's own HTTP endpoints, kept for its clients: `POST /execute` with `{"dag_file": …}` and
 * `GET /status/<execution_id>`, with snake_case fields as JORM sends them.
 * @module
 */

import type { ServerContext } from '../context.js';
import { paramsField, readJsonBody, stringField } from '../http/body.js';
import { sendJson } from '../http/http-error.js';
import type { Router } from '../http/router.js';
import { startRun } from './dags.js';

/** Installs `/execute` and `/status/:id`. */
export function jormCompatRoutes(router: Router, ctx: ServerContext): void {
  router.add('POST', '/execute', async ({ req, res }) => {
    const body = await readJsonBody(req);
    const run = await startRun(ctx, stringField(body, 'dag_file'), paramsField(body, 'params'));
    sendJson(res, 202, {
      execution_id: run.executionId,
      dag_id: run.dagId,
      dag_file: run.dagPath,
      status: 'running',
      pid: run.pid,
    });
  });

  router.add('GET', '/status/:id', async ({ res, params }) => {
    const id = await ctx.views.resolve(params['id']!);
    const { execution, tasks } = await ctx.views.get(id);
    const taskMap: Record<string, unknown> = {};
    for (const t of tasks) {
      taskMap[t.id] = {
        status: t.status,
        attempts: t.attempts,
        started_at: t.startedAt ?? null,
        completed_at: t.completedAt ?? null,
        duration_ms: t.duration ?? null,
        exit_code: t.exitCode,
        error_message: t.errorMessage ?? null,
      };
    }
    sendJson(res, 200, {
      execution_id: execution.executionId,
      dag_id: execution.dagId,
      status: execution.status,
      started_at: execution.startedAt,
      completed_at: execution.completedAt ?? null,
      duration_ms: execution.duration ?? null,
      total_tasks: execution.totalTasks,
      task_counts: execution.taskCounts,
      tasks: taskMap,
    });
  });
}
