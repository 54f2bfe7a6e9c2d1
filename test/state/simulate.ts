/**
 * Test helper: DAGs of shell tasks and an event source that plays an execution the way the engine
 * reports one (ready, started, output, retrying, finished; one flush per task turn).
 */

import type { ExecutionEvent } from '../../src/engine/events.js';
import { Dag } from '../../src/model/dag.js';
import { newExecutionId } from '../../src/model/ids.js';
import {
  type ExecutionResult,
  type ExecutionStatus,
  emptyMetrics,
  type TaskResult,
  type TaskStatus,
} from '../../src/model/result.js';
import { Task } from '../../src/model/task.js';

/** A DAG of `sh` tasks: `spec` maps each id to its dependencies. */
export function shellDag(id: string, spec: Record<string, string[]>): Dag {
  const dag = new Dag(id);
  for (const [taskId, deps] of Object.entries(spec)) {
    const task = new Task(taskId, undefined, 'shell', { kind: 'shell', command: `echo ${taskId}` });
    for (const d of deps) task.addDependency(d);
    dag.addTask(task);
  }
  return dag;
}

/** How one task behaves in a simulated run. */
export interface SimTask {
  /** Failed attempts before the last one. @defaultValue 0 */
  failures?: number;
  /** The status of the last attempt. @defaultValue 'success' */
  final?: TaskStatus;
  stdout?: string;
  stderr?: string;
  outputData?: unknown;
}

/** Options of {@link playExecution}. */
export interface PlayOptions {
  executionId?: string;
  resumed?: boolean;
  /** Tasks whose results are kept (resume): not run. */
  keep?: Set<string>;
  /** Stop (as if killed) after this many tasks were finished; no execution_finished. */
  stopAfter?: number;
  /** Start time of the run. @defaultValue now */
  start?: number;
}

/** A task result. */
export function taskResult(taskId: string, status: TaskStatus, extra: Partial<TaskResult> = {}): TaskResult {
  const at = extra.startedAt ?? new Date();
  return {
    taskId,
    status,
    startedAt: at,
    completedAt: extra.completedAt ?? new Date(at.getTime() + 5),
    duration: 5,
    stdout: '',
    stderr: '',
    exitCode: status === 'success' ? 0 : status === 'skipped' ? null : 1,
    retryCount: 0,
    metadata: {},
    ...(status === 'success' || status === 'pending' ? {} : { errorMessage: `${taskId} ${status}` }),
    ...extra,
  };
}

/** Plays an execution of `dag` into `observer` in declaration order, one flush per task. */
export function playExecution(
  observer: { onEvent(e: ExecutionEvent): void; flush(): void },
  dag: Dag,
  behaviour: Record<string, SimTask> = {},
  options: PlayOptions = {},
): ExecutionResult {
  const executionId = options.executionId ?? newExecutionId();
  let clock = options.start ?? Date.now();
  const tick = (): Date => new Date(clock++);
  const emit = (e: ExecutionEvent): void => observer.onEvent(e);
  const startedAt = tick();
  emit({
    type: 'execution_started',
    executionId,
    dagId: dag.id,
    taskCount: dag.size,
    timestamp: startedAt,
    resumed: options.resumed ?? false,
  });
  observer.flush();
  const results: Record<string, TaskResult> = {};
  let finished = 0;
  for (const task of dag.tasks) {
    if (options.stopAfter !== undefined && finished >= options.stopAfter)
      return unfinished(dag, executionId, startedAt, results);
    const id = task.id;
    if (options.keep?.has(id)) {
      results[id] = taskResult(id, 'success');
      continue;
    }
    const failedDep = task.dependsOn.find((d) => results[d]?.status !== 'success');
    if (failedDep !== undefined) {
      const at = tick();
      results[id] = taskResult(id, 'skipped', {
        startedAt: at,
        completedAt: at,
        duration: 0,
        errorMessage: `upstream task "${failedDep}" did not succeed`,
      });
      emit({ type: 'task_finished', executionId, taskId: id, attempt: 0, result: results[id]! });
      observer.flush();
      finished++;
      continue;
    }
    const b = behaviour[id] ?? {};
    emit({ type: 'task_ready', executionId, taskId: id, timestamp: tick() });
    const failures = b.failures ?? 0;
    for (let attempt = 1; attempt <= failures + 1; attempt++) {
      const startAt = tick();
      emit({ type: 'task_started', executionId, taskId: id, attempt, timestamp: startAt });
      observer.flush();
      const last = attempt === failures + 1;
      const status: TaskStatus = last ? (b.final ?? 'success') : 'failed';
      const stdout = b.stdout ?? `${id} attempt ${attempt}\n`;
      emit({ type: 'task_output', executionId, taskId: id, attempt, stream: 'stdout', chunk: stdout });
      if (b.stderr)
        emit({ type: 'task_output', executionId, taskId: id, attempt, stream: 'stderr', chunk: b.stderr });
      const result = taskResult(id, status, {
        startedAt: startAt,
        completedAt: tick(),
        stdout,
        stderr: b.stderr ?? '',
        retryCount: attempt - 1,
        ...(status === 'success' && b.outputData !== undefined ? { outputData: b.outputData } : {}),
      });
      if (last) {
        results[id] = result;
        emit({ type: 'task_finished', executionId, taskId: id, attempt, result });
      } else {
        emit({
          type: 'task_retrying',
          executionId,
          taskId: id,
          attempt,
          delay: 10,
          result,
          timestamp: tick(),
        });
      }
      observer.flush();
    }
    finished++;
  }
  const statuses = Object.values(results).map((r) => r.status);
  const status: ExecutionStatus = statuses.every((s) => s === 'success') ? 'success' : 'failed';
  const result: ExecutionResult = {
    dagId: dag.id,
    executionId,
    status,
    startedAt,
    completedAt: tick(),
    totalDuration: clock - startedAt.getTime(),
    taskResults: results,
    metrics: emptyMetrics(),
  };
  emit({ type: 'execution_finished', executionId, result });
  observer.flush();
  return result;
}

function unfinished(
  dag: Dag,
  executionId: string,
  startedAt: Date,
  results: Record<string, TaskResult>,
): ExecutionResult {
  return {
    dagId: dag.id,
    executionId,
    status: 'running',
    startedAt,
    taskResults: results,
    metrics: emptyMetrics(),
  };
}
