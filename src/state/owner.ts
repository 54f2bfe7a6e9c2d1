/**
 * Who owns a running execution, and whether that owner is gone (for crash recovery).
 * @module
 */

import { hostname } from 'node:os';
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
    if (owner.pid === process.pid) return false;
    return !isProcessAlive(owner.pid);
  }
  const last = (facts.heartbeatAt ?? facts.startedAt).getTime();
  return now - last > staleAfter;
}
