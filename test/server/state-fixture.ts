/**
 * Test fixtures for the dashboard: real state databases written through the state store's own
 * `StateRecorder`, from the same events the engine emits.
 */

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Dag } from '../../src/model/dag.js';
import { newExecutionId } from '../../src/model/ids.js';
import { emptyMetrics, type TaskResult, type TaskStatus } from '../../src/model/result.js';
import { Task } from '../../src/model/task.js';
import { writeExecutionState } from '../../src/state/save-state.js';
import { StateManager } from '../../src/state/state-manager.js';
import { StateRecorder } from '../../src/state/state-recorder.js';

/** A temporary folder with a state database in it; `cleanup` removes both. */
export interface TempState {
  dir: string;
  dbPath: string;
  databaseUrl: string;
  manager: StateManager;
  cleanup(): Promise<void>;
}

/** Makes a temporary folder with an empty state database. */
export async function tempState(): Promise<TempState> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'jorm-serve-test-'));
  const dbPath = path.join(dir, '.jorm', 'state.db');
  const databaseUrl = `sqlite:${dbPath}`;
  const manager = StateManager.open({ databaseUrl });
  return {
    dir,
    dbPath,
    databaseUrl,
    manager,
    async cleanup() {
      manager.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A DAG of shell tasks from `{ id: [deps] }`. */
export function dagOf(id: string, deps: Record<string, string[]>): Dag {
  const dag = new Dag(id);
  for (const [taskId, dependsOn] of Object.entries(deps)) {
    const task = Task.shell(taskId, `echo ${taskId}`);
    for (const d of dependsOn) task.addDependency(d);
    dag.addTask(task);
  }
  return dag;
}

function result(
  taskId: string,
  status: TaskStatus,
  start: number,
  end: number,
  extra: Partial<TaskResult> = {},
): TaskResult {
  return {
    taskId,
    status,
    startedAt: new Date(start),
    completedAt: new Date(end),
    duration: end - start,
    stdout: '',
    stderr: '',
    exitCode: status === 'success' ? 0 : 1,
    retryCount: 0,
    metadata: {},
    ...extra,
  };
}

/** What one task did in a recorded execution. */
export interface TaskScript {
  /** Final status; `running` leaves it running, `pending` never starts it. */
  status: TaskStatus;
  /** Attempts that failed before the last one. @defaultValue 0 */
  failedAttempts?: number;
  stdout?: string;
  stderr?: string;
  /** ms the task waited for a slot. @defaultValue 5 */
  wait?: number;
  /** ms each attempt ran. @defaultValue 20 */
  run?: number;
}

/**
 * Records an execution of `dag` in which each task does what `script` says (tasks not named succeed).
 * Tasks run one after another in declaration order, on a fake clock starting at `start`.
 * @returns the execution id.
 */
export function recordExecution(
  manager: StateManager,
  dag: Dag,
  script: Record<string, TaskScript> = {},
  options: { start?: number; dagFile?: string; params?: Record<string, string>; finish?: boolean } = {},
): string {
  const executionId = newExecutionId();
  const recorder = new StateRecorder(manager, {
    dag,
    ...(options.dagFile ? { dagFile: options.dagFile } : {}),
    ...(options.params ? { params: options.params } : {}),
  });
  let t = options.start ?? Date.now() - 60_000;
  const at = (): Date => new Date(t);
  recorder.onEvent({
    type: 'execution_started',
    executionId,
    dagId: dag.id,
    taskCount: dag.size,
    timestamp: at(),
    resumed: false,
  });
  const results: Record<string, TaskResult> = {};
  let anyFailed = false;
  let running = false;
  for (const task of dag.tasks) {
    const s: TaskScript = script[task.id] ?? { status: 'success' };
    if (s.status === 'pending') continue;
    if (s.status === 'skipped' || (s.status === 'cancelled' && s.run === 0)) {
      const r = result(task.id, s.status, t, t, { exitCode: null, errorMessage: `${s.status} by the test` });
      results[task.id] = r;
      recorder.onEvent({ type: 'task_finished', executionId, taskId: task.id, attempt: 0, result: r });
      continue;
    }
    recorder.onEvent({ type: 'task_ready', executionId, taskId: task.id, timestamp: at() });
    t += s.wait ?? 5;
    const attempts = (s.failedAttempts ?? 0) + 1;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      recorder.onEvent({ type: 'task_started', executionId, taskId: task.id, attempt, timestamp: at() });
      const start = t;
      const chunk = (stream: 'stdout' | 'stderr', text: string | undefined): void => {
        if (text)
          recorder.onEvent({
            type: 'task_output',
            executionId,
            taskId: task.id,
            attempt,
            stream,
            chunk: text,
          });
      };
      const out = s.stdout ? `${s.stdout}${attempts > 1 ? ` (attempt ${attempt})` : ''}\n` : '';
      const err = s.stderr ? `${s.stderr}\n` : '';
      chunk('stdout', out);
      chunk('stderr', err);
      if (s.status === 'running' && attempt === attempts) {
        running = true;
        break;
      }
      t += s.run ?? 20;
      if (attempt < attempts) {
        const r = result(task.id, 'failed', start, t, {
          errorMessage: 'exit code 1',
          stdout: out,
          stderr: err,
        });
        recorder.onEvent({
          type: 'task_retrying',
          executionId,
          taskId: task.id,
          attempt,
          delay: 10,
          result: r,
          timestamp: at(),
        });
        t += 10;
      } else {
        const r = result(task.id, s.status, start, t, {
          retryCount: attempts - 1,
          stdout: out,
          stderr: err,
          ...(s.status === 'success' ? {} : { errorMessage: `task failed with ${s.status}` }),
        });
        results[task.id] = r;
        if (s.status !== 'success') anyFailed = true;
        recorder.onEvent({ type: 'task_finished', executionId, taskId: task.id, attempt, result: r });
      }
    }
  }
  if (options.finish !== false && !running && Object.keys(results).length === dag.size) {
    recorder.onEvent({
      type: 'execution_finished',
      executionId,
      result: {
        dagId: dag.id,
        executionId,
        status: anyFailed ? 'failed' : 'success',
        startedAt: new Date(options.start ?? t),
        completedAt: at(),
        totalDuration: 0,
        taskResults: results,
        metrics: emptyMetrics(),
      },
    });
  }
  recorder.flush();
  return executionId;
}

/** Writes a file (making its folder) and returns its path. */
export async function writeFixture(dir: string, relative: string, text: string): Promise<string> {
  const file = path.join(dir, relative);
  await import('node:fs/promises').then((fs) => fs.mkdir(path.dirname(file), { recursive: true }));
  await writeFile(file, text);
  return file;
}

/** An execution driven step by step by the test, through a real `StateRecorder` (one flush per step). */
export class LiveRun {
  readonly executionId = newExecutionId();
  private readonly recorder: StateRecorder;
  private readonly started = new Map<string, { at: number; attempt: number }>();
  private readonly results: Record<string, TaskResult> = {};

  constructor(
    manager: StateManager,
    private readonly dag: Dag,
    options: { dagFile?: string } = {},
  ) {
    this.recorder = new StateRecorder(manager, {
      dag,
      ...(options.dagFile ? { dagFile: options.dagFile } : {}),
    });
    this.recorder.onEvent({
      type: 'execution_started',
      executionId: this.executionId,
      dagId: dag.id,
      taskCount: dag.size,
      timestamp: new Date(),
      resumed: false,
    });
    this.recorder.flush();
  }

  /** The task became ready, then started its attempt. */
  start(taskId: string, attempt = 1): this {
    const executionId = this.executionId;
    if (attempt === 1)
      this.recorder.onEvent({ type: 'task_ready', executionId, taskId, timestamp: new Date() });
    this.recorder.onEvent({ type: 'task_started', executionId, taskId, attempt, timestamp: new Date() });
    this.started.set(taskId, { at: Date.now(), attempt });
    this.recorder.flush();
    return this;
  }

  /** The running attempt printed `text`. */
  output(taskId: string, text: string, stream: 'stdout' | 'stderr' = 'stdout'): this {
    const attempt = this.started.get(taskId)?.attempt ?? 1;
    this.recorder.onEvent({
      type: 'task_output',
      executionId: this.executionId,
      taskId,
      attempt,
      stream,
      chunk: text,
    });
    this.recorder.flush();
    return this;
  }

  /** The running attempt ended with `status`. */
  finish(taskId: string, status: TaskStatus = 'success'): this {
    const s = this.started.get(taskId) ?? { at: Date.now(), attempt: 1 };
    const r = result(taskId, status, s.at, Date.now(), status === 'success' ? {} : { errorMessage: status });
    this.results[taskId] = r;
    this.recorder.onEvent({
      type: 'task_finished',
      executionId: this.executionId,
      taskId,
      attempt: s.attempt,
      result: r,
    });
    this.recorder.flush();
    return this;
  }

  /** The execution ended. */
  end(status: 'success' | 'failed' | 'cancelled' = 'success'): this {
    this.recorder.onEvent({
      type: 'execution_finished',
      executionId: this.executionId,
      result: {
        dagId: this.dag.id,
        executionId: this.executionId,
        status,
        startedAt: new Date(),
        completedAt: new Date(),
        totalDuration: 0,
        taskResults: this.results,
        metrics: emptyMetrics(),
      },
    });
    this.recorder.flush();
    return this;
  }
}

/**
 * Writes `count` finished one-task executions of DAG `dagId` in one transaction (for history-size tests),
 * one second apart from `start`, every seventh one failed.
 * @returns their ids, oldest first.
 */
export function bulkExecutions(
  manager: StateManager,
  count: number,
  dagId = 'bulk',
  start = 1_700_000_000_000,
): string[] {
  const ids: string[] = [];
  manager.transaction(() => {
    for (let i = 0; i < count; i++) {
      const at = start + i * 1000;
      const executionId = newExecutionId(at);
      const status = i % 7 === 0 ? 'failed' : 'success';
      ids.push(executionId);
      writeExecutionState(manager.writes, {
        dagId,
        executionId,
        status,
        startedAt: new Date(at),
        completedAt: new Date(at + 250),
        taskStates: {
          only: {
            taskId: 'only',
            status,
            attempts: 1,
            dependsOn: [],
            latest: {
              executionId,
              taskId: 'only',
              attempt: 1,
              status,
              startedAt: new Date(at),
              completedAt: new Date(at + 250),
              duration: 250,
              exitCode: status === 'success' ? 0 : 1,
              stdoutTail: '',
              stderrTail: '',
              metadata: {},
            },
          },
        },
      });
    }
  });
  return ids;
}
