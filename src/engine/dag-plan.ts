/**
 * {@link DagPlan}: a validated DAG compiled into flat arrays for the scheduler — tasks by index
 * (declaration order), each task's dependents, its dependency count and its remaining chain length.
 * Built in O(tasks + edges).
 * @module
 */

import type { Dag } from '../model/dag.js';
import type { Task } from '../model/task.js';

/** The scheduler's view of a DAG. Indices are declaration order. */
export interface DagPlan {
  tasks: Task[];
  /** Task index by id. */
  index: Map<string, number>;
  /** Dependents of task i are `dependents[dependentStart[i] … dependentStart[i+1])`. */
  dependentStart: Int32Array;
  dependents: Int32Array;
  /** Distinct dependencies of each task. */
  dependencies: Int32Array[];
  /** Length of the longest chain starting at each task, itself included. */
  chain: Int32Array;
}

const NO_DEPS = new Int32Array(0);

/** Compiles a DAG that passed validation (no unknown dependencies, no cycles). */
export function planDag(dag: Dag): DagPlan {
  const tasks = dag.tasks;
  const n = tasks.length;
  const index = new Map<string, number>();
  for (let i = 0; i < n; i++) index.set(tasks[i]!.id, i);

  const dependencies: Int32Array[] = new Array(n);
  const outDegree = new Int32Array(n);
  const seenBy = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const ids = tasks[i]!.dependsOn;
    if (ids.length === 0) {
      dependencies[i] = NO_DEPS;
      continue;
    }
    const deps: number[] = [];
    for (const id of ids) {
      const d = index.get(id);
      if (d === undefined || seenBy[d] === i) continue;
      seenBy[d] = i;
      deps.push(d);
      outDegree[d]!++;
    }
    dependencies[i] = Int32Array.from(deps);
  }

  const dependentStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) dependentStart[i + 1] = dependentStart[i]! + outDegree[i]!;
  const dependents = new Int32Array(dependentStart[n]!);
  const fill = dependentStart.slice(0, n);
  for (let i = 0; i < n; i++) {
    for (const d of dependencies[i]!) dependents[fill[d]!++] = i;
  }

  // Remaining chain: process tasks in reverse topological order (Kahn on dependents).
  const order = new Int32Array(n);
  const pending = new Int32Array(n);
  let tail = 0;
  for (let i = 0; i < n; i++) {
    pending[i] = dependencies[i]!.length;
    if (pending[i] === 0) order[tail++] = i;
  }
  for (let head = 0; head < tail; head++) {
    const t = order[head]!;
    for (let k = dependentStart[t]!; k < dependentStart[t + 1]!; k++) {
      const c = dependents[k]!;
      if (--pending[c]! === 0) order[tail++] = c;
    }
  }
  const chain = new Int32Array(n);
  for (let k = tail - 1; k >= 0; k--) {
    const t = order[k]!;
    let best = 0;
    for (let j = dependentStart[t]!; j < dependentStart[t + 1]!; j++) best = Math.max(best, chain[dependents[j]!]!);
    chain[t] = best + 1;
  }
  return { tasks, index, dependentStart, dependents, dependencies, chain };
}
