/**
 * The JSON the dashboard shows for one execution: its summary, every task with its attempts (for the
 * table and the Gantt chart), the graph layout and the critical path.
 * @module
 */

import { criticalPath } from '../../metrics/critical-path.js';
import type { TaskStatus } from '../../model/result.js';
import type { ExecutionState, TaskAttemptRecord, TaskState } from '../../state/types.js';
import type { GraphLayout } from './graph-layout.js';
import { layoutGraph } from './graph-layout.js';

/** One attempt as the client gets it. */
export interface AttemptView {
  attempt: number;
  status: TaskStatus;
  readyAt?: Date;
  startedAt?: Date;
  completedAt?: Date;
  /** ms. */
  duration?: number;
  exitCode: number | null;
  errorMessage?: string;
  metadata: Record<string, string>;
}

/** One task as the client gets it. */
export interface TaskView {
  id: string;
  type?: string;
  status: TaskStatus;
  attempts: number;
  dependsOn: string[];
  readyAt?: Date;
  startedAt?: Date;
  completedAt?: Date;
  /** Run time of the latest attempt, ms. */
  duration?: number;
  exitCode: number | null;
  errorMessage?: string;
  attemptList: AttemptView[];
}

/** The execution's own fields. */
export interface ExecutionInfo {
  executionId: string;
  dagId: string;
  status: ExecutionState['status'];
  startedAt: Date;
  completedAt?: Date;
  /** ms, when finished. */
  duration?: number;
  dagFile?: string;
  /** The DAG file relative to the served directory, when it is inside it. */
  dagPath?: string;
  params?: Record<string, string>;
  /** Parameters whose value is a secret: their names only. */
  secretParams?: string[];
  owner?: ExecutionState['owner'];
  heartbeatAt?: Date;
  totalTasks: number;
  taskCounts: Partial<Record<TaskStatus, number>>;
}

/** Everything the execution page needs. */
export interface ExecutionView {
  execution: ExecutionInfo;
  tasks: TaskView[];
  graph: GraphLayout;
  criticalPath: string[];
}

function attemptView(a: TaskAttemptRecord): AttemptView {
  return {
    attempt: a.attempt,
    status: a.status,
    ...(a.readyAt ? { readyAt: a.readyAt } : {}),
    ...(a.startedAt ? { startedAt: a.startedAt } : {}),
    ...(a.completedAt ? { completedAt: a.completedAt } : {}),
    ...(a.duration !== undefined ? { duration: a.duration } : {}),
    exitCode: a.exitCode,
    ...(a.errorMessage ? { errorMessage: a.errorMessage } : {}),
    metadata: a.metadata,
  };
}

function taskView(state: TaskState, attempts: TaskAttemptRecord[]): TaskView {
  const latest = attempts[attempts.length - 1] ?? state.latest;
  const readyAt = state.readyAt ?? attempts[0]?.readyAt;
  const completedAt = state.completedAt ?? latest?.completedAt;
  const errorMessage = state.errorMessage ?? latest?.errorMessage;
  return {
    id: state.taskId,
    ...(state.taskType ? { type: state.taskType } : {}),
    status: state.status,
    attempts: Math.max(state.attempts, attempts.length),
    dependsOn: state.dependsOn ?? [],
    ...(readyAt ? { readyAt } : {}),
    ...(latest?.startedAt ? { startedAt: latest.startedAt } : {}),
    ...(completedAt ? { completedAt } : {}),
    ...(latest?.duration !== undefined ? { duration: latest.duration } : {}),
    exitCode: latest?.exitCode ?? null,
    ...(errorMessage ? { errorMessage } : {}),
    attemptList: attempts.map(attemptView),
  };
}

/** Builds the task views of an execution from its state and all its attempts. */
export function buildTaskViews(state: ExecutionState, attempts: readonly TaskAttemptRecord[]): TaskView[] {
  const byTask = new Map<string, TaskAttemptRecord[]>();
  for (const a of attempts) {
    const list = byTask.get(a.taskId);
    if (list) list.push(a);
    else byTask.set(a.taskId, [a]);
  }
  for (const list of byTask.values()) list.sort((x, y) => x.attempt - y.attempt);
  return Object.values(state.taskStates).map((t) => taskView(t, byTask.get(t.taskId) ?? []));
}

/** Counts tasks per status. */
export function countStatuses(tasks: readonly { status: TaskStatus }[]): Partial<Record<TaskStatus, number>> {
  const counts: Partial<Record<TaskStatus, number>> = {};
  for (const t of tasks) counts[t.status] = (counts[t.status] ?? 0) + 1;
  return counts;
}

/** The critical path of the tasks recorded so far (see `criticalPath` in the metrics). */
export function criticalPathOfTasks(tasks: readonly TaskView[]): string[] {
  const completed = new Map<string, number>();
  const deps = new Map<string, readonly string[]>();
  for (const t of tasks) {
    deps.set(t.id, t.dependsOn);
    if (t.completedAt && t.startedAt) completed.set(t.id, t.completedAt.getTime());
  }
  return criticalPath(completed, deps);
}

/** Builds the whole view; `layout` is reused when given (dependencies never change within an execution). */
export function buildExecutionView(
  state: ExecutionState,
  attempts: readonly TaskAttemptRecord[],
  dagPath: string | undefined,
  layout?: GraphLayout,
): ExecutionView {
  const tasks = buildTaskViews(state, attempts);
  return {
    execution: executionInfo(state, tasks, dagPath),
    tasks,
    graph: layout ?? layoutGraph(tasks),
    criticalPath: criticalPathOfTasks(tasks),
  };
}

/** The execution's own fields, with counts from its tasks. */
export function executionInfo(
  state: ExecutionState,
  tasks: readonly TaskView[],
  dagPath: string | undefined,
): ExecutionInfo {
  const duration =
    state.completedAt !== undefined ? state.completedAt.getTime() - state.startedAt.getTime() : undefined;
  return {
    executionId: state.executionId,
    dagId: state.dagId,
    status: state.status,
    startedAt: state.startedAt,
    ...(state.completedAt ? { completedAt: state.completedAt } : {}),
    ...(duration !== undefined ? { duration } : {}),
    ...(state.dagFile ? { dagFile: state.dagFile } : {}),
    ...(dagPath ? { dagPath } : {}),
    ...(state.params ? { params: state.params } : {}),
    ...(state.secretParams ? { secretParams: state.secretParams } : {}),
    ...(state.owner ? { owner: state.owner } : {}),
    ...(state.heartbeatAt ? { heartbeatAt: state.heartbeatAt } : {}),
    totalTasks: tasks.length,
    taskCounts: countStatuses(tasks),
  };
}
