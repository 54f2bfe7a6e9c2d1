import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { newExecutionId } from '../../src/model/ids.js';
import { dagHash } from '../../src/state/dag-hash.js';
import { StateManager } from '../../src/state/state-manager.js';
import { StateRecorder } from '../../src/state/state-recorder.js';
import { TAIL_BYTES } from '../../src/state/tail.js';
import { playExecution, shellDag } from './simulate.js';

const root = mkdtempSync(join(tmpdir(), 'jorm-state-rec-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const openManager = (extra = {}) =>
  StateManager.open({ databaseUrl: join(root, `db${++n}`, 'state.db'), ...extra });

describe('StateRecorder', () => {
  it('records the execution, one row per attempt, skipped tasks and the full logs', () => {
    const manager = openManager();
    try {
      const dag = shellDag('build', {
        fetch: [],
        compile: ['fetch'],
        flaky: [],
        lint: [],
        test: ['compile', 'lint'],
        report: ['test'],
      });
      dag.sourceFile = '/work/build.jorm';
      const recorder = new StateRecorder(manager, { dag, params: { env: 'ci' } });
      const result = playExecution(recorder, dag, {
        flaky: { failures: 2, stderr: 'flaky stderr\n' },
        lint: { final: 'failed', stderr: 'lint: 3 errors\n' },
        fetch: { outputData: { files: 3 } },
      });
      assert.equal(result.status, 'failed');
      const id = result.executionId;
      assert.equal(recorder.executionId, id);

      const summary = manager.getExecution(id);
      assert.ok(summary);
      assert.equal(summary.status, 'failed');
      assert.equal(summary.dagId, 'build');
      assert.equal(summary.dagFile, '/work/build.jorm');
      assert.equal(summary.totalTasks, 6);
      assert.deepEqual(summary.taskCounts, { success: 3, failed: 1, skipped: 2 });
      assert.equal(summary.owner?.pid, process.pid);
      assert.equal(summary.owner?.host, hostname());
      assert.ok(summary.completedAt && summary.duration !== undefined);

      const state = manager.loadExecutionState(id);
      assert.ok(state);
      assert.equal(state.dagHash, dagHash(dag));
      assert.deepEqual(state.params, { env: 'ci' });
      assert.deepEqual(Object.keys(state.taskStates), [
        'fetch',
        'compile',
        'flaky',
        'lint',
        'test',
        'report',
      ]);
      assert.deepEqual(state.taskStates['test']?.dependsOn, ['compile', 'lint']);
      assert.equal(state.taskStates['test']?.taskType, 'shell');
      assert.equal(state.taskStates['test']?.status, 'skipped');
      assert.equal(state.taskStates['test']?.attempts, 0);
      assert.match(state.taskStates['test']?.errorMessage ?? '', /upstream task "lint"/);
      assert.deepEqual(state.taskStates['fetch']?.latest?.outputData, { files: 3 });

      const flaky = manager.getTaskAttempts(id, 'flaky');
      assert.deepEqual(
        flaky.map((a) => [a.attempt, a.status]),
        [
          [1, 'failed'],
          [2, 'failed'],
          [3, 'success'],
        ],
      );
      assert.ok(flaky.every((a) => a.startedAt && a.completedAt && a.readyAt));
      assert.equal(state.taskStates['flaky']?.attempts, 3);

      const lint = manager.getTaskAttempts(id, 'lint')[0];
      assert.equal(lint?.exitCode, 1);
      assert.equal(lint?.stderrTail, 'lint: 3 errors\n');
      assert.equal(readFileSync(manager.logPath(id, 'lint', 1, 'stderr')!, 'utf8'), 'lint: 3 errors\n');
      assert.equal(readFileSync(manager.logPath(id, 'flaky', 2, 'stdout')!, 'utf8'), 'flaky attempt 2\n');
      assert.equal(manager.readLog(id, 'flaky', 3, 'stdout').text, 'flaky attempt 3\n');
      assert.equal(manager.getTaskHistory('build', 'flaky').length, 3);
    } finally {
      manager.close();
    }
  });

  it('keeps a capped tail in the database and the whole output in the log file', () => {
    const manager = openManager();
    try {
      const dag = shellDag('big', { chatty: [] });
      const big = `${'x'.repeat(99)}\n`.repeat(2000);
      const { executionId } = playExecution(new StateRecorder(manager, { dag }), dag, {
        chatty: { stdout: big },
      });
      const attempt = manager.getTaskAttempts(executionId, 'chatty')[0]!;
      assert.equal(Buffer.byteLength(attempt.stdoutTail), TAIL_BYTES);
      assert.ok(big.endsWith(attempt.stdoutTail));
      assert.equal(readFileSync(manager.logPath(executionId, 'chatty', 1, 'stdout')!, 'utf8'), big);
      assert.equal(
        manager.readLog(executionId, 'chatty', 1, 'stdout', { offset: -100 }).text,
        big.slice(-100),
      );
    } finally {
      manager.close();
    }
  });

  it('buffers until flush: nothing is written by onEvent alone', () => {
    const manager = openManager();
    try {
      const dag = shellDag('lazy', { a: [] });
      const recorder = new StateRecorder(manager, { dag });
      const executionId = newExecutionId();
      recorder.onEvent({
        type: 'execution_started',
        executionId,
        dagId: 'lazy',
        taskCount: 1,
        timestamp: new Date(),
        resumed: false,
      });
      recorder.onEvent({ type: 'task_started', executionId, taskId: 'a', attempt: 1, timestamp: new Date() });
      assert.equal(manager.getExecution(executionId), undefined);
      recorder.flush();
      assert.equal(manager.getExecution(executionId)?.status, 'running');
      assert.equal(manager.loadExecutionState(executionId)?.taskStates['a']?.status, 'running');
      assert.equal(manager.getTaskAttempts(executionId, 'a')[0]?.status, 'running');
    } finally {
      manager.close();
    }
  });

  it('writes progress checkpoints when enabled', () => {
    const manager = openManager({ enableCheckpoints: true, checkpointInterval: 1 });
    try {
      const dag = shellDag('cp', { a: [], b: ['a'] });
      let clock = 1_000_000;
      const { executionId } = playExecution(
        new StateRecorder(manager, { dag, now: () => (clock += 10) }),
        dag,
        {},
        { start: 1_000_000 },
      );
      const checkpoints = manager.getCheckpoints(executionId);
      assert.ok(checkpoints.length >= 2);
      assert.deepEqual(checkpoints.at(-1)?.taskCounts, { success: 2 });
      assert.ok(checkpoints.some((c) => c.running.length === 1));
    } finally {
      manager.close();
    }
    const off = openManager({ enableCheckpoints: false });
    try {
      const dag = shellDag('cp', { a: [] });
      const { executionId } = playExecution(new StateRecorder(off, { dag }), dag);
      assert.deepEqual(off.getCheckpoints(executionId), []);
    } finally {
      off.close();
    }
  });

  it('continues a run under the same id: succeeded tasks kept, others re-run with attempt numbers continued', () => {
    const manager = openManager();
    try {
      const dag = shellDag('again', { a: [], b: ['a'], c: [], d: ['c'] });
      const first = playExecution(new StateRecorder(manager, { dag }), dag, { c: { final: 'failed' } });
      const id = first.executionId;
      assert.deepEqual(manager.getExecution(id)?.taskCounts, { success: 2, failed: 1, skipped: 1 });

      const second = playExecution(
        new StateRecorder(manager, { dag }),
        dag,
        {},
        { executionId: id, resumed: true, keep: new Set(['a', 'b']) },
      );
      assert.equal(second.status, 'success');
      const summary = manager.getExecution(id);
      assert.equal(summary?.status, 'success');
      assert.deepEqual(summary?.taskCounts, { success: 4 });
      assert.deepEqual(
        manager.getTaskAttempts(id, 'c').map((a) => [a.attempt, a.status]),
        [
          [1, 'failed'],
          [2, 'success'],
        ],
      );
      assert.deepEqual(
        manager.getTaskAttempts(id, 'd').map((a) => a.attempt),
        [1],
      );
      assert.deepEqual(
        manager.getTaskAttempts(id, 'a').map((a) => a.attempt),
        [1],
      );
      assert.ok(existsSync(manager.logPath(id, 'c', 2, 'stdout')!));
      assert.equal(manager.countExecutions(), 1);
    } finally {
      manager.close();
    }
  });

  it('leaves an interrupted run marked running with its finished tasks committed', () => {
    const manager = openManager();
    try {
      const dag = shellDag('cut', { a: [], b: [], c: [], d: [] });
      const partial = playExecution(new StateRecorder(manager, { dag }), dag, {}, { stopAfter: 2 });
      const state = manager.loadExecutionState(partial.executionId);
      assert.equal(state?.status, 'running');
      assert.deepEqual(
        Object.values(state?.taskStates ?? {}).map((t) => t.status),
        ['success', 'success', 'pending', 'pending'],
      );
    } finally {
      manager.close();
    }
  });
});
