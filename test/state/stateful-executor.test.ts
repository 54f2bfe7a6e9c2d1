import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { NativeExecutor } from '../../src/engine/native-executor.js';
import type { ExecutionContext, TaskExecutor, TaskOutcome } from '../../src/engine/task-executor.js';
import { Dag } from '../../src/model/dag.js';
import { RecoveryError } from '../../src/model/errors.js';
import { Task } from '../../src/model/task.js';
import { planResume } from '../../src/state/resume-plan.js';
import { LOST_ATTEMPT, StateManager } from '../../src/state/state-manager.js';
import { StatefulExecutor } from '../../src/state/stateful-executor.js';

const root = mkdtempSync(join(tmpdir(), 'jorm-state-exec-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** A custom task type that records which upstream results (and their stdout) it was given. */
class ProbeExecutor implements TaskExecutor {
  readonly taskType = 'probe';
  seen: Record<string, string> = {};
  async execute(_task: Task, context: ExecutionContext): Promise<TaskOutcome> {
    this.seen = Object.fromEntries(Object.entries(context.upstream).map(([id, r]) => [id, r.stdout]));
    return { stdout: 'probed\n' };
  }
}

const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : []);

function pipeline(log: string, marker: string): Dag {
  const dag = new Dag('resumable');
  const shell = (id: string, command: string, deps: string[] = []) => {
    const task = new Task(id, undefined, 'shell', { kind: 'shell', command });
    for (const d of deps) task.addDependency(d);
    dag.addTask(task);
  };
  shell('extract', `echo extract >> ${log}; echo extracted-rows`);
  shell('side', `echo side >> ${log}`);
  shell('transform', `echo transform >> ${log}; test -f ${marker}`, ['extract']);
  shell('load', `echo load >> ${log}`, ['transform']);
  const probe = new Task('report', undefined, 'probe', { kind: 'custom', values: {} });
  probe.addDependency('load').addDependency('extract');
  dag.addTask(probe);
  return dag;
}

describe('StatefulExecutor', () => {
  it('resumes a failed run: only failed and skipped tasks run again, kept outputs reach downstream tasks', async () => {
    const dir = join(root, `run${++n}`);
    const log = join(dir, 'ran.log');
    const marker = join(dir, 'fixed');
    const executor = StatefulExecutor.create(
      { maxConcurrentTasks: 2 },
      { databaseUrl: join(dir, 'state.db') },
    );
    const probe = new ProbeExecutor();
    executor.taskRegistry.register(probe);
    try {
      const dag = pipeline(log, marker);
      const first = await executor.executeDag(dag);
      assert.equal(first.status, 'failed');
      assert.deepEqual(lines(log).sort(), ['extract', 'side', 'transform']);
      const stored = executor.stateManager.getExecution(first.executionId);
      assert.deepEqual(stored?.taskCounts, { success: 2, failed: 1, skipped: 2 });

      writeFileSync(marker, '');
      const second = await executor.resumeExecution(first.executionId.slice(0, 12), dag);
      assert.equal(second.executionId, first.executionId);
      assert.equal(second.status, 'success');
      assert.deepEqual(lines(log).sort(), ['extract', 'load', 'side', 'transform', 'transform']);
      assert.deepEqual(probe.seen, { extract: 'extracted-rows\n', transform: '', load: '' });

      const manager = executor.stateManager;
      assert.equal(manager.getExecution(first.executionId)?.status, 'success');
      assert.deepEqual(
        manager.getTaskAttempts(first.executionId, 'transform').map((a) => `${a.attempt}:${a.status}`),
        ['1:failed', '2:success'],
      );
      assert.deepEqual(
        manager.getTaskAttempts(first.executionId, 'extract').map((a) => a.attempt),
        [1],
      );
      assert.equal(manager.countExecutions(), 1);
      await assert.rejects(
        executor.resumeExecution(first.executionId, dag),
        (e: unknown) => e instanceof RecoveryError && /already succeeded/.test(e.message),
      );
    } finally {
      await executor.close();
    }
  });

  it('runs an execution once when two executors on one database resume it together', async () => {
    const dir = join(root, `run${++n}`);
    const log = join(dir, 'ran.log');
    const database = join(dir, 'state.db');
    const first = StatefulExecutor.create({}, { databaseUrl: database });
    // A second connection to the same file, as a second `jorm resume` process would have.
    const second = StatefulExecutor.create({}, { databaseUrl: database });
    first.taskRegistry.register(new ProbeExecutor());
    second.taskRegistry.register(new ProbeExecutor());
    try {
      const dag = pipeline(log, join(dir, 'fixed'));
      const failed = await first.executeDag(dag);
      assert.equal(failed.status, 'failed');
      writeFileSync(join(dir, 'fixed'), '');
      // The first claims it (running, owned by this process) before the second plans: the second refuses.
      const outcomes = await Promise.allSettled([
        first.resumeExecution(failed.executionId, dag),
        second.resumeExecution(failed.executionId, dag),
      ]);
      assert.equal(outcomes[0].status, 'fulfilled');
      assert.equal(outcomes[0].status === 'fulfilled' && outcomes[0].value.status, 'success');
      assert.equal(outcomes[1].status, 'rejected');
      const refusal = outcomes[1].status === 'rejected' ? (outcomes[1].reason as unknown) : undefined;
      assert.ok(refusal instanceof RecoveryError, String(refusal));
      assert.match(refusal.message, /is still running|was just resumed/);
      // transform failed once and ran once more; load ran once.
      assert.deepEqual(lines(log).sort(), ['extract', 'load', 'side', 'transform', 'transform']);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('lets only the first of two resumes planned together claim the execution', async () => {
    const dir = join(root, `run${++n}`);
    const database = join(dir, 'state.db');
    const executor = StatefulExecutor.create({}, { databaseUrl: database });
    executor.taskRegistry.register(new ProbeExecutor());
    const other = StateManager.open({ databaseUrl: database });
    try {
      const dag = pipeline(join(dir, 'ran.log'), join(dir, 'fixed'));
      const failed = await executor.executeDag(dag);
      // As a run killed while `transform` ran would have left it.
      other.database
        .prepare(
          "UPDATE task_executions SET status = 'running', completed_at = NULL, error_message = NULL WHERE execution_id = ? AND task_id = 'transform'",
        )
        .run(failed.executionId);
      // Two `jorm resume` processes: both plan before either writes.
      const planA = planResume(executor.stateManager, failed.executionId, dag);
      const planB = planResume(other, failed.executionId, dag);
      assert.deepEqual(planA.owner, planB.owner);
      const a = { host: 'host-a', pid: 1_000_001, startedAt: new Date(1_000) };
      const b = { host: 'host-b', pid: 1_000_002, startedAt: new Date(2_000) };
      assert.equal(executor.stateManager.claimExecution(failed.executionId, planA.owner, a), true);
      assert.equal(other.claimExecution(failed.executionId, planB.owner, b), false, 'the second claim fails');
      const stored = other.loadExecutionState(failed.executionId);
      assert.equal(stored?.status, 'running');
      assert.equal(stored?.owner?.host, 'host-a');
      // The attempt the dead run left running is recorded as lost, not running forever.
      const [lost] = other.getTaskAttempts(failed.executionId, 'transform');
      assert.equal(lost?.status, 'failed');
      assert.equal(lost?.errorMessage, LOST_ATTEMPT);
      assert.ok(lost?.completedAt instanceof Date);
      // A resume planned now finds it running under host-a (another host: it cannot tell it is gone).
      assert.throws(
        () => planResume(other, failed.executionId, dag),
        /is still running by pid 1000001 on host-a/,
      );
    } finally {
      other.close();
      await executor.close();
    }
  });

  it('keeps the record of a failed attempt when the run is cancelled during its retry wait', async () => {
    const dir = join(root, `run${++n}`);
    const executor = StatefulExecutor.create({}, { databaseUrl: join(dir, 'state.db') });
    try {
      const dag = new Dag('flaky');
      dag.addTask(
        new Task('flaky', undefined, 'shell', { kind: 'shell', command: 'exit 3' }).withRetry({
          maxAttempts: 3,
          initialDelay: 60_000,
        }),
      );
      const controller = new AbortController();
      const result = await executor.executeDag(dag, {
        signal: controller.signal,
        onEvent: (e) => {
          // Ctrl-C a moment into the 60 s wait.
          if (e.type === 'task_retrying') setTimeout(() => controller.abort(), 50);
        },
      });
      assert.equal(result.taskResults['flaky']?.status, 'cancelled');
      const [first, ...more] = executor.stateManager.getTaskAttempts(result.executionId, 'flaky');
      assert.deepEqual(more, []);
      assert.equal(first?.status, 'failed', 'the attempt that ran failed; the task was cancelled after it');
      assert.equal(first?.exitCode, 3);
      const stored = executor.stateManager.loadExecutionState(result.executionId);
      assert.equal(stored?.taskStates['flaky']?.status, 'cancelled');
    } finally {
      await executor.close();
    }
  });

  it('NativeExecutor.withStateManagement: refuses a changed DAG unless forced', async () => {
    const dir = join(root, `run${++n}`);
    const executor = await NativeExecutor.withStateManagement({}, { databaseUrl: join(dir, 'state.db') });
    assert.ok(executor instanceof StatefulExecutor);
    executor.taskRegistry.register(new ProbeExecutor());
    try {
      const log = join(dir, 'ran.log');
      const dag = pipeline(log, join(dir, 'missing'));
      const first = await executor.executeDag(dag);
      assert.equal(first.status, 'failed');
      const changed = pipeline(log, join(dir, 'missing'));
      changed.getTask('transform')!.config = { kind: 'shell', command: 'true' };
      await assert.rejects(
        executor.resumeExecution(first.executionId, changed),
        (e: unknown) =>
          e instanceof RecoveryError &&
          /changed since execution/.test(e.message) &&
          /--force/.test(e.message),
      );
      const forced = await executor.resumeExecution(first.executionId, changed, { force: true });
      assert.equal(forced.status, 'success');
    } finally {
      await executor.close();
    }
  });

  it('cancels a run when a cancellation is requested through the database', async () => {
    const dir = join(root, `run${++n}`);
    const databaseUrl = join(dir, 'state.db');
    const executor = StatefulExecutor.create(
      { killGracePeriod: 100 },
      { databaseUrl, heartbeatInterval: 20 },
    );
    const other = StateManager.open({ databaseUrl });
    try {
      const dag = new Dag('long');
      dag.addTask(new Task('sleep', undefined, 'shell', { kind: 'shell', command: 'sleep 30' }));
      let started: (id: string) => void = () => {};
      const startedId = new Promise<string>((resolve) => {
        started = resolve;
      });
      const running = executor.executeDag(dag, {
        onEvent: (event) => {
          if (event.type === 'task_started') started(event.executionId);
        },
      });
      // The promise resumes after the scheduler turn, whose flush recorded the execution.
      assert.equal(other.requestCancel(await startedId), true);
      const result = await running;
      assert.equal(result.status, 'cancelled');
      assert.equal(other.getExecution(result.executionId)?.status, 'cancelled');
      assert.equal(other.isCancelRequested(result.executionId), false);
    } finally {
      other.close();
      await executor.close();
    }
  });

  it('prunes old executions when a run starts (maxExecutionHistory)', async () => {
    const dir = join(root, `run${++n}`);
    const executor = StatefulExecutor.create(
      {},
      { databaseUrl: join(dir, 'state.db'), maxExecutionHistory: 2 },
    );
    try {
      const dag = new Dag('tiny');
      dag.addTask(new Task('t', undefined, 'shell', { kind: 'shell', command: 'echo hi' }));
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) ids.push((await executor.executeDag(dag)).executionId);
      // Pruning runs at the start of each run and leaves room for it: at most 2 executions at any time.
      assert.deepEqual(
        executor.stateManager.listExecutions().map((s) => s.executionId),
        [ids[3], ids[2]],
      );
      assert.ok(!existsSync(executor.stateManager.logs.executionDir(ids[0]!)!));
    } finally {
      await executor.close();
    }
  });
});
