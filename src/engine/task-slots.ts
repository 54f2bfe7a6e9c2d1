/**
 * {@link TaskSlots}: per task type, the executor that runs it, whether its tasks may run in parallel, its
 * default timeout, and — for a type that may not — whether one is running and which ready tasks wait.
 * @module
 */

import type { ExecutionBackend } from './backend.js';
import type { DagPlan } from './dag-plan.js';
import type { ExecutorConfig } from './executor-config.js';
import { ReadyQueue } from './ready-queue.js';
import type { TaskRegistry } from './registry.js';
import type { TaskExecutor } from './task-executor.js';

/** One task type of an execution. */
export class TypeSlot {
  /** A task of this type is running (only tracked for serial types). */
  busy = false;
  private blocked: ReadyQueue | undefined;

  constructor(
    readonly executor: TaskExecutor,
    /** At most one task of this type at a time. */
    readonly serial: boolean,
    /** Timeout of this type's tasks that set none, ms. */
    readonly defaultTimeout: number,
  ) {}

  /** Parks a ready task until the running task of this type ends. */
  block(task: number, chain: Int32Array): void {
    this.blocked ??= new ReadyQueue(chain);
    this.blocked.push(task);
  }

  /** An attempt of this type ended: frees the type and moves its next parked task to `ready`. */
  release(ready: ReadyQueue): void {
    if (!this.serial) return;
    this.busy = false;
    const next = this.blocked?.pop() ?? -1;
    if (next >= 0) ready.push(next);
  }

  /** Forgets the parked tasks. */
  drain(): void {
    this.blocked?.drain();
  }
}

/**
 * The slots of a DAG's task types. Timeout precedence for a task: its own `timeout`; else the config's
 * `defaultTimeout` when it was set explicitly; else the executor's `defaultTimeout()`; else the config's
 * default (300 s).
 */
export class TaskSlots {
  private readonly byTask: TypeSlot[];
  private readonly slots: TypeSlot[] = [];

  constructor(
    plan: DagPlan,
    registry: TaskRegistry,
    backend: ExecutionBackend,
    config: ExecutorConfig,
    explicitDefaultTimeout: boolean,
  ) {
    const byType = new Map<string, TypeSlot>();
    this.byTask = new Array<TypeSlot>(plan.tasks.length);
    for (let i = 0; i < plan.tasks.length; i++) {
      const task = plan.tasks[i]!;
      let slot = byType.get(task.taskType);
      if (!slot) {
        const executor = registry.get(task.taskType)!;
        const parallel = backend.supportsParallel
          ? backend.supportsParallel(task, executor)
          : (executor.supportsParallel?.() ?? true);
        const own = explicitDefaultTimeout ? undefined : executor.defaultTimeout?.();
        const timeout = own !== undefined && own > 0 ? own : config.defaultTimeout;
        slot = new TypeSlot(executor, !parallel, timeout);
        byType.set(task.taskType, slot);
        this.slots.push(slot);
      }
      this.byTask[i] = slot;
    }
  }

  /** The slot of task `i`. */
  of(i: number): TypeSlot {
    return this.byTask[i]!;
  }

  /** Forgets every parked task. */
  drain(): void {
    for (const slot of this.slots) slot.drain();
  }
}
