/**
 * A layered, left-to-right layout of a DAG for the dashboard: each task's column is its wave (the longest
 * path from a root, from {@link analyzeGraph}); rows inside a column are ordered by the barycenter
 * heuristic (a few sweeps each way) to reduce edge crossings. O((tasks + edges) · log tasks) per sweep.
 * @module
 */

import { Dag } from '../../model/dag.js';
import { analyzeGraph } from '../../model/graph.js';
import { Task } from '../../model/task.js';

/** A node of the graph as the layout needs it. */
export interface GraphNodeInput {
  id: string;
  dependsOn: readonly string[];
}

/**
 * One node's place: column (`layer`) and row (`row`; columns are centered against the tallest one when
 * it has at most 40 rows, top-aligned otherwise, so the roots of a huge graph are where a viewer starts).
 */
export interface NodePlacement {
  id: string;
  layer: number;
  row: number;
}

/** The layout of a whole graph. */
export interface GraphLayout {
  nodes: NodePlacement[];
  /** Dependency edges `[from, to]` (dependency first) between existing tasks. */
  edges: [string, string][];
  /** Number of columns. */
  layers: number;
  /** Number of rows of the tallest column. */
  rows: number;
}

/** Barycenter sweeps in each direction. @defaultValue 2 */
const SWEEPS = 2;
/** Columns are centered against the tallest one up to this many rows; taller graphs are top-aligned. */
const CENTER_LIMIT = 40;

/** Lays out a graph. Tasks on a cycle (invalid DAGs) go into one extra last column. */
export function layoutGraph(nodes: readonly GraphNodeInput[]): GraphLayout {
  const dag = new Dag('layout');
  for (const n of nodes) {
    if (dag.hasTask(n.id)) continue;
    const task = new Task(n.id, n.id, 'custom', { kind: 'custom', values: {} });
    for (const dep of n.dependsOn) task.addDependency(dep);
    dag.addTask(task);
  }
  const analysis = analyzeGraph(dag);
  const columns: string[][] = analysis.waves.map((w) => [...w]);
  const placed = new Set(analysis.order);
  const rest = dag.taskIds.filter((id) => !placed.has(id));
  if (rest.length > 0) columns.push(rest);

  const layerOf = new Map<string, number>();
  for (const [layer, ids] of columns.entries()) for (const id of ids) layerOf.set(id, layer);
  const edges: [string, string][] = [];
  const parents = new Map<string, string[]>();
  const children = new Map<string, string[]>();
  for (const id of dag.taskIds) {
    parents.set(id, []);
    children.set(id, []);
  }
  for (const task of dag.tasks) {
    for (const dep of new Set(task.dependsOn)) {
      if (!dag.hasTask(dep)) continue;
      edges.push([dep, task.id]);
      parents.get(task.id)!.push(dep);
      children.get(dep)!.push(task.id);
    }
  }

  let rows = 0;
  for (const c of columns) rows = Math.max(rows, c.length);
  const center = rows <= CENTER_LIMIT;
  const position = new Map<string, number>();
  const place = (column: string[]): void => {
    const offset = center ? (rows - column.length) / 2 : 0;
    for (const [i, id] of column.entries()) position.set(id, i + offset);
  };
  for (const column of columns) place(column);

  const reorder = (column: string[], neighbours: Map<string, string[]>): void => {
    const keyed = column.map((id, i) => {
      const ns = neighbours.get(id)!;
      let sum = 0;
      let count = 0;
      for (const n of ns) {
        const p = position.get(n);
        if (p !== undefined) {
          sum += p;
          count++;
        }
      }
      return { id, key: count > 0 ? sum / count : position.get(id)!, i };
    });
    keyed.sort((a, b) => a.key - b.key || a.i - b.i);
    for (const [i, k] of keyed.entries()) column[i] = k.id;
    place(column);
  };
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    for (let l = 1; l < columns.length; l++) reorder(columns[l]!, parents);
    for (let l = columns.length - 2; l >= 0; l--) reorder(columns[l]!, children);
  }

  const placements: NodePlacement[] = [];
  for (const [layer, column] of columns.entries()) {
    const offset = center ? Math.floor((rows - column.length) / 2) : 0;
    for (const [i, id] of column.entries()) placements.push({ id, layer, row: i + offset });
  }
  return { nodes: placements, edges, layers: columns.length, rows };
}
