/**
 * The critical path of a run: the chain of tasks that determined its duration.
 * @module
 */

import { Dag } from '../model/dag.js';

/** Where a task's dependencies are read from: a {@link Dag}, or a map from task id to dependency ids. */
export type DependencySource =
  | Dag
  | ReadonlyMap<string, readonly string[]>
  | Readonly<Record<string, readonly string[]>>;

/** A function from task id to its dependency ids. */
export function dependencyLookup(source: DependencySource): (taskId: string) => readonly string[] {
  if (source instanceof Dag) return (id) => source.getTask(id)?.dependsOn ?? [];
  if (source instanceof Map) return (id) => source.get(id) ?? [];
  const record = source as Readonly<Record<string, readonly string[]>>;
  return (id) => (Object.hasOwn(record, id) ? (record[id] ?? []) : []);
}

/**
 * The critical path, first task to last, from each finished task's completion time (ms) and the
 * dependencies: start at the task that finished last, then repeatedly step to the dependency that
 * finished last (the one that made the task ready), until a task without finished dependencies.
 * Tasks absent from `completedAt` (never ran) are not on it. The path ends at the task listed last among
 * those that finished last (times are whole ms, so a quick task often ends in the same ms as the dependency
 * before it, and is listed after it); between dependencies, ties go to the one listed first.
 */
export function criticalPath(
  completedAt: ReadonlyMap<string, number>,
  dependencies: DependencySource,
): string[] {
  return criticalPathOf(completedAt, (id) => completedAt.get(id), dependencies);
}

/**
 * {@link criticalPath} over any source of completion times: `each` calls its callback with every finished
 * task's id and end (ms), `endOf` answers for one task (`undefined` when it never finished).
 */
export function criticalPathOf(
  each: { forEach(visit: (end: number, id: string) => void): void },
  endOf: (taskId: string) => number | undefined,
  dependencies: DependencySource,
): string[] {
  const depsOf = dependencyLookup(dependencies);
  let last: string | undefined;
  let lastEnd = Number.NEGATIVE_INFINITY;
  each.forEach((end, id) => {
    if (end >= lastEnd) {
      last = id;
      lastEnd = end;
    }
  });
  const path: string[] = [];
  const seen = new Set<string>();
  let current = last;
  while (current !== undefined && !seen.has(current)) {
    seen.add(current);
    path.push(current);
    let next: string | undefined;
    let nextEnd = Number.NEGATIVE_INFINITY;
    for (const dep of depsOf(current)) {
      const end = endOf(dep);
      if (end !== undefined && end > nextEnd) {
        next = dep;
        nextEnd = end;
      }
    }
    current = next;
  }
  return path.reverse();
}
