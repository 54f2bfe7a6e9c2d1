/**
 * Path safety for the served directory: a client names DAG files by paths relative to it, and may never
 * reach outside it (no absolute paths, no `..`, no symbolic link pointing out).
 * @module
 */

import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { HttpError } from '../http/http-error.js';

/** Whether `child` (a real path) is `root` or inside it. */
export function isInside(root: string, child: string): boolean {
  const relative = path.relative(root, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * Resolves a client-supplied relative path to a real file inside `root` (itself a real path).
 * @throws HttpError 400 for an absolute or malformed path, 403 for one leading outside `root` (by `..` or
 *   by a symbolic link), 404 when there is no such file.
 */
export async function resolveInside(root: string, relative: string): Promise<string> {
  if (relative === '' || relative.includes('\0')) throw new HttpError(400, 'the path is empty or malformed');
  if (path.isAbsolute(relative) || path.win32.isAbsolute(relative)) {
    throw new HttpError(400, `"${relative}" is absolute; give a path relative to the served directory`);
  }
  const parts = relative.split(/[\\/]+/);
  if (parts.includes('..')) throw new HttpError(403, `"${relative}" leads outside the served directory`);
  const candidate = path.resolve(root, relative);
  if (!isInside(root, candidate))
    throw new HttpError(403, `"${relative}" leads outside the served directory`);
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    throw new HttpError(404, `no file "${relative}" in the served directory`);
  }
  if (!isInside(root, real)) throw new HttpError(403, `"${relative}" leads outside the served directory`);
  const info = await stat(real);
  if (!info.isFile()) throw new HttpError(404, `"${relative}" is not a file`);
  return real;
}

/** The path of a real file relative to `root`, with `/` separators (how the API names files). */
export function toRelative(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}
