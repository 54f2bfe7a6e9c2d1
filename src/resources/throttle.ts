/**
 * The throttle policy of the scheduler: whether a ready task may start now, given the resource limits,
 * the latest usage sample and what is running. Pure logic; the engine calls it from its admission hook.
 *
 * Rules, in order:
 * 1. A task whose declared `resources` exceed the capacity (the machine, or the share of it the limits
 *    allow) can never start: `never`, with a {@link ResourceLimitExceededError}.
 * 2. When nothing runs, a task that fits may always start: throttling never deadlocks a DAG.
 * 3. Declared resources of running tasks plus this one must fit the capacity, else `resources` (wait for
 *    running tasks to end).
 * 4. With throttling on: CPU or memory at or above its limit holds every new task (`throttle`); at or
 *    above `limit × throttleThreshold` concurrency drops to `limits.maxConcurrentTasks`.
 * @module
 */

import { ResourceLimitExceededError } from '../model/errors.js';
import type { ResourceUsage } from '../model/result.js';
import type { TaskResources } from '../model/task.js';
import {
  formatBytes,
  formatCores,
  formatPercent,
  type MachineCapacity,
  neverFitsReason,
  type ResourceCapacity,
  type ResourceKind,
  resourceCapacity,
} from './availability.js';
import type { ResourceLimits } from './limits.js';

/** How hard the scheduler is throttled by the latest sample. */
export type ThrottleLevel =
  | { level: 'normal' }
  /** Usage at or above `limit × throttleThreshold`: concurrency is `limits.maxConcurrentTasks`. */
  | { level: 'throttled'; resource: ResourceKind; usage: number; limit: number; reason: string }
  /** Usage at or above the limit: new tasks are held. */
  | { level: 'holding'; resource: ResourceKind; usage: number; limit: number; reason: string };

/** What is running now: the task count and the resources they declared in all. */
export interface RunningLoad {
  count: number;
  /** Declared cores. */
  cpu: number;
  /** Declared bytes. */
  memory: number;
}

/** A ready task as the policy sees it. */
export interface AdmissionCandidate {
  id: string;
  resources?: TaskResources;
}

/** The policy's answer for one ready task, discriminated by `admit` and then `cause`. */
export type AdmissionDecision =
  | { admit: true }
  /** Held because of measured usage; retry when a new sample arrives. */
  | { admit: false; cause: 'throttle'; resource: ResourceKind; usage: number; limit: number; reason: string }
  /** Held because running tasks' declared resources leave no room; retry when one ends. */
  | { admit: false; cause: 'resources'; resource: ResourceKind; reason: string }
  /** Can never start: its declared resources exceed the capacity. */
  | { admit: false; cause: 'never'; error: ResourceLimitExceededError };

/** Options of a {@link ThrottlePolicy}. */
export interface ThrottlePolicyOptions {
  /** Limits; without them only declared resources are checked, against the whole machine. */
  limits?: ResourceLimits;
  /** Whether measured usage throttles (the executor's `enableResourceThrottling`). @defaultValue false */
  enableThrottling?: boolean;
  machine: MachineCapacity;
}

/**
 * The throttle level a usage sample puts the scheduler in. A limit (or `limit × throttleThreshold`) of
 * 100% is never reached: it turns that check off.
 */
export function throttleLevel(usage: ResourceUsage | undefined, limits: ResourceLimits): ThrottleLevel {
  if (!usage) return { level: 'normal' };
  const readings: Array<[ResourceKind, number, number]> = [
    ['cpu', usage.cpuPercent, limits.maxCpuPercent],
    ['memory', usage.memoryPercent, limits.maxMemoryPercent],
  ];
  for (const [resource, value, limit] of readings) {
    if (value >= limit && limit < 100) {
      return { level: 'holding', resource, usage: value, limit, reason: usageReason(resource, value, limit) };
    }
  }
  for (const [resource, value, limit] of readings) {
    const threshold = limit * limits.throttleThreshold;
    if (value >= threshold && threshold < 100) {
      const reason = usageReason(resource, value, threshold);
      return { level: 'throttled', resource, usage: value, limit: threshold, reason };
    }
  }
  return { level: 'normal' };
}

function usageReason(resource: ResourceKind, usage: number, limit: number): string {
  return `${resource} ${formatPercent(usage)} >= ${formatPercent(limit)}`;
}

