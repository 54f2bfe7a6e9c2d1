/**
 * A one-line description of what a task does, for the DAG page: the command, the script, the request.
 * Never environment values, headers or credentials.
 * @module
 */

import type { TaskConfig } from '../../model/task.js';
import { assertNever } from '../../model/task.js';

/** Longest summary. @defaultValue 200 */
const MAX = 200;

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX ? `${line.slice(0, MAX - 1)}…` : line;
}

/** A URL without credentials and with query values hidden. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    const keys = [...new Set(u.searchParams.keys())];
    const query = keys.length > 0 ? `?${keys.map((k) => `${k}=…`).join('&')}` : '';
    return `${u.protocol}//${u.host}${u.pathname}${query}`;
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//').replace(/\?.*$/, '?…');
  }
}

/** What the task runs, in one line. */
export function summarizeTask(config: TaskConfig): string {
  switch (config.kind) {
    case 'shell':
      return clip(config.command);
    case 'python_script':
      return clip(
        config.script.includes('\n')
          ? `inline script: ${config.script}`
          : [config.script, ...config.args].join(' '),
      );
    case 'python_function':
      return clip(`${config.module}.${config.function}()`);
    case 'http_request':
      return clip(`${config.method.toUpperCase()} ${safeUrl(config.url)}`);
    case 'file_operation':
      return clip([config.operation, config.source, config.destination].filter((x) => x).join(' '));
    case 'jorm':
      return clip(`jorm ${config.args.join(' ')}`);
    case 'custom':
      return '';
    default:
      return assertNever(config);
  }
}
