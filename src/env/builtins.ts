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

const NOT_NAME_CHARACTER = /[^A-Z0-9]/g;
/** Names already made, by task id: a task's name is asked for by every task that depends on it. */
const outputNames = new Map<string, string>();

/** `JORM_OUTPUT_<ID>`: the id upper-cased, every character other than a letter or digit turned into `_`. */
export function outputVariableName(taskId: string): string {
  let name = outputNames.get(taskId);
  if (name === undefined) {
    name = `JORM_OUTPUT_${taskId.toUpperCase().replace(NOT_NAME_CHARACTER, '_')}`;
    if (outputNames.size >= 10_000) outputNames.clear();
    outputNames.set(taskId, name);
  }
  return name;
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
  // A literal of the same shape as executionVariables' (not a spread of it): this runs for every attempt.
  const vars: Record<string, string> = {
    JORM_DAG_ID: identity.dagId,
    JORM_EXECUTION_ID: identity.executionId,
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
