/**
 * {@link planResume}: what resuming an execution keeps and re-runs, checked against the stored run
 * (same DAG, unchanged definition, not running elsewhere).
 * @module
 */

import type { ResumeState } from '../engine/run-options.js';
import type { Dag } from '../model/dag.js';
import { RecoveryError } from '../model/errors.js';
import type { TaskResult } from '../model/result.js';
import { dagHash } from './dag-hash.js';
import type { StateManager } from './state-manager.js';
import type { ExecutionOwner, ExecutionState, TaskAttemptRecord } from './types.js';

/** Bytes of a kept task's stdout/stderr given back to downstream tasks (as the engine keeps in memory). */
const RESUMED_OUTPUT_BYTES = 1024 * 1024;

/** Options of {@link planResume}. */
export interface ResumePlanOptions {
  /** Resume even when the DAG changed since the run (or the run still looks alive). @defaultValue false */
  force?: boolean;
  /**
   * Values of the run's secret parameters, which were stored by name only (`ExecutionState.secretParams`):
   * each must be given again. Other parameters are the run's own and cannot be changed.
   */
  params?: Record<string, string>;
}

/** What a resume keeps and re-runs. */
export interface ResumePlan {
  executionId: string;
  /** The engine's resume input: kept results and attempts made so far. */
  resume: ResumeState;
  /** Parameters of the original run. */
  params: Record<string, string>;
  dagFile?: string;
  /** Tasks whose successful result is kept. */
  kept: string[];
  /** Tasks that run again (or for the first time). */
  rerun: string[];
  /** The stored status before resuming. */
  previousStatus: ExecutionState['status'];
  /** Whether the stored run was interrupted (its owner is gone). */
  interrupted: boolean;
  /** The owner recorded when the resume was planned: claiming the execution checks it is unchanged. */
  owner?: ExecutionOwner;
  /** The directory the tasks ran in, where the resumed ones run too. */
  workingDirectory?: string;
}

/**
 * Plans the resume of an execution (given by id or unique prefix) with `dag`.
 * @throws RecoveryError when the execution is unknown, succeeded already, still runs, belongs to another
 * DAG, or its DAG changed (the last two unless `force`).
 */
export function planResume(
  manager: StateManager,
  idOrPrefix: string,
  dag: Dag,
  options: ResumePlanOptions = {},
): ResumePlan {
  const executionId = manager.resolveExecutionId(idOrPrefix);
  const state = manager.loadExecutionState(executionId);
  const summary = manager.getExecution(executionId);
  if (!state || !summary) throw new RecoveryError(`no execution with id "${idOrPrefix}"`, idOrPrefix);
  const force = options.force ?? false;
  const interrupted = manager.isInterrupted(summary);
  if (state.status === 'success') {
    throw new RecoveryError(`execution ${executionId} already succeeded: nothing to resume`, executionId);
  }
  if (state.status === 'running' && !interrupted && !force) {
    const owner = state.owner ? ` by pid ${state.owner.pid} on ${state.owner.host}` : '';
    throw new RecoveryError(
      `execution ${executionId} is still running${owner}; wait for it, cancel it, or pass --force if that process is stuck`,
      executionId,
    );
  }
  if (state.dagId !== dag.id && !force) {
    throw new RecoveryError(
      `execution ${executionId} ran DAG "${state.dagId}", not "${dag.id}"; pass the DAG it ran, or --force`,
      executionId,
    );
  }
  if (state.dagHash !== undefined && state.dagHash !== dagHash(dag) && !force) {
    const file = state.dagFile ? ` (${state.dagFile})` : '';
    throw new RecoveryError(
      `the definition of DAG "${dag.id}"${file} changed since execution ${executionId} ran; resuming would mix results of two different DAGs. Start a new run with jorm run, or pass --force to resume anyway`,
      executionId,
    );
  }
  const params = resumedParams(executionId, state, options.params ?? {});
  const completed: Record<string, TaskResult> = {};
  const attempts: Record<string, number> = {};
  const kept: string[] = [];
  const rerun: string[] = [];
  for (const task of dag.tasks) {
    const stored = state.taskStates[task.id];
    if (stored && stored.attempts > 0) attempts[task.id] = stored.attempts;
    if (stored?.status === 'success' && stored.latest) {
      completed[task.id] = keptResult(manager, executionId, stored.latest, stored.attempts);
      kept.push(task.id);
    } else {
      rerun.push(task.id);
    }
  }
  const plan: ResumePlan = {
    executionId,
    resume: { completed, attempts },
    params,
    kept,
    rerun,
    previousStatus: state.status,
    interrupted,
  };
  if (state.dagFile !== undefined) plan.dagFile = state.dagFile;
  if (state.owner !== undefined) plan.owner = state.owner;
  if (state.workingDirectory !== undefined) plan.workingDirectory = state.workingDirectory;
  return plan;
}

/**
 * The parameters of a resumed run: the stored ones, and the secret ones (stored by name only) from
 * `given`.
 * @throws RecoveryError when a secret parameter is not given, or a given one is not a secret parameter
 * of the run.
 */
function resumedParams(
  executionId: string,
  state: ExecutionState,
  given: Readonly<Record<string, string>>,
): Record<string, string> {
  const secret = state.secretParams ?? [];
  for (const name in given) {
    if (!secret.includes(name)) {
      throw new RecoveryError(
        `--param ${name}: a resumed run keeps the parameters it ran with; only its secret ones (${secret.length > 0 ? secret.join(', ') : 'none'}) are given again`,
        executionId,
      );
    }
  }
  const missing = secret.filter((name) => given[name] === undefined);
  if (missing.length > 0) {
    const how = missing.map((name) => `--param ${name}=VALUE`).join(' ');
    throw new RecoveryError(
      `execution ${executionId} ran with secret parameters, which were not stored: give them again (${how})`,
      executionId,
    );
  }
  return { ...(state.params ?? {}), ...given };
}

/** The result of a kept task, with its output read back from the log files (else the stored tail). */
function keptResult(
  manager: StateManager,
  executionId: string,
  a: TaskAttemptRecord,
  attempts: number,
): TaskResult {
  const read = (stream: 'stdout' | 'stderr') =>
    manager.readLog(executionId, a.taskId, a.attempt, stream, { offset: -RESUMED_OUTPUT_BYTES }).text;
  const startedAt = a.startedAt ?? a.completedAt ?? new Date(0);
  const completedAt = a.completedAt ?? startedAt;
  const result: TaskResult = {
    taskId: a.taskId,
    status: 'success',
    startedAt,
    completedAt,
    duration: a.duration ?? completedAt.getTime() - startedAt.getTime(),
    stdout: read('stdout'),
    stderr: read('stderr'),
    exitCode: a.exitCode,
    retryCount: Math.max(0, attempts - 1),
    metadata: { ...a.metadata, resumed: 'true' },
  };
  if (a.outputData !== undefined) result.outputData = a.outputData;
  return result;
}
