/**
 * Graph-level validation of a {@link Dag}, for DAGs read from files and DAGs built in code alike:
 * dependencies on tasks that do not exist, and cycles (with their whole path).
 * @module
 */

import type { Dag } from '../model/dag.js';
import { type Diagnostic, didYouMean } from '../model/diagnostic.js';
import { analyzeGraph } from '../model/graph.js';

/** Every graph problem of a DAG, each located at the task (and key) where it is written when known. */
export function validateDag(dag: Dag): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const analysis = analyzeGraph(dag);
  for (const { taskId, dependency } of analysis.missing) {
    const task = dag.getTask(taskId);
    const location = task?.keyLocations['depends_on'] ?? task?.location;
    const guess = didYouMean(dependency, dag.taskIds);
    problems.push({
      code: 'unknown-dependency',
      message: `task "${taskId}" depends on "${dependency}", which is not a task of this DAG`,
      ...(guess ? { hint: `did you mean "${guess}"?` } : {}),
      ...(location ? { location } : {}),
      taskId,
    });
  }
  for (const cycle of analysis.cycles) {
    const first = dag.getTask(cycle[0]!);
    const location = first?.keyLocations['depends_on'] ?? first?.location;
    problems.push({
      code: 'cycle',
      message: `dependency cycle: ${cycle.join(' -> ')}`,
      ...(location ? { location } : {}),
      taskId: cycle[0]!,
    });
  }
  return problems;
}
