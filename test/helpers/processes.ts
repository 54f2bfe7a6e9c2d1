/**
 * Test helpers for real processes: whether a pid is alive, waiting (bounded) for one to go, and reading
 * the pid a task wrote to a file.
 */

import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';

/** Whether a process exists and is neither a zombie nor dead. */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`not a pid: ${pid}`);
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return process.platform !== 'linux';
  }
}

/**
 * Resolves true once `pid` is gone, false if it is still alive after `within` ms. A process that is not
 * our child cannot be awaited by an event, so this polls.
 */
export async function goneWithin(pid: number, within = 5000): Promise<boolean> {
  const end = Date.now() + within;
  while (Date.now() < end) {
    if (!isAlive(pid)) return true;
    await delay(20);
  }
  return !isAlive(pid);
}

/** Reads a pid a task wrote (`echo $! > file`) and has finished writing. */
export function readPid(file: string): number {
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`${file} holds no pid yet`);
  return pid;
}

/**
 * Waits until `file` holds a whole pid line (`echo` creates the file before it writes to it, so a file
 * that exists may still be empty) and returns the pid. Rejects after `limit` ms.
 */
export async function waitForPid(file: string, limit = 60_000): Promise<number> {
  const end = Date.now() + limit;
  while (Date.now() < end) {
    const text = await readFile(file, 'utf8').catch(() => '');
    if (/^\d+\n$/.test(text)) return Number(text.trim());
    await delay(20);
  }
  throw new Error(`${file} held no pid within ${limit} ms`);
}
