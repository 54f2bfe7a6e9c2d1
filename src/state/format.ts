/**
 * Text renderings of stored state for the CLI (`jorm history`, `jorm show`, `jorm resume --list`):
 * plain aligned tables, no colours, no I/O.
 * @module
 */

import { formatDuration } from '../model/duration.js';
import type { TaskStatus } from '../model/result.js';
import type { ExecutionState, ExecutionSummary, TaskAttemptRecord } from './types.js';

/** Renders rows as columns aligned with two spaces; the last column is not padded. */
export function renderTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** A local time as `YYYY-MM-DD HH:MM:SS`. */
export function formatTimestamp(date: Date | undefined): string {
  if (!date) return '-';
  const p = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())} ` +
    `${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}`
  );
}

const COUNT_ORDER: TaskStatus[] = ['failed', 'timed_out', 'skipped', 'cancelled', 'running', 'pending'];

/** Task counts as `4/6 ok, 1 failed, 1 skipped`. */
export function describeCounts(summary: Pick<ExecutionSummary, 'taskCounts' | 'totalTasks'>): string {
  const counts = summary.taskCounts;
  const parts = [`${counts.success ?? 0}/${summary.totalTasks} ok`];
  for (const status of COUNT_ORDER) {
    const n = counts[status];
    if (n) parts.push(`${n} ${status.replace('_', ' ')}`);
  }
  return parts.join(', ');
}

/** The status to show: `interrupted` for a run whose owner is gone, else the stored status. */
export function displayStatus(summary: ExecutionSummary, interrupted: boolean): string {
  return interrupted ? 'interrupted' : summary.status;
}

/** The `jorm history` table. */
export function renderHistory(
  summaries: ExecutionSummary[],
  isInterrupted: (s: ExecutionSummary) => boolean,
): string {
  const rows = summaries.map((s) => [
    s.executionId,
    s.dagId,
    displayStatus(s, isInterrupted(s)),
    formatTimestamp(s.startedAt),
    s.duration === undefined ? '-' : formatDuration(s.duration),
    describeCounts(s),
  ]);
  return renderTable(['ID', 'DAG', 'STATUS', 'STARTED', 'DURATION', 'TASKS'], rows);
}

/** The first line of a message, cut to `max` characters. */
export function shortMessage(message: string | undefined, max = 70): string {
  if (!message) return '';
  const first = message.split('\n', 1)[0] ?? '';
  return first.length > max ? `${first.slice(0, max - 1)}…` : first;
}

/** The `jorm show` header and task table. */
export function renderExecution(
  summary: ExecutionSummary,
  state: ExecutionState,
  attempts: TaskAttemptRecord[],
  interrupted: boolean,
): string {
  const lines = [
    `execution ${summary.executionId}  dag ${summary.dagId}  ${displayStatus(summary, interrupted)}`,
  ];
  if (summary.dagFile) lines.push(`  dag file  ${summary.dagFile}`);
  if (state.workingDirectory) lines.push(`  directory ${state.workingDirectory}`);
  const duration = summary.duration === undefined ? '' : `, took ${formatDuration(summary.duration)}`;
  lines.push(`  started   ${formatTimestamp(summary.startedAt)}${duration}`);
  if (summary.owner) lines.push(`  owner     ${summary.owner.host} pid ${summary.owner.pid}`);
  // A secret parameter was stored by name only: it shows as *** like every secret.
  const params = [
    ...Object.entries(state.params ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(state.secretParams ?? []).map((k) => `${k}=***`),
  ];
  if (params.length > 0) lines.push(`  params    ${params.join(' ')}`);
  lines.push(`  tasks     ${describeCounts(summary)}`);
  const perTask = new Map<string, TaskAttemptRecord[]>();
  for (const a of attempts) {
    const list = perTask.get(a.taskId) ?? [];
    list.push(a);
    perTask.set(a.taskId, list);
  }
  const rows = Object.values(state.taskStates).map((t) => {
    const latest = perTask.get(t.taskId)?.at(-1) ?? t.latest;
    const duration =
      latest?.duration ??
      (latest?.startedAt && latest.completedAt
        ? latest.completedAt.getTime() - latest.startedAt.getTime()
        : undefined);
    return [
      t.taskId,
      t.status,
      String(Math.max(t.attempts, perTask.get(t.taskId)?.length ?? 0)),
      duration === undefined ? '-' : formatDuration(duration),
      latest?.exitCode === null || latest?.exitCode === undefined ? '-' : String(latest.exitCode),
      shortMessage(t.errorMessage ?? (t.status === 'success' ? undefined : latest?.errorMessage)),
    ];
  });
  return `${lines.join('\n')}\n\n${renderTable(['TASK', 'STATUS', 'ATTEMPTS', 'DURATION', 'EXIT', 'ERROR'], rows)}`;
}
