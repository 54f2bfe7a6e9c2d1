/**
 * How a `throttle` event reads for people: `holding 3 tasks: memory 91% ≥ 90%`.
 * @module
 */

import type { ThrottleEvent } from '../engine/events.js';

/**
 * One line for a throttle event: `holding 3 tasks: memory 91% ≥ 90%` while tasks are held,
 * `resuming 3 tasks (was: memory 91% ≥ 90%)` when they may start again.
 */
export function formatThrottleEvent(event: Pick<ThrottleEvent, 'state' | 'reason' | 'heldTasks'>): string {
  const reason = event.reason.replace(/>=/g, '≥');
  const tasks = `${event.heldTasks} ${event.heldTasks === 1 ? 'task' : 'tasks'}`;
  switch (event.state) {
    case 'holding':
      return `holding ${tasks}: ${reason}`;
    case 'released':
      return `resuming ${tasks} (was: ${reason})`;
  }
}
