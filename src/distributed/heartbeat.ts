/**
 * Worker heartbeats: each `jorm worker` writes what it is and what it runs into a Redis key with a TTL;
 * `jorm workers` lists the keys that are still alive.
 * @module
 */

import type { Redis } from 'ioredis';
import { lazy, zodLib } from '../libraries.js';
import type { JormKeys } from './keys.js';

/** A task a worker is running. */
export interface RunningTaskInfo {
  jobId: string;
  executionId: string;
  taskId: string;
  attempt: number;
  /** ISO time. */
  startedAt: string;
}

/** What a worker says about itself in its heartbeat. */
export interface WorkerInfo {
  id: string;
  host: string;
  pid: number;
  concurrency: number;
  tags: string[];
  /** The BullMQ queues it listens on. */
  queues: string[];
  running: RunningTaskInfo[];
  /** ISO time the worker started. */
  startedAt: string;
  /** ISO time of this heartbeat. */
  heartbeatAt: string;
  /** The jorm version, when known. */
  version?: string;
}

/** The shape of a heartbeat, built on first use (zod loads then). */
const infoSchema = lazy(() => {
  const { z } = zodLib();
  return z.object({
    id: z.string(),
    host: z.string(),
    pid: z.number(),
    concurrency: z.number(),
    tags: z.array(z.string()),
    queues: z.array(z.string()),
    running: z.array(
      z.object({
        jobId: z.string(),
        executionId: z.string(),
        taskId: z.string(),
        attempt: z.number(),
        startedAt: z.string(),
      }),
    ),
    startedAt: z.string(),
    heartbeatAt: z.string(),
    version: z.string().optional(),
  });
});

/** Writes a heartbeat that expires after `ttl` ms. */
export async function writeHeartbeat(
  client: Redis,
  keys: JormKeys,
  info: WorkerInfo,
  ttl: number,
): Promise<void> {
  await client.set(keys.worker(info.id), JSON.stringify(info), 'PX', Math.max(1, Math.round(ttl)));
}

/** Removes a worker's heartbeat (on shutdown). */
export async function removeHeartbeat(client: Redis, keys: JormKeys, workerId: string): Promise<void> {
  await client.del(keys.worker(workerId));
}

/** The live workers (those whose heartbeat has not expired), by host then pid. */
export async function listWorkers(client: Redis, keys: JormKeys): Promise<WorkerInfo[]> {
  const names: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', keys.workerPattern, 'COUNT', 500);
    cursor = next;
    names.push(...batch);
  } while (cursor !== '0');
  if (names.length === 0) return [];
  const values = await client.mget(...names);
  const workers: WorkerInfo[] = [];
  for (const text of values) {
    if (text === null) continue; // expired between SCAN and MGET
    try {
      const parsed = infoSchema().safeParse(JSON.parse(text));
      if (parsed.success) workers.push(parsed.data);
    } catch {
      // not a heartbeat of this jorm version
    }
  }
  return workers.sort((a, b) => a.host.localeCompare(b.host) || a.pid - b.pid);
}
