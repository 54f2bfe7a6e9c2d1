/**
 * How the bench runs jorm's CLI: the one place that knows its command line.
 */

import { existsSync } from 'node:fs';
import path from 'node:path';
import { timeCommand } from './measure.mjs';

/**
 * The `jorm` executable of a compiled jorm in `folder`: the published one (`cli/bin.cjs`, which loads the
 * bundle), else a tsc build's (`cli/bin.js` or `src/cli/bin.js`); undefined when there is none.
 */
export function jormExecutable(folder) {
  return ['cli/bin.cjs', 'cli/bin.js', 'src/cli/bin.js']
    .map((file) => path.join(folder, file))
    .find((file) => existsSync(file));
}

/**
 * `jorm run <file> --concurrency <n> --quiet`, output to /dev/null. `state`: `'default'` (jorm's default
 * state store, `.jorm/state.db` in `dir`, as a user gets it), `'on'` (a database in `dir`, named
 * explicitly) or `'off'` (`--no-state`).
 */
export function runJorm(context, dir, file, { concurrency, state = 'default' }) {
  const args = [context.jormBin, 'run', file, '--concurrency', String(concurrency), '--quiet'];
  if (state === 'on') args.push('--state', path.join(dir, 'state.db'));
  else if (state === 'off') args.push('--no-state');
  return timeCommand(process.execPath, args, { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
}

/** `jorm validate <file>`. */
export function validateJorm(context, dir, file) {
  return timeCommand(process.execPath, [context.jormBin, 'validate', file], { cwd: dir });
}
