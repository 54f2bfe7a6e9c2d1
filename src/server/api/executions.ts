/**
 * The executions API: list, one execution, one task, its logs, cancel and resume.
 * @module
 */

import type { ExecutionStatus } from '../../model/result.js';
import type { ExecutionFilter } from '../../state/types.js';
import type { ServerContext } from '../context.js';
import { HttpError, sendJson } from '../http/http-error.js';
import type { RequestContext, Router } from '../http/router.js';
import type { LogStream } from '../store.js';
import { readLogChunk } from '../views/log-chunk.js';

const STATUSES: readonly ExecutionStatus[] = ['running', 'success', 'failed', 'cancelled'];
/** Largest page of the executions list. @defaultValue 200 */
export const MAX_PAGE = 200;

/** Reads a non-negative integer query parameter. @throws HttpError 400 naming it. */
export function intParam(
  query: URLSearchParams,
  name: string,
  fallback: number,
  max = Number.MAX_SAFE_INTEGER,
  min = 0,
): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new HttpError(400, `"${name}" must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value > max) throw new HttpError(400, `"${name}" must be at most ${max}, got ${raw}`);
  if (value < min) throw new HttpError(400, `"${name}" must be at least ${min}, got ${raw}`);
  return value;
}

/** The executions filter of a query string (`dag`, `status`). */
export function filterOf(query: URLSearchParams): ExecutionFilter {
  const filter: ExecutionFilter = {};
  const dag = query.get('dag');
  if (dag) filter.dagId = dag;
  const status = query.get('status');
  if (status) {
    if (!STATUSES.includes(status as ExecutionStatus)) {
      throw new HttpError(400, `"status" must be one of ${STATUSES.join(', ')}, got "${status}"`);
    }
    filter.status = status as ExecutionStatus;
  }
  return filter;
}

/** What the dashboard may do with an execution now. */
export interface ExecutionActions {
  /** It runs and its owner is alive. */
  cancel: boolean;
  /** A cancellation was asked for and not yet acted on. */
  cancelRequested: boolean;
  /** It failed, was cancelled or lost its owner, and its DAG file is inside the served directory. */
  resume: boolean;
}

/** What changes with the owner's process rather than the database, so read for every response. */
export interface LiveState {
  /** It is recorded as running, but its process is gone. */
  interrupted: boolean;
  actions: ExecutionActions;
}

/** Whether an execution is interrupted, and what actions it allows now. */
export async function liveStateOf(ctx: ServerContext, executionId: string): Promise<LiveState> {
  const summary = await ctx.views.summary(executionId);
  const running = summary.status === 'running';
  const gone = running && ctx.store.isInterrupted(summary);
  const dagPath = summary.dagFile ? await ctx.dags.relativeOf(summary.dagFile) : undefined;
  return {
    interrupted: gone,
    actions: {
      cancel: running && !gone,
      cancelRequested: summary.cancelRequested ?? false,
      resume: (!running || gone) && summary.status !== 'success' && dagPath !== undefined,
    },
  };
}

/** Installs the executions routes. */
export function executionRoutes(router: Router, ctx: ServerContext): void {
  router.add('GET', '/api/executions', async ({ res, query }) => {
    const filter = filterOf(query);
    const limit = intParam(query, 'limit', 50, MAX_PAGE, 1);
    const offset = intParam(query, 'offset', 0);
    const [executions, total] = await Promise.all([
      ctx.store.listExecutions({ ...filter, limit, offset }),
      ctx.store.countExecutions(filter),
    ]);
    // A run whose process is gone still says "running" in the database: say it is interrupted.
    const shown = executions.map((e) => ({ ...e, interrupted: ctx.store.isInterrupted(e) }));
    sendJson(res, 200, { executions: shown, total, limit, offset });
  });

  router.add('GET', '/api/executions/:id', async ({ res, params }) => {
    const id = await ctx.views.resolve(params['id']!);
    const view = await ctx.views.get(id);
    const run = ctx.launcher.runOf(id);
    const { interrupted, actions } = await liveStateOf(ctx, id);
    sendJson(res, 200, {
      ...view,
      // Where the page reads it, beside the status it qualifies.
      execution: { ...view.execution, interrupted },
      actions,
      ...(run ? { launched: { pid: run.pid, command: run.command } } : {}),
    });
  });

  router.add('GET', '/api/executions/:id/tasks/:task', async ({ res, params }) => {
    const id = await ctx.views.resolve(params['id']!);
    const taskId = params['task']!;
    const state = await ctx.views.state(id);
    const task = state.taskStates[taskId];
    if (!task) throw new HttpError(404, `execution ${id} has no task "${taskId}"`);
    const attempts = await ctx.store.getTaskAttempts(id, taskId);
    sendJson(res, 200, { executionId: id, task, attempts });
  });

  router.add('GET', '/api/executions/:id/tasks/:task/logs', (rc) => sendLogs(ctx, rc));

  router.add('POST', '/api/executions/:id/cancel', async ({ res, params }) => {
    const id = await ctx.views.resolve(params['id']!);
    const state = await ctx.views.state(id);
    if (state.status !== 'running') {
      throw new HttpError(409, `execution ${id} is not running (it is ${state.status})`);
    }
    const requested = await ctx.store.requestCancel(id);
    if (!requested) throw new HttpError(409, `execution ${id} is no longer running`);
    const signalled = ctx.launcher.signal(id, 'SIGINT');
    sendJson(res, 202, { executionId: id, cancelRequested: true, signalled });
  });

  router.add('POST', '/api/executions/:id/resume', async ({ res, params }) => {
    const id = await ctx.views.resolve(params['id']!);
    const summary = await ctx.views.summary(id);
    if (summary.status === 'success') throw new HttpError(409, `execution ${id} already succeeded`);
    if (summary.status === 'running' && !ctx.store.isInterrupted(summary)) {
      throw new HttpError(409, `execution ${id} is still running`);
    }
    const dagPath = summary.dagFile ? await ctx.dags.relativeOf(summary.dagFile) : undefined;
    if (dagPath === undefined) {
      throw new HttpError(403, `the DAG file of execution ${id} is not inside the served directory`);
    }
    const run = await ctx.launcher.resume(id);
    sendJson(res, 202, { executionId: id, pid: run.pid });
  });
}

async function sendLogs(ctx: ServerContext, { res, params, query }: RequestContext): Promise<void> {
  const id = await ctx.views.resolve(params['id']!);
  const taskId = params['task']!;
  const stream = (query.get('stream') ?? 'stdout') as LogStream;
  if (stream !== 'stdout' && stream !== 'stderr') {
    throw new HttpError(400, `"stream" must be stdout or stderr, got "${String(stream)}"`);
  }
  const state = await ctx.views.state(id);
  const task = state.taskStates[taskId];
  if (!task) throw new HttpError(404, `execution ${id} has no task "${taskId}"`);
  const attempts = await ctx.store.getTaskAttempts(id, taskId);
  const latest = attempts[attempts.length - 1];
  const attemptNo = intParam(query, 'attempt', latest?.attempt ?? 1);
  const record = attempts.find((a) => a.attempt === attemptNo);
  if (attempts.length > 0 && !record)
    throw new HttpError(404, `task "${taskId}" has no attempt ${attemptNo}`);
  const offset = intParam(query, 'offset', 0);
  // A task that never started (skipped, or cancelled before it ran) has no attempt and never will:
  // its log is complete, empty, with the task's own status.
  const status = record?.status ?? (attempts.length === 0 ? task.status : 'pending');
  const complete = status !== 'running' && status !== 'pending';
  const base = { executionId: id, taskId, attempt: attemptNo, stream, complete, status };
  const file = ctx.store.logPath(id, taskId, attemptNo, stream);
  const chunk = file ? await readLogChunk(file, offset) : undefined;
  if (chunk) {
    sendJson(res, 200, { ...base, source: 'file', ...chunk });
    return;
  }
  // No log file (not written yet, pruned, or an in-memory store): the tail kept in the database.
  const tail = record ? (stream === 'stdout' ? record.stdoutTail : record.stderrTail) : '';
  const bytes = Buffer.from(tail, 'utf8');
  const start = Math.min(offset, bytes.length);
  sendJson(res, 200, {
    ...base,
    source: 'tail',
    text: bytes.subarray(start).toString('utf8'),
    offset: start,
    nextOffset: bytes.length,
    size: bytes.length,
  });
}
