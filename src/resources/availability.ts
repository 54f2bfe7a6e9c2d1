/**
 * Whether a task's estimated resources fit: {@link EstimatedResources}, {@link ResourceAvailability} and
 * the pure {@link checkAvailability} behind `ResourceMonitor.checkResourceAvailability`.
 * @module
 */

import type { ResourceUsage } from '../model/result.js';
import type { ResourceLimits } from './limits.js';

/** What a task is expected to use (the reference's `EstimatedResources`). */
export interface EstimatedResources {
  /** CPU cores (fractions allowed). */
  cpu?: number;
  /** Memory in bytes. */
  memory?: number;
}

/** The two resources jorm watches. */
export type ResourceKind = 'cpu' | 'memory';

/**
 * The answer of a resource check (the reference's `ResourceAvailability`), discriminated by `status`:
 * - `available`: the task may start;
 * - `throttle`: not now: `resource` is at `usage` percent, at or above `limit` percent;
 * - `unavailable`: never: the estimate exceeds what the machine (within the limits) has.
 */
export type ResourceAvailability =
  | { status: 'available' }
  | { status: 'throttle'; resource: ResourceKind; usage: number; limit: number; reason: string }
  | { status: 'unavailable'; resource: ResourceKind; reason: string };

/** The machine a check is made for. */
export interface MachineCapacity {
  /** Logical CPU cores. */
  cpus: number;
  /** Total memory, bytes. */
  memoryBytes: number;
}

/** How much of the machine tasks may declare in all: cores and bytes. */
export interface ResourceCapacity {
  cpu: number;
  memory: number;
}

/**
 * The capacity declared resources are checked against: the whole machine, or, with limits, the share of
 * it the limits allow (`cpus × maxCpuPercent / 100`, `memory × maxMemoryPercent / 100`).
 */
export function resourceCapacity(machine: MachineCapacity, limits?: ResourceLimits): ResourceCapacity {
  if (!limits) return { cpu: machine.cpus, memory: machine.memoryBytes };
  return {
    cpu: (machine.cpus * limits.maxCpuPercent) / 100,
    memory: (machine.memoryBytes * limits.maxMemoryPercent) / 100,
  };
}

/** Formats a percentage for reasons: whole numbers, one decimal below 10. */
export function formatPercent(value: number): string {
  const rounded = value < 10 ? Math.round(value * 10) / 10 : Math.round(value);
  return `${rounded}%`;
}

/** Formats a byte count for reasons (`512 MiB`, `1.5 GiB`). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = value >= 100 || unit === 0 ? Math.round(value) : Math.round(value * 10) / 10;
  return `${shown} ${units[unit]}`;
}

/** Formats a core count (`2 cores`, `0.5 cores`, `1 core`). */
export function formatCores(cores: number): string {
  const shown = Math.round(cores * 100) / 100;
  return `${shown} ${shown === 1 ? 'core' : 'cores'}`;
}

/** Why an estimate can never fit, or undefined when it can. */
export function neverFitsReason(
  estimated: EstimatedResources,
  capacity: ResourceCapacity,
): { resource: ResourceKind; reason: string } | undefined {
  if (estimated.cpu !== undefined && estimated.cpu > capacity.cpu) {
    return {
      resource: 'cpu',
      reason: `needs ${formatCores(estimated.cpu)} but at most ${formatCores(capacity.cpu)} are available`,
    };
  }
  if (estimated.memory !== undefined && estimated.memory > capacity.memory) {
    return {
      resource: 'memory',
      reason: `needs ${formatBytes(estimated.memory)} of memory but at most ${formatBytes(capacity.memory)} is available`,
    };
  }
  return undefined;
}

/**
 * Checks an estimate against the current usage: `unavailable` when it can never fit the machine within
 * the limits; `throttle` when the usage now plus the estimate's share of the machine reaches a limit
 * (`memory 91% >= 90%`); otherwise `available`. A limit of 100% turns that resource's check off.
 */
export function checkAvailability(
  estimated: EstimatedResources,
  usage: ResourceUsage,
  limits: ResourceLimits,
  machine: MachineCapacity,
): ResourceAvailability {
  const never = neverFitsReason(estimated, resourceCapacity(machine, limits));
  if (never) return { status: 'unavailable', ...never };
  const cpuShare = machine.cpus > 0 ? ((estimated.cpu ?? 0) / machine.cpus) * 100 : 0;
  const memoryShare = machine.memoryBytes > 0 ? ((estimated.memory ?? 0) / machine.memoryBytes) * 100 : 0;
  const checks: Array<[ResourceKind, number, number]> = [
    ['cpu', usage.cpuPercent + cpuShare, limits.maxCpuPercent],
    ['memory', usage.memoryPercent + memoryShare, limits.maxMemoryPercent],
  ];
  for (const [resource, projected, limit] of checks) {
    if (projected >= limit && limit < 100) {
      const reason = `${resource} ${formatPercent(projected)} >= ${formatPercent(limit)}`;
      return { status: 'throttle', resource, usage: projected, limit, reason };
    }
  }
  return { status: 'available' };
}
