/**
 * {@link DagPlan}: a DAG compiled into flat arrays for the scheduler — tasks by index (declaration order),
 * each task's distinct dependencies and dependents (compressed rows), and its remaining chain length.
 * Built in O(tasks + edges), with few allocations; it also tells whether the graph has problems
 * (unknown dependencies, cycles), so a valid DAG needs no second graph analysis.
 * @module
 */

import type { Dag } from '../model/dag.js';
import type { Task } from '../model/task.js';

/** The scheduler's view of a DAG. Indices are declaration order. */
export interface DagPlan {
  tasks: Task[];
  /** Task index by id. */
  index: Map<string, number>;
  /** Distinct dependencies of task i are `dependencies[dependencyStart[i] … dependencyStart[i+1])`. */
  dependencyStart: Int32Array;
  dependencies: Int32Array;
  /** Dependents of task i are `dependents[dependentStart[i] … dependentStart[i+1])`. */
  dependentStart: Int32Array;
  dependents: Int32Array;
  /** Length of the longest chain starting at each task, itself included (0 for tasks on a cycle). */
  chain: Int32Array;
  /** Whether some dependency names no task of the DAG. */
  hasUnknownDependency: boolean;
  /** Whether some tasks are on (or behind) a cycle. */
  hasCycle: boolean;
}

/** Compiles a DAG. Unknown dependencies are left out of the arrays and flagged. */
export function planDag(dag: Dag): DagPlan {
  const tasks = dag.tasks;
  const n = tasks.length;
  const index = new Map<string, number>();
  for (let i = 0; i < n; i++) index.set(tasks[i]!.id, i);

  let edgeCount = 0;
  for (let i = 0; i < n; i++) edgeCount += tasks[i]!.dependsOn.length;
  const dependencyStart = new Int32Array(n + 1);
  let dependencies = new Int32Array(edgeCount);
  const outDegree = new Int32Array(n);
  const seenBy = new Int32Array(n).fill(-1);
  let hasUnknownDependency = false;
  let e = 0;
  for (let i = 0; i < n; i++) {
    dependencyStart[i] = e;
    for (const id of tasks[i]!.dependsOn) {
      const d = index.get(id);
      if (d === undefined) {
        hasUnknownDependency = true;
        continue;
      }
      if (seenBy[d] === i) continue;
      seenBy[d] = i;
      dependencies[e++] = d;
      outDegree[d]!++;
    }
  }
  dependencyStart[n] = e;
  if (e < edgeCount) dependencies = dependencies.slice(0, e);

  const dependentStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) dependentStart[i + 1] = dependentStart[i]! + outDegree[i]!;
  const dependents = new Int32Array(e);
  const fill = outDegree; // reused as the write cursor of each row
  for (let i = 0; i < n; i++) fill[i] = dependentStart[i]!;
  for (let i = 0; i < n; i++) {
    for (let k = dependencyStart[i]!; k < dependencyStart[i + 1]!; k++) {
      const d = dependencies[k]!;
      dependents[fill[d]!++] = i;
    }
  }

  // Topological order (Kahn), then remaining chains in reverse order.
  const order = new Int32Array(n);
  const pending = seenBy; // reused
  let tail = 0;
  for (let i = 0; i < n; i++) {
    pending[i] = dependencyStart[i + 1]! - dependencyStart[i]!;
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
    for (let j = dependentStart[t]!; j < dependentStart[t + 1]!; j++) {
      const c = chain[dependents[j]!]!;
      if (c > best) best = c;
    }
    chain[t] = best + 1;
  }
  return {
    tasks,
    index,
    dependencyStart,
    dependencies,
    dependentStart,
    dependents,
    chain,
    hasUnknownDependency,
    hasCycle: tail < n,
  };
}

/** Whether task `d` is a direct dependency of task `i`. */
export function isDirectDependency(plan: DagPlan, i: number, d: number): boolean {
  for (let k = plan.dependencyStart[i]!; k < plan.dependencyStart[i + 1]!; k++) {
    if (plan.dependencies[k] === d) return true;
  }
  return false;
}
