/**
 * The summary printed after a run: a table (task, status, duration, retries, exit code), the last lines
 * of stderr of each failed task, and one closing line with the counts and where to find more.
 * @module
 */

import type { Dag } from '../../model/dag.js';
import type { ExecutionResult, TaskResult } from '../../model/result.js';
import { duration, type Painter, plural, statusStyle, statusWord } from './format.js';

/** Rows shown at most; beyond, only the tasks that did not succeed are listed. */
const MAX_ROWS = 40;
/** Lines of stderr shown per failed task. */
const STDERR_LINES = 10;
/** Failed tasks whose stderr is shown. */
const MAX_FAILED_SHOWN = 5;

/** Options of {@link renderSummary}. */
export interface SummaryOptions {
  paint: Painter;
  /** Lines telling where to find more (e.g. `jorm show <id>`). */
  hints?: string[];
  /** Extra lines (metrics, …). */
  extra?: string[];
}

function row(cells: string[], widths: number[]): string {
  return cells
    .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
    .join('  ')
    .trimEnd();
}

function lastLines(text: string, count: number): string[] {
  const lines = text.replace(/\s+$/, '').split('\n');
  return lines.slice(-count);
}

/** The failed tasks' details: error and last stderr lines. */
function failures(results: TaskResult[], name: (id: string) => string, paint: Painter): string[] {
  const failed = results.filter((r) => r.status === 'failed' || r.status === 'timed_out');
  const out: string[] = [];
  for (const r of failed.slice(0, MAX_FAILED_SHOWN)) {
    out.push(
      '',
      paint('red', `${name(r.taskId)} ${statusWord(r.status)}: ${r.errorMessage ?? ''}`.trimEnd()),
    );
    if (r.stderr.trim() !== '') {
      out.push(paint('dim', `  last lines of stderr:`));
      for (const line of lastLines(r.stderr, STDERR_LINES)) out.push(`    ${line}`);
    }
  }
  if (failed.length > MAX_FAILED_SHOWN)
    out.push('', `… and ${plural(failed.length - MAX_FAILED_SHOWN, 'more failed task')}`);
  return out;
}

/** The closing line: status, time and counts. */
export function closingLine(result: ExecutionResult, paint: Painter): string {
  const m = result.metrics;
  const counts = [`${m.successfulTasks} succeeded`];
  const failedOnly = m.failedTasks - m.timedOutTasks;
  if (failedOnly > 0) counts.push(`${failedOnly} failed`);
  if (m.timedOutTasks > 0) counts.push(`${m.timedOutTasks} timed out`);
  if (m.skippedTasks > 0) counts.push(`${m.skippedTasks} skipped`);
  if (m.cancelledTasks > 0) counts.push(`${m.cancelledTasks} cancelled`);
  const style = result.status === 'success' ? 'green' : result.status === 'failed' ? 'red' : 'yellow';
  const status = paint(style, result.status === 'success' ? 'succeeded' : result.status);
  return `execution ${result.executionId} ${status} in ${duration(result.totalDuration)}: ${counts.join(', ')}`;
}

/** The whole summary as text (ends with a newline). */
export function renderSummary(result: ExecutionResult, dag: Dag, options: SummaryOptions): string {
  const { paint } = options;
  const name = (id: string): string => dag.getTask(id)?.name ?? id;
  const results = Object.values(result.taskResults);
  const shown = results.length > MAX_ROWS ? results.filter((r) => r.status !== 'success') : results;
  const header = ['TASK', 'STATUS', 'DURATION', 'RETRIES', 'EXIT'];
  const rows = shown.map((r) => [
    name(r.taskId),
    statusWord(r.status),
    r.status === 'skipped' || (r.status === 'cancelled' && r.duration === 0) ? '-' : duration(r.duration),
    String(r.retryCount),
    r.exitCode === null ? '-' : String(r.exitCode),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((cells) => cells[i]!.length)));
  // A large run where every task succeeded lists none: no table, only the count.
  const lines = rows.length > 0 ? [paint('bold', row(header, widths))] : [];
  for (const [k, cells] of rows.entries()) {
    const status = shown[k]!.status;
    const padded = row(cells, widths);
    const at = widths[0]! + 2;
    lines.push(
      padded.slice(0, at) +
        paint(statusStyle(status), padded.slice(at, at + widths[1]!)) +
        padded.slice(at + widths[1]!),
    );
  }
  const hidden = results.length - shown.length;
  if (hidden > 0 && rows.length > 0)
    lines.push(paint('dim', `… and ${plural(hidden, 'more task')} that succeeded`));
  else if (hidden > 0) lines.push(`all ${plural(hidden, 'task')} succeeded`);
  lines.push(...failures(results, name, paint));
  if (options.extra && options.extra.length > 0) lines.push('', ...options.extra);
  lines.push('', closingLine(result, paint));
  for (const hint of options.hints ?? []) lines.push(paint('dim', hint));
  return `${lines.join('\n')}\n`;
}