/** Decides whether ready tasks may start. See the module documentation for the rules. */
export class ThrottlePolicy {
  /** What declared resources are checked against. */
  readonly capacity: ResourceCapacity;
  private readonly limits: ResourceLimits | undefined;
  private readonly throttling: boolean;

  constructor(options: ThrottlePolicyOptions) {
    this.limits = options.limits;
    this.throttling = (options.enableThrottling ?? false) && options.limits !== undefined;
    this.capacity = resourceCapacity(options.machine, options.limits);
  }

  /** The error for a task that can never fit, or undefined. Check every task before a run starts. */
  checkTask(task: AdmissionCandidate): ResourceLimitExceededError | undefined {
    if (!task.resources) return undefined;
    const never = neverFitsReason(task.resources, this.capacity);
    if (!never) return undefined;
    return new ResourceLimitExceededError(never.resource, `task "${task.id}" ${never.reason}`, {
      context: { taskId: task.id },
    });
  }

  /** The concurrency allowed under `usage`, for an executor whose own limit is `maxConcurrentTasks`. */
  concurrency(usage: ResourceUsage | undefined, maxConcurrentTasks: number): number {
    if (!this.throttling || !this.limits) return maxConcurrentTasks;
    const level = throttleLevel(usage, this.limits);
    switch (level.level) {
      case 'normal':
        return maxConcurrentTasks;
      case 'throttled':
        return Math.max(1, Math.min(maxConcurrentTasks, this.limits.maxConcurrentTasks));
      case 'holding':
        return 1;
    }
  }

  /** Whether `task` may start now, with `running` tasks already started and the latest `usage`. */
  admit(task: AdmissionCandidate, running: RunningLoad, usage?: ResourceUsage): AdmissionDecision {
    const error = this.checkTask(task);
    if (error) return { admit: false, cause: 'never', error };
    if (running.count === 0) return { admit: true };
    const cpu = task.resources?.cpu ?? 0;
    const memory = task.resources?.memory ?? 0;
    if (cpu > 0 && running.cpu + cpu > this.capacity.cpu) {
      const reason = `cpu: ${formatCores(running.cpu)} declared by running tasks + ${formatCores(cpu)} > ${formatCores(this.capacity.cpu)}`;
      return { admit: false, cause: 'resources', resource: 'cpu', reason };
    }
    if (memory > 0 && running.memory + memory > this.capacity.memory) {
      const reason = `memory: ${formatBytes(running.memory)} declared by running tasks + ${formatBytes(memory)} > ${formatBytes(this.capacity.memory)}`;
      return { admit: false, cause: 'resources', resource: 'memory', reason };
    }
    if (!this.throttling || !this.limits) return { admit: true };
    const level = throttleLevel(usage, this.limits);
    switch (level.level) {
      case 'normal':
        return { admit: true };
      case 'throttled':
        if (running.count < this.limits.maxConcurrentTasks) return { admit: true };
        return { admit: false, cause: 'throttle', ...withoutLevel(level) };
      case 'holding':
        return { admit: false, cause: 'throttle', ...withoutLevel(level) };
    }
  }
}

function withoutLevel(level: Exclude<ThrottleLevel, { level: 'normal' }>): {
  resource: ResourceKind;
  usage: number;
  limit: number;
  reason: string;
} {
  return { resource: level.resource, usage: level.usage, limit: level.limit, reason: level.reason };
}

/** Keeps the {@link RunningLoad}: add a task's declared resources when it starts, remove them when it ends. */
export class RunningLedger {
  private readonly running = new Map<string, TaskResources | undefined>();
  private cpu = 0;
  private memory = 0;

  /** A task started. */
  add(taskId: string, resources?: TaskResources): void {
    if (this.running.has(taskId)) return;
    this.running.set(taskId, resources);
    this.cpu += resources?.cpu ?? 0;
    this.memory += resources?.memory ?? 0;
  }

  /** A task ended (any outcome). */
  remove(taskId: string): void {
    if (!this.running.has(taskId)) return;
    const resources = this.running.get(taskId);
    this.running.delete(taskId);
    this.cpu -= resources?.cpu ?? 0;
    this.memory -= resources?.memory ?? 0;
    if (this.running.size === 0) {
      // No rounding residue from adding and removing fractions.
      this.cpu = 0;
      this.memory = 0;
    }
  }

  /** The load now. */
  get load(): RunningLoad {
    return { count: this.running.size, cpu: Math.max(0, this.cpu), memory: Math.max(0, this.memory) };
  }
}
