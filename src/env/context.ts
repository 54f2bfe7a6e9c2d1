/**
 * {@link InterpolationContext}: what `${…}` references resolve against.
 * @module
 */

import { availableParallelism, hostname, platform } from 'node:os';
import type { SecureValue } from './secure-value.js';

/** What a `${task.<id>.…}` reference reads of an upstream task (a `TaskResult` fits). */
export interface TaskOutputs {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  outputData?: unknown;
}

/** Context for interpolation (the reference's `InterpolationContext`, with the task outputs it reads). */
export interface InterpolationContext {
  /** `${NAME}`: the task's environment. A secure value makes whatever it goes into secure. */
  variables: Readonly<Record<string, string | SecureValue>>;
  /** `${task.<id>.…}`: the results of the tasks upstream of the one being interpolated. */
  taskOutputs: Readonly<Record<string, TaskOutputs>>;
  /** `${system.<key>}`: `hostname`, `os`, `cpus`. See {@link systemInfo}. */
  systemInfo: Readonly<Record<string, string>>;
  /** `${params.<name>}`: run parameters over the DAG's declared defaults. */
  params: Readonly<Record<string, string>>;
  /** `${dag.id}`. */
  dagId?: string;
  /** `${execution.id}`. */
  executionId?: string;
}

let cachedSystemInfo: Readonly<Record<string, string>> | undefined;

/** This machine's `${system.…}` values: `hostname`, `os` (Node's `process.platform`), `cpus`. */
export function systemInfo(): Readonly<Record<string, string>> {
  cachedSystemInfo ??= Object.freeze({
    hostname: hostname(),
    os: platform(),
    cpus: String(availableParallelism()),
  });
  return cachedSystemInfo;
}

/** A context with nothing in it but the system values; fill what you have. */
export function emptyInterpolationContext(): InterpolationContext {
  return { variables: {}, taskOutputs: {}, systemInfo: systemInfo(), params: {} };
}
