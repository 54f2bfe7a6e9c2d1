/**
 * The variables jorm sets in every task's environment.
 * @module
 */

import type { TaskOutputs } from './context.js';
import { taskOutputValue, valueToText } from './interpolate.js';

/**
 * The largest `JORM_OUTPUT_<ID>` value exported, in bytes. Linux refuses to start a process with one
 * variable over 128 KiB (`E2BIG`), so a larger output is not exported; read it with `${task.<id>.output}`
 * or pass it through a file.
 */
export const MAX_OUTPUT_VARIABLE_BYTES = 100 * 1024;

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

/** The variables jorm sets for every task of an execution, whatever the task. */
export function executionVariables(dagId: string, executionId: string): Record<string, string> {
  return { JORM_DAG_ID: dagId, JORM_EXECUTION_ID: executionId };
}

/**
 * `JORM_DAG_ID`, `JORM_EXECUTION_ID`, `JORM_TASK_ID`, `JORM_ATTEMPT`, and one `JORM_OUTPUT_<ID>` per task of
 * `outputs` (the direct dependencies): its JSON output data (strings as they are), or else its trimmed
 * stdout, unless longer than {@link MAX_OUTPUT_VARIABLE_BYTES}.
 */
export function builtinVariables(
  identity: AttemptIdentity,
  outputs: Iterable<readonly [string, TaskOutputs]> = [],
): Record<string, string> {
  const vars: Record<string, string> = {
    ...executionVariables(identity.dagId, identity.executionId),
    JORM_TASK_ID: identity.taskId,
    JORM_ATTEMPT: String(identity.attempt),
  };
  for (const [id, result] of outputs) {
    const text = valueToText(taskOutputValue(result));
    if (
      text.length <= MAX_OUTPUT_VARIABLE_BYTES / 4 ||
      Buffer.byteLength(text) <= MAX_OUTPUT_VARIABLE_BYTES
    ) {
      vars[outputVariableName(id)] = text;
    }
  }
  return vars;
}

/** Whether `name` is a variable {@link builtinVariables} sets for a task with these direct dependencies. */
export function isBuiltinVariable(name: string, dependencies: readonly string[]): boolean {
  if (
    name === 'JORM_DAG_ID' ||
    name === 'JORM_EXECUTION_ID' ||
    name === 'JORM_TASK_ID' ||
    name === 'JORM_ATTEMPT'
  ) {
    return true;
  }
  return name.startsWith('JORM_OUTPUT_') && dependencies.some((d) => outputVariableName(d) === name);
}
