/**
 * Signals to a whole process group (POSIX) or process tree (Windows).
 * @module
 */

import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { procStatFields } from './proc-stat.js';

const isWindows = process.platform === 'win32';

/**
 * Sends `signal` to the process group `pid` leads (`process.kill(-pid)`); on Windows, any signal but 0
 * terminates the tree with `taskkill /t /f`. Returns whether a process of the group received it.
 */
export function killProcessGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  if (isWindows) return killTreeWindows(pid, signal);
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

function killTreeWindows(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (signal === 0) return true;
  const killer = spawn('taskkill', ['/pid', String(pid), '/t', '/f'], { stdio: 'ignore', windowsHide: true });
  killer.on('error', () => {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  });
  return true;
}

/**
 * Whether the process group `pgid` holds a live process (not a zombie) other than `except`, read from
 * `/proc` (Linux); where there is no `/proc`, whether the group has any process at all. Costs a read of every process's
 * `stat`: for the rare question after a task was killed, not for every task.
 */
export function groupHasOtherProcesses(pgid: number, except: number): boolean {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return killProcessGroup(pgid, 0);
  }
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === except) continue;
    const fields = procStatFields(entry); // undefined: it ended meanwhile
    // A zombie (state Z) has ended: it only waits to be reaped.
    if (fields && fields[0] !== 'Z' && Number(fields[2]) === pgid) return true;
  }
  return false;
}
