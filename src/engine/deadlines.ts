/**
 * {@link Deadlines}: task timeouts without a timer per task. Attempts with the same timeout expire in the
 * order they started, so each distinct timeout keeps a FIFO queue and one timer armed for its oldest
 * unfinished attempt. Adding and finishing an attempt is O(1) amortized.
 * @module
 */

/** Something that can time out. */
export interface Expirable {
  /** `performance.now()` value at which it expires. */
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
  constructor(private readonly onExpire: (item: T) => void) {}

  add(item: T): void {
    this.items.push(item);
    if (this.timer === undefined) this.arm(item.deadline - performance.now());
  }

  /** Drops ended items at the head; disarms the timer when nothing is left. */
  prune(): void {
    const items = this.items;
    while (this.head < items.length && items[this.head]!.ended) this.head++;
    if (this.head === items.length) {
      this.items = [];
      this.head = 0;
      this.disarm();
    } else if (this.head > 1024 && this.head * 2 > items.length) {
      this.items = items.slice(this.head);
      this.head = 0;
    }
  }

  private arm(delay: number): void {
    this.timer = setTimeout(() => this.fire(), Math.min(MAX_TIMER, Math.max(0, Math.ceil(delay))));
  }

  disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private fire(): void {
    this.timer = undefined;
    const now = performance.now();
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

/** Timeouts of the running attempts of one execution. */
export class Deadlines<T extends Expirable> {
  private readonly queues = new Map<number, DeadlineQueue<T>>();

  /** @param onExpire called once for an item still running at its deadline. */
  constructor(private readonly onExpire: (item: T) => void) {}

  /** Starts the clock of `item`, which expires `timeout` ms from now (never when not finite). */
  add(item: T, timeout: number): void {
    if (!Number.isFinite(timeout)) {
      item.deadline = Number.POSITIVE_INFINITY;
      return;
    }
    item.deadline = performance.now() + timeout;
    let queue = this.queues.get(timeout);
    if (!queue) {
      queue = new DeadlineQueue(this.onExpire);
      this.queues.set(timeout, queue);
    }
    queue.add(item);
  }

  /** Call after setting `item.ended`: frees memory and the timer when it can. */
  ended(timeout: number): void {
    this.queues.get(timeout)?.prune();
  }

  /** Stops every timer. */
  clear(): void {
    for (const queue of this.queues.values()) queue.disarm();
    this.queues.clear();
  }
}
