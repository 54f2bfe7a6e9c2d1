/**
 * The variables jorm sets in every task's environment.
 * @module
 */

import type { TaskOutputs } from './context.js';
import { taskOutputValue, valueToText } from './interpolate.js';

/** `JORM_OUTPUT_<ID>`: the id upper-cased, every character other than a letter or digit turned into `_`. */
export function outputVariableName(taskId: string): string {
  return `JORM_OUTPUT_${taskId.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** What identifies one attempt, for {@link builtinVariables}. */
export interface AttemptIdentity {
  dagId: string;
  executionId: string;
  taskId: string;
  /** 1 for the first attempt. */
  attempt: number;
}

/**
 * `JORM_DAG_ID`, `JORM_EXECUTION_ID`, `JORM_TASK_ID`, `JORM_ATTEMPT`, and one `JORM_OUTPUT_<ID>` per upstream
 * task: its JSON output data (strings as they are), or else its trimmed stdout.
 */
export function builtinVariables(
  identity: AttemptIdentity,
  upstream: Readonly<Record<string, TaskOutputs>> = {},
): Record<string, string> {
  const vars: Record<string, string> = {
    JORM_DAG_ID: identity.dagId,
    JORM_EXECUTION_ID: identity.executionId,
    JORM_TASK_ID: identity.taskId,
    JORM_ATTEMPT: String(identity.attempt),
  };
  for (const [id, outputs] of Object.entries(upstream)) {
    vars[outputVariableName(id)] = valueToText(taskOutputValue(outputs));
  }
  return vars;
}

/** The names {@link builtinVariables} sets for a task with these upstream tasks. */
export function builtinVariableNames(upstream: Iterable<string>): string[] {
  const names = ['JORM_DAG_ID', 'JORM_EXECUTION_ID', 'JORM_TASK_ID', 'JORM_ATTEMPT'];
  for (const id of upstream) names.push(outputVariableName(id));
  return names;
}
