/**
 * Test helpers for real processes: whether a pid is alive, and waiting (bounded) for one to go.
 */

import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

/** Whether a process exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}

/**
 * Resolves true once `pid` is gone, false if it is still alive after `within` ms. A process that is not
 * our child cannot be awaited by an event, so this polls.
 */
export async function goneWithin(pid: number, within = 3000): Promise<boolean> {
  const end = Date.now() + within;
  while (Date.now() < end) {
    if (!isAlive(pid)) return true;
    await delay(20);
  }
  return !isAlive(pid);
}

/** Reads a pid a task wrote to a file. */
export function readPid(file: string): number {
  return Number(readFileSync(file, 'utf8').trim());
}
