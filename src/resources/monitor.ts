/**
 * {@link ResourceMonitor}: samples system-wide CPU and memory usage every `monitoringInterval`, with the
 * running and queued task counts the engine reports.
 * @module
 */

import type { ResourceUsage } from '../model/result.js';
import {
  checkAvailability,
  type EstimatedResources,
  type MachineCapacity,
  type ResourceAvailability,
} from './availability.js';
import type { ResourceLimits } from './limits.js';
import {
  type CpuTimes,
  cpuPercentBetween,
  memoryPercentOf,
  type SystemSampler,
  systemSampler,
} from './system-sampler.js';

/** Called with every sample the monitor takes. Must not throw; a listener that does is removed. */
export type ResourceSampleListener = (usage: ResourceUsage) => void;

/** Options of a {@link ResourceMonitor}. */
export interface ResourceMonitorOptions {
  /** Where readings come from. @defaultValue {@link systemSampler} (this machine) */
  sampler?: SystemSampler;
}

/**
 * Monitors system resource usage (the reference's `ResourceMonitor`).
 *
 * CPU percent is the share of non-idle CPU time across all cores between two samples (from `/proc/stat`
 * deltas, not the load average); memory percent is the share of memory that is not available
 * (`MemAvailable`, which counts reclaimable caches as available). The sampling timer is `unref`'d: it
 * never keeps the process alive on its own.
 */
export class ResourceMonitor {
  /** The limits this monitor checks against. */
  readonly limits: ResourceLimits;
  private readonly sampler: SystemSampler;
  private readonly listeners = new Set<ResourceSampleListener>();
  private timer: NodeJS.Timeout | undefined;
  private abortCleanup: (() => void) | undefined;
  private lastCpu: CpuTimes;
  private latest: ResourceUsage | undefined;
  private running = 0;
  private queued = 0;

  constructor(limits: ResourceLimits, options: ResourceMonitorOptions = {}) {
    this.limits = limits;
    this.sampler = options.sampler ?? systemSampler();
    this.lastCpu = this.sampler.readCpuTimes();
  }

  /** Whether the sampling timer runs. */
  get isMonitoring(): boolean {
    return this.timer !== undefined;
  }

  /**
   * Starts sampling every `limits.monitoringInterval` ms (a no-op when already started). Aborting
   * `signal` stops it, like {@link stopMonitoring}.
   */
  startMonitoring(signal?: AbortSignal): void {
    if (this.timer !== undefined || signal?.aborted) return;
    this.lastCpu = this.sampler.readCpuTimes();
    this.timer = setInterval(() => this.sample(), this.limits.monitoringInterval);
    this.timer.unref();
    if (signal) {
      const stop = (): void => this.stopMonitoring();
      signal.addEventListener('abort', stop, { once: true });
      this.abortCleanup = () => signal.removeEventListener('abort', stop);
    }
  }

  /** Stops sampling. The last sample stays available through {@link getCurrentUsage}. */
  stopMonitoring(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.abortCleanup?.();
    this.abortCleanup = undefined;
  }

  /**
   * The latest sample, with the current task counts. Before the first timed sample it takes one now
   * (CPU since the monitor was created or started).
   */
  getCurrentUsage(): ResourceUsage {
    const latest = this.latest ?? this.sample();
    return { ...latest, runningTasks: this.running, queuedTasks: this.queued };
  }

  /** Takes a sample now: CPU since the previous sample, memory now. Listeners receive it. */
  sample(): ResourceUsage {
    const cpu = this.sampler.readCpuTimes();
    const usage: ResourceUsage = {
      cpuPercent: cpuPercentBetween(this.lastCpu, cpu),
      memoryPercent: memoryPercentOf(this.sampler.readMemory()),
      runningTasks: this.running,
      queuedTasks: this.queued,
      timestamp: new Date(),
    };
    this.lastCpu = cpu;
    this.latest = usage;
    for (const listener of this.listeners) {
      try {
        listener(usage);
      } catch {
        this.listeners.delete(listener);
      }
    }
    return usage;
  }

  /** Adds a listener of samples; returns the function that removes it. */
  onSample(listener: ResourceSampleListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * Resolves with the next sample taken (by the timer or {@link sample}); rejects when `signal` aborts.
   * While awaited it keeps the process alive (the sampling timer alone does not).
   */
  nextSample(signal?: AbortSignal): Promise<ResourceUsage> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const keepAlive = setInterval(() => undefined, 2 ** 30);
      const settle = (): void => {
        clearInterval(keepAlive);
        off();
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => {
        settle();
        reject(signal?.reason);
      };
      const off = this.onSample((usage) => {
        settle();
        resolve(usage);
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** The engine reports how many tasks run now. */
  setRunningTasks(count: number): void {
    this.running = Math.max(0, count);
  }

  /** The engine reports how many ready tasks wait for a slot or are held. */
  setQueuedTasks(count: number): void {
    this.queued = Math.max(0, count);
  }

  /** The machine as this monitor sees it: cores and total memory. */
  machine(): MachineCapacity {
    return { cpus: this.sampler.cpuCount(), memoryBytes: this.sampler.readMemory().totalBytes };
  }

  /**
   * Whether a task with this estimate may start now: `available`, `throttle` (usage plus the estimate's
   * share reaches a limit) or `unavailable` (it can never fit the machine within the limits).
   */
  checkResourceAvailability(estimated: EstimatedResources): ResourceAvailability {
    return checkAvailability(estimated, this.getCurrentUsage(), this.limits, this.machine());
  }
}
