/**
 * {@link Deadlines}: timeouts without a timer per item (the engine's task timeouts, a process run's drain
 * time). Items with the same timeout expire in the order they were added, so each distinct timeout keeps
 * a FIFO queue and one timer armed for its oldest unfinished item (or for an earlier one that ended: it
 * then re-arms for the oldest unfinished one). Adding and finishing an item is O(1) amortized.
 * @module
 */

import { monotonicMs } from './clock.js';

/** Something that can time out. */
export interface Expirable {
  /** {@link monotonicMs} value at which it expires. */
  deadline: number;
  /** Set once it ended; an ended item never expires. */
  ended: boolean;
}

/** The longest delay `setTimeout` accepts. */
const MAX_TIMER = 2_147_483_647;

class DeadlineQueue<T extends Expirable> {
  items: T[] = [];
  head = 0;
  timer: NodeJS.Timeout | undefined;
  constructor(
    private readonly onExpire: (item: T) => void,
    private readonly unref: boolean,
  ) {}

  add(item: T): void {
    this.items.push(item);
    if (this.timer === undefined) this.arm(item.deadline - monotonicMs());
  }

  /**
   * Drops ended items at the head. When nothing is left the timer stays armed: it fires once for nothing
   * (or finds the next item not yet due and re-arms). Clearing it here and arming a new one for the next
   * item would cost a `clearTimeout` and a `setTimeout` per task of a chain; `Deadlines.clear` stops it.
   */
  prune(): void {
    const items = this.items;
    while (this.head < items.length && items[this.head]!.ended) this.head++;
    if (this.head === items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > items.length) {
      this.items = items.slice(this.head);
      this.head = 0;
    }
  }

  private arm(delay: number): void {
    this.timer = setTimeout(() => this.fire(), Math.min(MAX_TIMER, Math.max(0, Math.ceil(delay))));
    if (this.unref) this.timer.unref();
  }

  disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private fire(): void {
    this.timer = undefined;
    const now = monotonicMs();
    const items = this.items;
    while (this.head < items.length) {
      const item = items[this.head]!;
      if (!item.ended) {
        if (item.deadline > now + 1) break;
        this.onExpire(item);
      }
      this.head++;
    }
    this.prune();
    const next = this.items[this.head];
    if (next && this.timer === undefined) this.arm(next.deadline - now);
  }
}

/** Options of {@link Deadlines}. */
export interface DeadlinesOptions {
  /**
   * The timers do not keep the process alive: for items that something else keeps alive until they end
   * (a process run's open pipes), so that a timer left armed after the last item ended holds nothing up.
   * Without it, call {@link Deadlines.clear} when done. @defaultValue false
   */
  unref?: boolean;
}

/** Timeouts of running things: the attempts of one execution, the drains of process runs. */
export class Deadlines<T extends Expirable> {
  private readonly queues = new Map<number, DeadlineQueue<T>>();
  private readonly unref: boolean;

  /** @param onExpire called once for an item still running at its deadline. */
  constructor(
    private readonly onExpire: (item: T) => void,
    options: DeadlinesOptions = {},
  ) {
    this.unref = options.unref ?? false;
  }

  /** Starts the clock of `item`, which expires `timeout` ms from now (never when not finite). */
  add(item: T, timeout: number): void {
    if (!Number.isFinite(timeout)) {
      item.deadline = Number.POSITIVE_INFINITY;
      return;
    }
    item.deadline = monotonicMs() + timeout;
    let queue = this.queues.get(timeout);
    if (!queue) {
      queue = new DeadlineQueue(this.onExpire, this.unref);
      this.queues.set(timeout, queue);
    }
    queue.add(item);
  }

  /** Call after setting `item.ended`: frees the memory of the items that ended. */
  ended(timeout: number): void {
    this.queues.get(timeout)?.prune();
  }

  /** Stops every timer. */
  clear(): void {
    for (const queue of this.queues.values()) queue.disarm();
    this.queues.clear();
  }
}
