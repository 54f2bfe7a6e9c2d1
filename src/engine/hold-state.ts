/**
 * {@link HoldState}: what the scheduler does while the admission gate holds ready tasks — one `throttle`
 * event when holding starts (or its reason changes) and one when it ends, and re-checks on a timer and
 * whenever the gate signals a change.
 * @module
 */

import type { ResourceUsage } from '../model/result.js';
import type { AdmissionControl } from './admission.js';
import type { EventSink } from './event-sink.js';

/** Default ms between re-checks of a held task. */
export const DEFAULT_RECHECK_INTERVAL = 250;

/** The hold state of one execution. */
export class HoldState {
  private reason: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly admission: AdmissionControl | undefined,
    private readonly sink: EventSink,
    private readonly executionId: string,
    /** Queues a scheduler turn on a macrotask. */
    private readonly wake: () => void,
  ) {}

  /** Subscribes to the gate's changes. */
  attach(): void {
    this.unsubscribe = this.admission?.subscribe?.(this.wake);
  }

  /** Whether ready tasks are held. */
  get holding(): boolean {
    return this.reason !== undefined;
  }

  /** The gate held the first ready task. */
  hold(reason: string, heldTasks: number, usage?: ResourceUsage): void {
    if (this.reason !== reason) {
      this.reason = reason;
      if (this.sink.active) {
        this.sink.emit({
          type: 'throttle',
          executionId: this.executionId,
          state: 'holding',
          reason,
          heldTasks,
          ...(usage ? { usage } : {}),
          timestamp: new Date(),
        });
      }
    }
    if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.wake();
      }, this.admission?.recheckInterval ?? DEFAULT_RECHECK_INTERVAL);
    }
  }

  /** The gate admitted a task (or the execution stops): holding ends. */
  release(heldTasks: number): void {
    if (this.reason === undefined) return;
    const reason = this.reason;
    this.reason = undefined;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.sink.active) {
      this.sink.emit({
        type: 'throttle',
        executionId: this.executionId,
        state: 'released',
        reason,
        heldTasks,
        timestamp: new Date(),
      });
    }
  }

  /** Stops the timer and the subscription. */
  detach(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}
