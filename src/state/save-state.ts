/**
 * Writing a whole {@link ExecutionState} at once (the reference's `save_execution_state`).
 * @module
 */

import { paramsJson } from './recorder-start.js';
import { jsonOf, msOf } from './rows.js';
import { TAIL_BYTES, tailOf } from './tail.js';
import type { ExecutionState } from './types.js';
import type { StateWrites } from './writes.js';

/** Writes an execution, its tasks and their latest attempts. Run inside a write transaction. */
export function writeExecutionState(writes: StateWrites, state: ExecutionState): void {
  const tasks = Object.values(state.taskStates);
  writes.upsertExecution({
    id: state.executionId,
    dagId: state.dagId,
    dagFile: state.dagFile ?? null,
    dagHash: state.dagHash ?? null,
    status: state.status,
    startedAt: state.startedAt.getTime(),
    completedAt: msOf(state.completedAt),
    totalTasks: tasks.length,
    ownerHost: state.owner?.host ?? null,
    ownerPid: state.owner?.pid ?? null,
    ownerStartedAt: msOf(state.owner?.startedAt),
    heartbeatAt: msOf(state.heartbeatAt),
    params: paramsJson(state.params, state.secretParams),
    workingDir: state.workingDirectory ?? null,
  });
  for (const [position, task] of tasks.entries()) {
    const latest = task.latest;
    writes.upsertTask({
      executionId: state.executionId,
      taskId: task.taskId,
      position,
      taskType: task.taskType ?? null,
      dependsOn: jsonOf(task.dependsOn),
      status: task.status,
      attempts: task.attempts,
      readyAt: msOf(task.readyAt ?? latest?.readyAt),
      completedAt: msOf(task.completedAt ?? latest?.completedAt),
      errorMessage: task.errorMessage ?? latest?.errorMessage ?? null,
    });
    if (!latest) continue;
    writes.upsertAttempt({
      executionId: state.executionId,
      taskId: task.taskId,
      attempt: latest.attempt,
      retryNumber: Math.max(0, latest.attempt - 1),
      status: latest.status,
      readyAt: msOf(latest.readyAt),
      startedAt: msOf(latest.startedAt),
      completedAt: msOf(latest.completedAt),
      duration: latest.duration ?? null,
      exitCode: latest.exitCode,
      errorMessage: latest.errorMessage ?? null,
      stdoutTail: tailOf(latest.stdoutTail, TAIL_BYTES),
      stderrTail: tailOf(latest.stderrTail, TAIL_BYTES),
      outputData: jsonOf(latest.outputData),
      metadata: jsonOf(latest.metadata),
    });
  }
}
