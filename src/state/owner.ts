/**
 * Who owns a running execution, and whether that owner is gone (for crash recovery).
 * @module
 */

import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { procStatFields } from '../process/proc-stat.js';
import type { ExecutionOwner } from './types.js';

const processStartedAt = new Date(Date.now() - Math.round(process.uptime() * 1000));

/** This process as the owner of an execution. */
export function currentOwner(): ExecutionOwner {
  return { host: hostname(), pid: process.pid, startedAt: processStartedAt };
}

/** Whether a process with this id runs on this host. */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What {@link isOwnerGone} looks at. */
export interface OwnerFacts {
  owner?: ExecutionOwner;
  heartbeatAt?: Date;
  startedAt: Date;
}

/**
 * Whether the owner of a running execution is gone: on this host, its process no longer exists; on
 * another host (whose processes cannot be seen), its last heartbeat is older than `staleAfter` ms.
 */
export function isOwnerGone(facts: OwnerFacts, staleAfter: number, now: number = Date.now()): boolean {
  const owner = facts.owner;
  if (owner && owner.host === hostname()) {
    // A process id is used again (after a reboot, in a container where jorm is always pid 1): the process
    // with that id now is the owner only if it started when the owner did.
    if (owner.pid === process.pid) return !sameStart(processStartedAt.getTime(), owner.startedAt.getTime());
    if (!isProcessAlive(owner.pid)) return true;
    const started = processStartTime(owner.pid);
    return started !== undefined && !sameStart(started, owner.startedAt.getTime());
  }
  const last = (facts.heartbeatAt ?? facts.startedAt).getTime();
  return now - last > staleAfter;
}

/** Start times further apart than this are different processes (a /proc start time is to the second). */
const START_TOLERANCE_MS = 5000;

function sameStart(a: number, b: number): boolean {
  return Math.abs(a - b) <= START_TOLERANCE_MS;
}

/** The boot time of this machine, epoch ms, from /proc/stat (Linux); undefined elsewhere. */
let bootTime: number | undefined | null = null;

/**
 * When the process `pid` started, epoch ms, from `/proc` (Linux: its start in clock ticks since boot,
 * 100 per second, plus the boot time); undefined where that cannot be read.
 */
export function processStartTime(pid: number): number | undefined {
  if (bootTime === null) {
    try {
      const line = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'latin1'));
      bootTime = line ? Number(line[1]) * 1000 : undefined;
    } catch {
      bootTime = undefined;
    }
  }
  if (bootTime === undefined) return undefined;
  const ticks = Number(procStatFields(pid)?.[19]);
  return Number.isFinite(ticks) ? bootTime + ticks * 10 : undefined;
}
