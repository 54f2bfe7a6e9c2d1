/**
 * `jorm run --dry-run`: the order tasks would start in and the parallel waves, without running anything.
 * @module
 */

import type { Dag } from '../../model/dag.js';
import { analyzeGraph } from '../../model/graph.js';
import { plural } from '../display/format.js';

/** The dry run as JSON. */
export interface DryRunJson {
  dagId: string;
  taskCount: number;
  /** Task ids in a valid start order. */
  order: string[];
  /** Wave k holds the tasks whose longest path from a root has k edges; a wave's tasks may run together. */
  waves: string[][];
  longestChain: number;
}

/** The dry run of `dag`. */
export function dryRun(dag: Dag): DryRunJson {
  const graph = analyzeGraph(dag);
  return {
    dagId: dag.id,
    taskCount: dag.size,
    order: graph.order,
    waves: graph.waves,
    longestChain: graph.longestChain,
  };
}

/** The dry run as text for people. */
export function renderDryRun(plan: DryRunJson): string {
  const lines = [
    `dag "${plan.dagId}": ${plural(plan.taskCount, 'task')} in ${plural(plan.waves.length, 'wave')}, longest chain ${plan.longestChain}`,
    '',
  ];
  for (const [k, wave] of plan.waves.entries()) lines.push(`wave ${k + 1}: ${wave.join(', ')}`);
  lines.push('', `order: ${plan.order.join(', ')}`, '', 'nothing was run (--dry-run)');
  return `${lines.join('\n')}\n`;
}
