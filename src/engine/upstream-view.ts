/**
 * The results of a task's upstream tasks (direct and transitive) as a lazy, read-only record: looking up
 * a direct dependency costs O(1); anything else (another key, enumeration, `JSON.stringify`) collects the
 * task's ancestors once, in O(their edges).
 * @module
 */

import type { TaskResult } from '../model/result.js';
import { type DagPlan, isDirectDependency } from './dag-plan.js';

const EMPTY: Readonly<Record<string, TaskResult>> = Object.freeze({});

class UpstreamHandler implements ProxyHandler<Record<string, TaskResult>> {
  private all: Map<string, TaskResult> | undefined;

  constructor(
    private readonly plan: DagPlan,
    private readonly results: ReadonlyArray<TaskResult | undefined>,
    private readonly task: number,
  ) {}

  private lookup(key: string | symbol): TaskResult | undefined {
    if (typeof key !== 'string') return undefined;
    const i = this.plan.index.get(key);
    if (i === undefined) return undefined;
    if (isDirectDependency(this.plan, this.task, i)) return this.results[i];
    return this.collect().get(key);
  }

  private collect(): Map<string, TaskResult> {
    if (this.all) return this.all;
    const all = new Map<string, TaskResult>();
    const seen = new Set<number>();
    const { dependencyStart, dependencies, tasks } = this.plan;
    const stack = [this.task];
    while (stack.length > 0) {
      const t = stack.pop()!;
      for (let k = dependencyStart[t]!; k < dependencyStart[t + 1]!; k++) {
        const d = dependencies[k]!;
        if (seen.has(d)) continue;
        seen.add(d);
        const result = this.results[d];
        if (result) all.set(tasks[d]!.id, result);
        stack.push(d);
      }
    }
    this.all = all;
    return all;
  }

  get(_target: Record<string, TaskResult>, key: string | symbol): TaskResult | undefined {
    return this.lookup(key);
  }

  has(_target: Record<string, TaskResult>, key: string | symbol): boolean {
    return this.lookup(key) !== undefined;
  }

  ownKeys(): string[] {
    return [...this.collect().keys()];
  }

  getOwnPropertyDescriptor(
    _target: Record<string, TaskResult>,
    key: string | symbol,
  ): PropertyDescriptor | undefined {
    const value = this.lookup(key);
    return value === undefined ? undefined : { value, enumerable: true, configurable: true, writable: false };
  }

  set(): boolean {
    return false;
  }

  deleteProperty(): boolean {
    return false;
  }

  defineProperty(): boolean {
    return false;
  }
}

/**
 * The upstream results of task `task` of `plan`, read from `results` when accessed (a task's upstream
 * results are all final before it starts, so the view does not change while it runs).
 */
export function upstreamView(
  plan: DagPlan,
  results: ReadonlyArray<TaskResult | undefined>,
  task: number,
): Readonly<Record<string, TaskResult>> {
  if (plan.dependencyStart[task] === plan.dependencyStart[task + 1]) return EMPTY;
  return new Proxy<Record<string, TaskResult>>({}, new UpstreamHandler(plan, results, task));
}
