/**
 * Text for `jorm resume`: the list of resumable executions, what a resume keeps and re-runs, and a plain
 * progress line per task event.
 * @module
 */

import type { ExecutionEvent } from '../engine/events.js';
import { formatDuration } from '../model/duration.js';
import type { ExecutionResult } from '../model/result.js';
import { describeCounts, renderHistory, shortMessage } from './format.js';
import type { ResumePlan } from './resume-plan.js';
import type { ExecutionSummary } from './types.js';

/** The `jorm resume --list` text. */
export function renderResumable(interrupted: ExecutionSummary[], retryable: ExecutionSummary[]): string {
  const parts: string[] = [];
  if (interrupted.length === 0) parts.push('no interrupted executions (runs whose process died)\n');
  else
    parts.push(`interrupted executions (their process is gone):\n${renderHistory(interrupted, () => true)}`);
  if (retryable.length > 0) {
    parts.push(
      `\nfailed or cancelled executions (resume re-runs what did not succeed):\n${renderHistory(retryable, () => false)}`,
    );
  }
  return parts.join('');
}

/** One line saying what a resume does. */
export function describePlan(plan: ResumePlan, dagId: string): string {
  const kept = plan.kept.length;
  const how = plan.interrupted ? 'interrupted' : plan.previousStatus;
  return (
    `resuming ${how} execution ${plan.executionId} of ${dagId}: keeping ${kept} succeeded task${kept === 1 ? '' : 's'}, ` +
    `running ${plan.rerun.length}`
  );
}

/** A plain progress line for an event, or `undefined` for events not shown. */
export function progressLine(event: ExecutionEvent): string | undefined {
  switch (event.type) {
    case 'task_started':
      return event.attempt > 1
        ? `  started  ${event.taskId} (attempt ${event.attempt})`
        : `  started  ${event.taskId}`;
    case 'task_retrying':
      return `  retrying ${event.taskId} after attempt ${event.attempt}: ${shortMessage(event.result.errorMessage)}`;
    case 'task_finished': {
      const r = event.result;
      const error = r.status === 'success' ? '' : `  ${shortMessage(r.errorMessage)}`;
      return `  ${r.status.padEnd(8)} ${event.taskId} (${formatDuration(r.duration)})${error}`;
    }
    default:
      return undefined;
  }
}

/** The closing line of a resumed run. */
export function summaryLine(result: ExecutionResult): string {
  const counts: Record<string, number> = {};
  for (const r of Object.values(result.taskResults)) counts[r.status] = (counts[r.status] ?? 0) + 1;
  const total = Object.keys(result.taskResults).length;
  return `execution ${result.executionId} ${result.status}: ${describeCounts({ taskCounts: counts, totalTasks: total })}`;
}
