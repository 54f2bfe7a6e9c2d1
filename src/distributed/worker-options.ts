/**
 * {@link JormWorkerOptions}: how a `jorm worker` process takes and runs jobs.
 * @module
 */

import type { TaskRegistry } from '../engine/registry.js';
import type { WorkerEvent } from './worker-events.js';

/** Options of {@link JormWorker}. Durations are ms. */
export interface JormWorkerOptions {
  /** The Redis URL. */
  connection: string;
  /** Base queue names. @defaultValue `['jorm']` */
  queues?: string[];
  /** BullMQ's key prefix, as on the coordinator. @defaultValue `'jorm'` */
  prefix?: string;
  /** Tasks running at once in this process. @defaultValue the number of CPU cores */
  concurrency?: number;
  /** The worker's tags: it takes tasks whose tags it all has. @defaultValue `[]` */
  tags?: string[];
  /** The executors. @defaultValue `TaskRegistry.withDefaultExecutors()` */
  registry?: TaskRegistry;
  /** Run tasks here (plus their relative `working_dir`) instead of the coordinator's directory. */
  workingDirectory?: string;
  /** BullMQ lock duration: a job whose worker stops renewing its lock this long is stalled. @defaultValue 30000 */
  lockDuration?: number;
  /** How often stalled jobs are looked for. @defaultValue 30000 */
  stalledInterval?: number;
  /** Times a job may stall (its worker died) and run again before it fails. @defaultValue 1 */
  maxStalledCount?: number;
  /** @defaultValue 5000 */
  heartbeatInterval?: number;
  /** The key shared with the coordinator to decrypt job bodies. */
  payloadKey?: string;
  /** Which of the worker's own variables are secrets. @defaultValue the default rules */
  securePrefixes?: string[];
  /** The jorm version, shown by `jorm workers`. */
  version?: string;
  /** Receives what the worker does (for logs). */
  onEvent?: (event: WorkerEvent) => void;
}
