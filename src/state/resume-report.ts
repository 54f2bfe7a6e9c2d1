/**
 * Text for `jorm resume --list`: the executions that can be resumed.
 * @module
 */

import { renderHistory } from './format.js';
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
