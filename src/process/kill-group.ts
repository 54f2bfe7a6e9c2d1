/**
 * Signals to a whole process group (POSIX) or process tree (Windows).
 * @module
 */

import { spawn } from 'node:child_process';

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
