/**
 * {@link ExecutorResources}: the resource side of a `NativeExecutor` — its {@link ResourceMonitor}, the
 * admission gate its configuration asks for, and usage samples into each execution's metrics.
 * @module
 */

import { availableParallelism } from 'node:os';
import type { AdmissionControl } from '../engine/admission.js';
import type { ExecutionObserver } from '../engine/events.js';
import type { ExecutorConfig } from '../engine/executor-config.js';
import type { MetricsCollector } from '../metrics/collector.js';
import type { Dag } from '../model/dag.js';
import type { ResourceUsage } from '../model/result.js';
import { ResourceAdmission } from './admission.js';
import { defaultResourceLimits, type ResourceLimits } from './limits.js';
import { ResourceMonitor } from './monitor.js';

/** What one execution gets from {@link ExecutorResources.forExecution}. */
export interface ExecutionResources {
  /** The admission gate, when the DAG declares resources or throttling is on. */
  admission?: AdmissionControl;
  /** Observers to add to the execution. */
  observers: ExecutionObserver[];
  /** Ends the execution's use of the monitor. Call once when the execution ends. */
  dispose(): void;
}

/**
 * Owns an executor's resource monitor. Monitoring runs while the user asked for it
 * ({@link startMonitoring}) or while an execution with `enableResourceThrottling` runs; samples taken
 * during an execution go into its `resourceUsageSamples`.
 */
export class ExecutorResources {
  private monitor: ResourceMonitor | undefined;
  private userStarted = false;
  private executionsUsing = 0;

  constructor(private readonly config: ExecutorConfig) {}

  /** The limits in force: the configured ones, or the defaults for this machine. */
  get limits(): ResourceLimits {
    if (this.config.resourceLimits) return this.config.resourceLimits;
    const defaults = defaultResourceLimits(availableParallelism());
    return {
      ...defaults,
      maxConcurrentTasks: Math.min(defaults.maxConcurrentTasks, this.config.maxConcurrentTasks),
    };
  }

  private monitorOf(): ResourceMonitor {
    this.monitor ??= new ResourceMonitor(this.limits);
    return this.monitor;
  }

  /** Starts sampling every `monitoringInterval` (the reference's `start_resource_monitoring`). */
  startMonitoring(): void {
    this.userStarted = true;
    this.monitorOf().startMonitoring();
  }

  /** Stops sampling, unless an execution with throttling still needs it. */
  stopMonitoring(): void {
    this.userStarted = false;
    if (this.executionsUsing === 0) this.monitor?.stopMonitoring();
  }

  /** The latest usage sample, or undefined when monitoring never ran. */
  getUsage(): ResourceUsage | undefined {
    return this.monitor?.isMonitoring || this.userStarted ? this.monitor?.getCurrentUsage() : undefined;
  }

  /** Sets up one execution of `dag`: its admission gate, and samples into `metrics`. */
  forExecution(dag: Dag, metrics: MetricsCollector): ExecutionResources {
    const throttling = this.config.enableResourceThrottling;
    if (throttling) {
      this.executionsUsing++;
      this.monitorOf().startMonitoring();
    }
    const monitor = this.monitor?.isMonitoring ? this.monitor : undefined;
    const offSample = monitor?.onSample((usage) => metrics.recordResourceUsage(usage));
    const declares = dag.tasks.some((t) => t.resources !== undefined);
    let admission: ResourceAdmission | undefined;
    if (throttling || declares) {
      const machine = (monitor ?? this.monitorOf()).machine();
      admission = new ResourceAdmission({
        ...(this.config.resourceLimits ? { limits: this.config.resourceLimits } : {}),
        enableThrottling: throttling,
        ...(monitor ? { monitor } : {}),
        machine,
      });
    }
    let disposed = false;
    return {
      ...(admission ? { admission } : {}),
      observers: admission ? [admission] : [],
      dispose: () => {
        if (disposed) return;
        disposed = true;
        offSample?.();
        if (throttling && --this.executionsUsing === 0 && !this.userStarted) this.monitor?.stopMonitoring();
      },
    };
  }
}
