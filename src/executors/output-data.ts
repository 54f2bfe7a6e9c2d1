/**
 * A shell task's `output` mode: stdout parsed as JSON, or split into lines, as the task's `outputData`.
 * @module
 */

import type { OutputMode } from '../model/task.js';

/** The output data, or the reason it could not be made. */
export type OutputDataResult = { ok: true; data?: unknown } | { ok: false; message: string };

/** Parses `stdout` by `mode`; `truncated` is the number of bytes dropped from the front of stdout. */
export function outputData(mode: OutputMode, stdout: string, truncated: number): OutputDataResult {
  switch (mode) {
    case 'text':
      return { ok: true };
    case 'lines': {
      const lines = stdout.split(/\r?\n/);
      if (lines.at(-1) === '') lines.pop();
      return { ok: true, data: lines };
    }
    case 'json': {
      if (truncated > 0) {
        return {
          ok: false,
          message: `output: json — stdout was truncated (${truncated} bytes dropped), so it cannot be parsed; raise the output limit`,
        };
      }
      if (stdout.trim() === '')
        return { ok: false, message: 'output: json — stdout is empty, expected a JSON value' };
      try {
        return { ok: true, data: JSON.parse(stdout) as unknown };
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        return { ok: false, message: `output: json — stdout is not valid JSON (${reason})` };
      }
    }
    default:
      return { ok: false, message: `unknown output mode ${JSON.stringify(mode satisfies never)}` };
  }
}
