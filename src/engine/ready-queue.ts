/**
 * {@link ReadyQueue}: the tasks that may start, as a binary heap of task indices.
 *
 * Order: the task with the longest remaining chain (itself and the longest path of dependents after it)
 * first, so the critical path starts as early as possible; among equals, the task declared first.
 * Push and pop are O(log n); nothing is ever rescanned.
 * @module
 */

/** A priority queue of task indices (0 … n−1). */
export class ReadyQueue {
  private heap: Int32Array;
  private count = 0;

  /**
   * @param chain for each task index, the length of its remaining chain (higher starts first).
   * @param capacity initial capacity; the heap grows as needed.
   */
  constructor(
    private readonly chain: Int32Array,
    capacity = 16,
  ) {
    this.heap = new Int32Array(Math.max(4, capacity));
  }

  /** Number of queued tasks. */
  get size(): number {
    return this.count;
  }

  /** Whether task `a` goes before task `b`. */
  private before(a: number, b: number): boolean {
    const ca = this.chain[a]!;
    const cb = this.chain[b]!;
    return ca > cb || (ca === cb && a < b);
  }

  /** Adds a task. */
  push(task: number): void {
    if (this.count === this.heap.length) {
      const bigger = new Int32Array(this.heap.length * 2);
      bigger.set(this.heap);
      this.heap = bigger;
    }
    const heap = this.heap;
    let i = this.count++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (!this.before(task, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = task;
  }

  /** The first task, without removing it; −1 when empty. */
  peek(): number {
    return this.count === 0 ? -1 : this.heap[0]!;
  }

  /** Removes and returns the first task; −1 when empty. */
  pop(): number {
    if (this.count === 0) return -1;
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap[--this.count]!;
    const n = this.count;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && this.before(heap[right]!, heap[left]!) ? right : left;
      if (!this.before(heap[child]!, last)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    if (n > 0) heap[i] = last;
    return top;
  }

  /** Removes and returns every queued task, in no particular order. */
  drain(): number[] {
    const all = Array.from(this.heap.subarray(0, this.count));
    this.count = 0;
    return all;
  }
}
