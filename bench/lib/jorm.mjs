/**
 * How the bench runs jorm's CLI: the one place that knows its command line.
 */

import path from 'node:path';
import { timeCommand } from './measure.mjs';

/**
 * `jorm run <file> --concurrency <n>` with output to /dev/null; `state` chooses the SQLite state store
 * (a database in `dir`) or none.
 */
export function runJorm(context, dir, file, { concurrency, state = false }) {
  const args = [context.jormBin, 'run', file, '--concurrency', String(concurrency), '--quiet'];
  if (state) args.push('--state-db', path.join(dir, 'state.db'));
  else args.push('--no-state');
  return timeCommand(process.execPath, args, { cwd: dir, env: { ...process.env, NO_COLOR: '1', CI: '1' } });
}

/** `jorm validate <file>`. */
export function validateJorm(context, dir, file) {
  return timeCommand(process.execPath, [context.jormBin, 'validate', file], { cwd: dir });
}
