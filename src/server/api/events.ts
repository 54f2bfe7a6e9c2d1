/**
 * Live updates by Server-Sent Events.
 *
 * - `GET /api/events`: a `change` event (with the database's data version) whenever any execution
 *   changed; the executions list re-reads its page.
 * - `GET /api/executions/:id/events`: a `snapshot` (the whole execution view) first, then an `update`
 *   with only the tasks that changed (plus the execution's fields, critical path and actions).
 * @module
 */

import type { ServerContext } from '../context.js';
import type { Router } from '../http/router.js';
import { securityHeaders } from '../http/static-files.js';
import { openEventStream } from '../live/sse.js';
import { liveStateOf } from './executions.js';

/** Installs the event stream routes. */
export function eventRoutes(router: Router, ctx: ServerContext): void {
  router.add('GET', '/api/events', ({ res, signal }) => {
    const stream = openEventStream(res, signal, securityHeaders());
    stream.send('hello', { version: ctx.feed.current() });
    const unsubscribe = ctx.feed.subscribe((version) => stream.send('change', { version }));
    stream.signal.addEventListener('abort', unsubscribe, { once: true });
  });

  router.add('GET', '/api/executions/:id/events', async ({ res, params, signal }) => {
    const id = await ctx.views.resolve(params['id']!);
    const first = await ctx.views.get(id);
    const stream = openEventStream(res, signal, securityHeaders());
    const seen = new Map<string, string>();
    for (const t of first.tasks) seen.set(t.id, JSON.stringify(t));
    const live = await liveStateOf(ctx, id);
    stream.send('snapshot', {
      ...first,
      execution: { ...first.execution, interrupted: live.interrupted },
      actions: live.actions,
    });
    let busy = false;
    let again = false;
    const push = async (): Promise<void> => {
      if (busy) {
        again = true;
        return;
      }
      busy = true;
      try {
        do {
          again = false;
          const view = await ctx.views.get(id);
          const changed = view.tasks.filter((t) => {
            const text = JSON.stringify(t);
            if (seen.get(t.id) === text) return false;
            seen.set(t.id, text);
            return true;
          });
          const { interrupted, actions } = await liveStateOf(ctx, id);
          stream.send('update', {
            execution: { ...view.execution, interrupted },
            tasks: changed,
            criticalPath: view.criticalPath,
            actions,
          });
        } while (again && !stream.signal.aborted);
      } catch {
        // The execution was pruned, or the database is briefly unreadable: keep the stream, try next time.
      } finally {
        busy = false;
      }
    };
    const unsubscribe = ctx.feed.subscribe(() => void push());
    stream.signal.addEventListener('abort', unsubscribe, { once: true });
  });
}
