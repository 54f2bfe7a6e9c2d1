/**
 * The last resort of a second Ctrl-C: SIGKILL every process group jorm started, found as the process
 * groups of jorm's descendants (tasks run in process groups of their own).
 * @module
 */

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
}

function fromProc(): ProcessInfo[] | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  const out: ProcessInfo[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.push({ pid: Number(entry), ppid: Number(fields[1]), pgid: Number(fields[2]) });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function fromPs(): ProcessInfo[] {
  try {
    const text = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,pgid='], { encoding: 'utf8' });
    return text
      .trim()
      .split('\n')
      .map((line) => line.trim().split(/\s+/).map(Number))
      .filter((f) => f.length === 3 && f.every(Number.isFinite))
      .map(([pid, ppid, pgid]) => ({ pid: pid!, ppid: ppid!, pgid: pgid! }));
  } catch {
    return [];
  }
}

/** The processes descending from `root` (not `root` itself). */
export function descendantsOf(root: number, table: ProcessInfo[] = fromProc() ?? fromPs()): ProcessInfo[] {
  const children = new Map<number, ProcessInfo[]>();
  for (const p of table) {
    const list = children.get(p.ppid);
    if (list) list.push(p);
    else children.set(p.ppid, [p]);
  }
  const out: ProcessInfo[] = [];
  const stack = [root];
  while (stack.length > 0) {
    for (const child of children.get(stack.pop()!) ?? []) {
      out.push(child);
      stack.push(child.pid);
    }
  }
  return out;
}

/**
 * Sends `signal` to the process group of every descendant of this process (and to descendants that share
 * this process's group, one by one). Returns the number of groups and processes signalled.
 */
export function killDescendants(signal: NodeJS.Signals = 'SIGKILL'): number {
  if (process.platform === 'win32') return 0;
  const all = fromProc() ?? fromPs();
  const own = all.find((p) => p.pid === process.pid)?.pgid ?? process.pid;
  const groups = new Set<number>();
  let count = 0;
  for (const p of descendantsOf(process.pid, all)) {
    if (p.pgid !== own && p.pgid > 1) groups.add(p.pgid);
    else {
      try {
        process.kill(p.pid, signal);
        count++;
      } catch {
        // gone
      }
    }
  }
  for (const group of groups) {
    try {
      process.kill(-group, signal);
      count++;
    } catch {
      // gone
    }
  }
  return count;
}
