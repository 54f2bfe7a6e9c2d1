/**
 * One line per notable task event, shared by the plain display and the permanent lines of the live view.
 * @module
 */

import type { ExecutionEvent } from '../../engine/events.js';
import { formatThrottleEvent } from '../../resources/throttle-message.js';
import { duration, type Painter, plural, statusStyle } from './format.js';

/** The line for an event, or undefined for events that get none (ready, output, …). */
export function eventLine(
  event: ExecutionEvent,
  paint: Painter,
  names: ReadonlyMap<string, string>,
): string | undefined {
  const name = (id: string): string => paint('bold', names.get(id) ?? id);
  switch (event.type) {
    case 'execution_started': {
      const kept = event.keptTaskIds?.length ?? 0;
      const what = event.resumed
        ? `resuming dag "${event.dagId}" (${kept} of ${plural(event.taskCount, 'task')} kept)`
        : `running dag "${event.dagId}": ${plural(event.taskCount, 'task')}`;
      return `${what}, execution ${event.executionId}`;
    }
    case 'task_started':
      return `${paint('cyan', 'started  ')} ${name(event.taskId)}${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}`;
    case 'task_retrying': {
      const why = event.result.errorMessage ?? event.result.status;
      return `${paint('yellow', 'retrying ')} ${name(event.taskId)} in ${duration(event.delay)} (attempt ${event.attempt}: ${why})`;
    }
    case 'task_finished': {
      const r = event.result;
      const word = r.status === 'success' ? 'succeeded' : r.status === 'timed_out' ? 'timed out' : r.status;
      const label = paint(statusStyle(r.status), word.padEnd(9));
      if (r.status === 'success') return `${label} ${name(event.taskId)} in ${duration(r.duration)}`;
      if (r.status === 'skipped' || event.attempt === 0)
        return `${label} ${name(event.taskId)}: ${r.errorMessage ?? r.status}`;
      return `${label} ${name(event.taskId)}: ${r.errorMessage ?? r.status} (${duration(r.duration)})`;
    }
    case 'throttle': {
      // The library's wording (`holding 3 tasks: memory 91% ≥ 90%`), its first word colored.
      const line = formatThrottleEvent(event);
      const space = line.indexOf(' ');
      const word = line.slice(0, space);
      return `${paint(event.state === 'holding' ? 'yellow' : 'green', word.padEnd(9))} ${line.slice(space + 1)}`;
    }
    case 'task_ready':
    case 'task_output':
    case 'execution_finished':
      return undefined;
  }
}
