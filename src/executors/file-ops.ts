/**
 * The file operations of file tasks on absolute paths: copy, move, delete, create. Each throws a
 * {@link FileOperationError} with a message that names the path when it cannot be done.
 * @module
 */

import { promises as fsp, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { IoError } from '../model/errors.js';

/** A file operation that cannot be done (missing source, existing destination, …). */
export class FileOperationError extends IoError {}

async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await fsp.lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function requireSource(source: string): Promise<Stats> {
  const stats = await statOrUndefined(source);
  if (!stats) throw new FileOperationError(`source "${source}" does not exist`);
  return stats;
}

async function requireParentDirectory(path: string): Promise<void> {
  const parent = dirname(path);
  const stats = await statOrUndefined(parent);
  if (!stats) throw new FileOperationError(`destination directory "${parent}" does not exist`);
  if (!stats.isDirectory())
    throw new FileOperationError(`destination directory "${parent}" is not a directory`);
}

/** Checks the destination; removes it when it exists and `overwrite` is set. Returns whether it existed. */
async function prepareDestination(
  destination: string,
  overwrite: boolean,
  removeExisting: boolean,
): Promise<boolean> {
  const existing = await statOrUndefined(destination);
  if (!existing) return false;
  if (!overwrite) {
    throw new FileOperationError(
      `destination "${destination}" already exists (set options.overwrite: true to replace it)`,
    );
  }
  if (removeExisting) await fsp.rm(destination, { recursive: true, force: true });
  return true;
}

function checkDistinct(source: string, destination: string): void {
  if (source === destination)
    throw new FileOperationError(`source and destination are the same path "${source}"`);
}

/** Copies a file or a directory (recursively) to `destination`. */
export async function copyPath(source: string, destination: string, overwrite: boolean): Promise<void> {
  checkDistinct(source, destination);
  await requireSource(source);
  await requireParentDirectory(destination);
  await prepareDestination(destination, overwrite, true);
  await fsp.cp(source, destination, {
    recursive: true,
    errorOnExist: true,
    force: false,
    verbatimSymlinks: true,
  });
}

/** Moves (renames) a file or a directory; across file systems, copies then deletes the source. */
export async function movePath(source: string, destination: string, overwrite: boolean): Promise<void> {
  checkDistinct(source, destination);
  const sourceStats = await requireSource(source);
  await requireParentDirectory(destination);
  const existing = await statOrUndefined(destination);
  // A file replaces a file atomically by rename; anything else is removed first.
  const replaceInPlace = existing !== undefined && !existing.isDirectory() && !sourceStats.isDirectory();
  await prepareDestination(destination, overwrite, !replaceInPlace);
  try {
    await fsp.rename(source, destination);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    if (replaceInPlace) await fsp.rm(destination, { force: true });
    await fsp.cp(source, destination, {
      recursive: true,
      errorOnExist: true,
      force: false,
      verbatimSymlinks: true,
    });
    await fsp.rm(source, { recursive: true, force: true });
  }
}

/** Deletes a file or a directory (recursively). Returns false when it did not exist and `ignoreMissing`. */
export async function deletePath(path: string, ignoreMissing: boolean): Promise<boolean> {
  const stats = await statOrUndefined(path);
  if (!stats) {
    if (ignoreMissing) return false;
    throw new FileOperationError(`"${path}" does not exist (set options.ignoreMissing: true to allow it)`);
  }
  await fsp.rm(path, { recursive: true, force: true });
  return true;
}

/** Writes `content` to a new file, creating its parent directories. */
export async function createFile(path: string, content: string, overwrite: boolean): Promise<void> {
  await fsp.mkdir(dirname(path), { recursive: true });
  const existing = await statOrUndefined(path);
  if (existing?.isDirectory()) throw new FileOperationError(`"${path}" is a directory`);
  if (existing && !overwrite) {
    throw new FileOperationError(`"${path}" already exists (set options.overwrite: true to replace it)`);
  }
  try {
    await fsp.writeFile(path, content, { flag: overwrite ? 'w' : 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new FileOperationError(`"${path}" already exists (set options.overwrite: true to replace it)`);
    }
    throw error;
  }
}
