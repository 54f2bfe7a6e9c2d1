/**
 * Graph analysis of a {@link Dag}: unknown dependencies, cycles (with their whole path), topological order,
 * parallel waves and the longest chain. Everything here is O(tasks + edges).
 * @module
 */

import type { Dag } from './dag.js';

/** A dependency on a task that does not exist. */
export interface MissingDependency {
  taskId: string;
  dependency: string;
}

/** What {@link analyzeGraph} finds. */
export interface GraphAnalysis {
  /** Task ids in a topological order (declaration order among equals); partial when there are cycles. */
  order: string[];
  /** Each cycle found, as a path whose first id is repeated at the end (`a -> b -> a`). */
  cycles: string[][];
  missing: MissingDependency[];
  /** Number of dependency edges between existing tasks. */
  edges: number;
  /** For each task, the tasks that depend on it. */
  dependents: Map<string, string[]>;
  /** For each task, the length (in tasks) of the longest chain that starts at it, itself included. */
  remainingChain: Map<string, number>;
  /** The longest chain in tasks. */
  longestChain: number;
  /** Tasks grouped into waves: wave k holds the tasks whose longest path from a root has k edges. */
  waves: string[][];
}

/** Analyzes the dependency graph of a DAG. Never throws; callers decide what is an error. */
export function analyzeGraph(dag: Dag): GraphAnalysis {
  const tasks = dag.tasks;
  const index = new Map<string, number>();
  for (const [i, t] of tasks.entries()) index.set(t.id, i);
  const dependents = new Map<string, string[]>();
  for (const t of tasks) dependents.set(t.id, []);
  const missing: MissingDependency[] = [];
  const indegree = new Int32Array(tasks.length);
  let edges = 0;
  for (const [i, t] of tasks.entries()) {
    const seen = new Set<string>();
    for (const dep of t.dependsOn) {
      if (seen.has(dep)) continue;
      seen.add(dep);
      if (!index.has(dep)) {
        missing.push({ taskId: t.id, dependency: dep });
        continue;
      }
      dependents.get(dep)!.push(t.id);
      indegree[i]!++;
      edges++;
    }
  }

  // Kahn's algorithm, taking roots in declaration order.
  const order: string[] = [];
  const level = new Int32Array(tasks.length);
  const queue: number[] = [];
  for (let i = 0; i < tasks.length; i++) if (indegree[i] === 0) queue.push(i);
  for (let head = 0; head < queue.length; head++) {
    const i = queue[head]!;
    const id = tasks[i]!.id;
    order.push(id);
    for (const child of dependents.get(id)!) {
      const c = index.get(child)!;
      level[c] = Math.max(level[c]!, level[i]! + 1);
      if (--indegree[c]! === 0) queue.push(c);
    }
  }

  const cycles = order.length < tasks.length ? findCycles(dag, index, indegree) : [];

  const remainingChain = new Map<string, number>();
  for (let k = order.length - 1; k >= 0; k--) {
    const id = order[k]!;
    let best = 0;
    for (const child of dependents.get(id)!) best = Math.max(best, remainingChain.get(child) ?? 0);
    remainingChain.set(id, best + 1);
  }
  let longestChain = 0;
  for (const v of remainingChain.values()) longestChain = Math.max(longestChain, v);

  const waves: string[][] = [];
  for (const id of order) {
    const l = level[index.get(id)!]!;
    const wave = waves[l];
    if (wave) wave.push(id);
    else waves[l] = [id];
  }

  return { order, cycles, missing, edges, dependents, remainingChain, longestChain, waves };
}

/** Finds the cycles among the tasks Kahn's algorithm could not order, each as a closed path. */
function findCycles(dag: Dag, index: Map<string, number>, indegree: Int32Array): string[][] {
  const tasks = dag.tasks;
  const stuck = (id: string): boolean => {
    const i = index.get(id);
    return i !== undefined && indegree[i]! > 0;
  };
  const state = new Map<string, 'visiting' | 'done'>();
  const cycles: string[][] = [];
  for (const start of tasks) {
    if (!stuck(start.id) || state.has(start.id)) continue;
    // Iterative DFS along dependencies, reporting each back edge's cycle once.
    const path: string[] = [];
    const stack: { id: string; next: number }[] = [{ id: start.id, next: 0 }];
    state.set(start.id, 'visiting');
    path.push(start.id);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const deps = dag.getTask(frame.id)!.dependsOn;
      if (frame.next < deps.length) {
        const dep = deps[frame.next++]!;
        if (!stuck(dep)) continue;
        const s = state.get(dep);
        if (s === 'visiting') {
          const from = path.indexOf(dep);
          // Path follows "depends on" edges; show it in execution order (dependency first).
          const cycle = path.slice(from).reverse();
          cycles.push([...cycle, cycle[0]!]);
        } else if (s === undefined) {
          state.set(dep, 'visiting');
          path.push(dep);
          stack.push({ id: dep, next: 0 });
        }
      } else {
        state.set(frame.id, 'done');
        path.pop();
        stack.pop();
      }
    }
  }
  return cycles;
}

/** All tasks upstream of `taskId` (its dependencies, theirs, and so on), without itself. */
export function upstreamOf(dag: Dag, taskId: string): Set<string> {
  const seen = new Set<string>();
  const stack = [...(dag.getTask(taskId)?.dependsOn ?? [])];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const t = dag.getTask(id);
    if (t) stack.push(...t.dependsOn);
  }
  return seen;
}
