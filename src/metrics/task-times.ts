/**
 * {@link TaskTimesTable}: the per-task times a {@link MetricsCollector} keeps while an execution runs, in
 * flat typed arrays instead of one object and map entry per task. Given the engine's task index (task id
 * to position), recording a time is an array write; ids it does not know get slots of their own.
 * @module
 */

/** The times kept of a task (ms; -1 for "not yet"), by position. */
export const TimeField = { Ready: 0, Start: 1, Wait: 2, Run: 3, End: 4 } as const;

/** One of {@link TimeField}. */
export type TimeField = (typeof TimeField)[keyof typeof TimeField];

const FIELDS = 5;

/** Per-task times, iterated in the order tasks were first recorded. */
export class TaskTimesTable {
  private values: Float64Array;
  private order: Int32Array;
  private recorded = 0;
  /** The id recorded in each slot; `undefined` for a slot not recorded yet. */
  private readonly ids: Array<string | undefined> = [];
  private own: Map<string, number> | undefined;
  private slots: number;
  /** Slots 0 … indexed − 1 belong to the index. */
  private readonly indexed: number;

  /**
   * @param index task id to slot (0 … size − 1), e.g. the engine's plan index; without it every id gets
   * a slot on first use.
   */
  constructor(
    private readonly index?: ReadonlyMap<string, number>,
    size = 0,
  ) {
    this.slots = index ? size : 0;
    this.indexed = this.slots;
    const capacity = Math.max(16, this.slots);
    this.values = new Float64Array(capacity * FIELDS).fill(-1);
    this.order = new Int32Array(capacity);
    // Packed from the start: slots are written out of order, which would make a growing array sparse.
    for (let slot = 0; slot < capacity; slot++) this.ids.push(undefined);
  }

  /**
   * The slot of `id`, made (and marked recorded) when it has none. `position` is the id's value in the
   * index, when the caller knows it (the engine does): it saves the lookup.
   */
  slot(id: string, position?: number): number {
    let slot = this.lookup(id, position);
    if (slot === undefined) {
      this.own ??= new Map();
      slot = this.slots++;
      this.own.set(id, slot);
      this.grow(this.slots);
    }
    if (this.ids[slot] === undefined) {
      this.ids[slot] = id;
      this.order[this.recorded++] = slot;
    }
    return slot;
  }

  /** The slot of `id` when it was recorded, else -1 (`position` as for {@link slot}). */
  find(id: string, position?: number): number {
    const slot = this.lookup(id, position);
    return slot !== undefined && this.ids[slot] !== undefined ? slot : -1;
  }

  get(slot: number, field: TimeField): number {
    return this.values[slot * FIELDS + field]!;
  }

  set(slot: number, field: TimeField, value: number): void {
    this.values[slot * FIELDS + field] = value;
  }

  /** Calls `visit` with each recorded task's slot and id, in the order they were first recorded. */
  forEach(visit: (slot: number, id: string) => void): void {
    for (let k = 0; k < this.recorded; k++) {
      const slot = this.order[k]!;
      visit(slot, this.ids[slot]!);
    }
  }

  /** The slot `id` has (recorded or not), from the position, the index or the ids given slots of their own. */
  private lookup(id: string, position?: number): number | undefined {
    if (position !== undefined && this.index && position < this.indexed) return position;
    const slot = this.index?.get(id);
    return slot !== undefined && slot < this.indexed ? slot : this.own?.get(id);
  }

  private grow(slots: number): void {
    if (slots <= this.ids.length) return;
    const capacity = Math.max(slots, this.ids.length * 2);
    const values = new Float64Array(capacity * FIELDS).fill(-1);
    values.set(this.values);
    this.values = values;
    const order = new Int32Array(capacity);
    order.set(this.order);
    this.order = order;
    while (this.ids.length < capacity) this.ids.push(undefined);
  }
}
