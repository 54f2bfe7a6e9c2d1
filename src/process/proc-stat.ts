/**
 * {@link procStatFields}: a process's `/proc/<pid>/stat` line (Linux).
 * @module
 */

import { readFileSync } from 'node:fs';

/**
 * The fields of `/proc/<pid>/stat` after the command name, from the state on (`[0]` the state, `[2]`
 * the process group, `[19]` the start time in clock ticks since boot); undefined when it cannot be
 * read (no `/proc`, or the process ended). The name may hold spaces and parentheses, so the fields are
 * counted from its last `)`.
 */
export function procStatFields(pid: number | string): string[] | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}
