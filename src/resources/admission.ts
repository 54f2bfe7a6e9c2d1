/**
 * {@link ResourceAdmission}: the engine's admission gate for declared resources and resource throttling,
 * built from a {@link ThrottlePolicy}, a {@link RunningLedger} and, for throttling, a
 * {@link ResourceMonitor}.
 * @module
 */

import type { AdmissionControl, AdmissionVerdict } from '../engine/admission.js';
import type { ExecutionEvent, ExecutionObserver } from '../engine/events.js';
import type { Task } from '../model/task.js';
import type { MachineCapacity } from './availability.js';
import type { ResourceLimits } from './limits.js';
import type { ResourceMonitor } from './monitor.js';
import { RunningLedger, ThrottlePolicy } from './throttle.js';

/** Options of a {@link ResourceAdmission}. */
export interface ResourceAdmissionOptions {
  /** The limits; required for throttling. */
  limits?: ResourceLimits;
  /** Hold tasks on measured CPU and memory usage (needs `monitor` and `limits`). @defaultValue false */
  enableThrottling?: boolean;
  /** Where usage samples come from; the gate re-checks held tasks on each new sample. */
  monitor?: ResourceMonitor;
  /** The machine declared resources are checked against. @defaultValue what `monitor` sees, or this machine */
  machine: MachineCapacity;
}

/**
 * The admission gate of resource limits (see {@link ThrottlePolicy} for the rules). It also observes the
 * execution's events to report running and queued task counts to the monitor.
 */
export class ResourceAdmission implements AdmissionControl, ExecutionObserver {
  /** The policy behind the gate. */
  readonly policy: ThrottlePolicy;
  /** ms between re-checks of a held task: the monitor's sampling interval, at least 50 ms. */
  readonly recheckInterval: number;
  private readonly ledger = new RunningLedger();
  private readonly monitor: ResourceMonitor | undefined;
  private readonly queued = new Set<string>();

  constructor(options: ResourceAdmissionOptions) {
    this.monitor = options.monitor;
    const throttling = (options.enableThrottling ?? false) && options.monitor !== undefined;
    this.policy = new ThrottlePolicy({
      ...(options.limits ? { limits: options.limits } : {}),
      enableThrottling: throttling,
      machine: options.machine,
    });
    this.recheckInterval = Math.max(50, options.limits?.monitoringInterval ?? 250);
  }

  /** Whether `task` may start now with `running` attempts running. */
  canStart(task: Task, running: number): AdmissionVerdict {
    const load = { ...this.ledger.load, count: running };
    const usage = this.monitor?.getCurrentUsage();
    const decision = this.policy.admit(task, load, usage);
    if (decision.admit) return true;
    switch (decision.cause) {
      case 'never':
        return { reject: decision.error };
      case 'throttle':
        return usage ? { hold: decision.reason, usage } : { hold: decision.reason };
      case 'resources':
        return { hold: decision.reason };
    }
  }

  /** An attempt started: its declared resources are taken. */
  onStart(task: Task): void {
    this.ledger.add(task.id, task.resources);
    this.monitor?.setRunningTasks(this.ledger.load.count);
  }

  /** An attempt ended: its declared resources are given back. */
  onEnd(task: Task): void {
    this.ledger.remove(task.id);
    this.monitor?.setRunningTasks(this.ledger.load.count);
  }

  /** Wakes the scheduler on every new usage sample. */
  subscribe(wake: () => void): () => void {
    return this.monitor?.onSample(() => wake()) ?? (() => undefined);
  }

  /** Counts ready tasks that have not started, for the monitor's `queuedTasks`. */
  onEvent(event: ExecutionEvent): void {
    switch (event.type) {
      case 'task_ready':
        this.queued.add(event.taskId);
        break;
      case 'task_started':
      case 'task_finished':
        this.queued.delete(event.taskId);
        break;
      default:
        return;
    }
    this.monitor?.setQueuedTasks(this.queued.size);
  }
}
