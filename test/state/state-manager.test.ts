import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RecoveryError } from '../../src/model/errors.js';
import { newExecutionId } from '../../src/model/ids.js';
import type { ExecutionStatus } from '../../src/model/result.js';
import { StateManager } from '../../src/state/state-manager.js';
import { StateRecorder } from '../../src/state/state-recorder.js';
import type { ExecutionState } from '../../src/state/types.js';
import { playExecution, shellDag } from './simulate.js';

const root = mkdtempSync(join(tmpdir(), 'jorm-state-mgr-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const openManager = () => StateManager.open({ databaseUrl: join(root, `db${++n}`, 'state.db') });

function execution(
  id: string,
  dagId: string,
  status: ExecutionStatus,
  startedAt: number,
  extra: Partial<ExecutionState> = {},
): ExecutionState {
  return {
    executionId: id,
    dagId,
    status,
    startedAt: new Date(startedAt),
    ...(status === 'running' ? {} : { completedAt: new Date(startedAt + 1000) }),
    taskStates: {
      only: {
        taskId: 'only',
        status: status === 'running' ? 'running' : status === 'success' ? 'success' : 'failed',
        attempts: 1,
      },
    },
    ...extra,
  };
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await once(child, 'exit');
  return child.pid!;
}

describe('StateManager', () => {
  it('saves and loads an execution state (the reference API)', () => {
    const manager = openManager();
    try {
      const state: ExecutionState = {
        executionId: newExecutionId(),
        dagId: 'etl',
        status: 'success',
        startedAt: new Date(1_700_000_000_000),
        completedAt: new Date(1_700_000_005_000),
        dagHash: 'abc',
        dagFile: '/x/etl.yaml',
        params: { day: 'monday' },
        owner: { host: 'h1', pid: 42, startedAt: new Date(1_699_999_999_000) },
        taskStates: {
          extract: {
            taskId: 'extract',
            status: 'success',
            attempts: 1,
            taskType: 'shell',
            dependsOn: [],
            latest: {
              executionId: '',
              taskId: 'extract',
              attempt: 1,
              status: 'success',
              startedAt: new Date(1_700_000_001_000),
              completedAt: new Date(1_700_000_002_000),
              duration: 1000,
              exitCode: 0,
              stdoutTail: 'rows=10\n',
              stderrTail: '',
              outputData: { rows: 10 },
              metadata: { host: 'h1' },
            },
          },
          load: {
            taskId: 'load',
            status: 'skipped',
            attempts: 0,
            dependsOn: ['extract'],
            errorMessage: 'upstream',
          },
        },
      };
      manager.saveExecutionState(state);
      const loaded = manager.loadExecutionState(state.executionId);
      assert.ok(loaded);
      assert.equal(loaded.status, 'success');
      assert.equal(loaded.dagHash, 'abc');
      assert.deepEqual(loaded.owner, state.owner);
      assert.deepEqual(loaded.params, { day: 'monday' });
      assert.deepEqual(loaded.completedAt, state.completedAt);
      assert.deepEqual(loaded.taskStates['extract']?.latest?.outputData, { rows: 10 });
      assert.equal(loaded.taskStates['extract']?.latest?.executionId, state.executionId);
      assert.deepEqual(loaded.taskStates['extract']?.latest?.metadata, { host: 'h1' });
      assert.equal(loaded.taskStates['load']?.errorMessage, 'upstream');
      assert.deepEqual(loaded.taskStates['load']?.dependsOn, ['extract']);
      assert.equal(manager.loadExecutionState('nope'), undefined);
      assert.equal(manager.getTaskHistory('etl', 'extract')[0]?.stdoutTail, 'rows=10\n');
    } finally {
      manager.close();
    }
  });

  it('lists executions newest first, filtered and paginated, and counts them', () => {
    const manager = openManager();
    try {
      const base = Date.now() - 100_000;
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) {
        const id = newExecutionId(base + i * 1000);
        ids.push(id);
        manager.saveExecutionState(
          execution(id, i % 2 ? 'odd' : 'even', i === 3 ? 'failed' : 'success', base + i * 1000),
        );
      }
      assert.deepEqual(
        manager.listExecutions().map((s) => s.executionId),
        [...ids].reverse(),
      );
      assert.deepEqual(
        manager.listExecutions({ dagId: 'odd' }).map((s) => s.executionId),
        [ids[5], ids[3], ids[1]],
      );
      assert.deepEqual(
        manager.listExecutions({ status: 'failed' }).map((s) => s.executionId),
        [ids[3]],
      );
      assert.deepEqual(
        manager.listExecutions({ limit: 2, offset: 2 }).map((s) => s.executionId),
        [ids[4], ids[3]],
      );
      assert.equal(manager.countExecutions(), 7);
      assert.equal(manager.countExecutions({ dagId: 'even' }), 4);
      assert.deepEqual(manager.listExecutions({ limit: 1 })[0]?.taskCounts, { success: 1 });
    } finally {
      manager.close();
    }
  });

  it('resolves unique id prefixes of at least 6 characters, case-insensitively', () => {
    const manager = openManager();
    try {
      const a = '01HZZZZAAA0000000000000001';
      const b = '01HZZZZAAA0000000000000002';
      const c = '01JQQQQBBB0000000000000003';
      for (const id of [a, b, c]) manager.saveExecutionState(execution(id, 'd', 'success', Date.now()));
      assert.equal(manager.resolveExecutionId(c), c);
      assert.equal(manager.resolveExecutionId('01jqqq'), c);
      assert.equal(manager.resolveExecutionId('01HZZZZAAA0000000000000002'), b);
      const fails = (prefix: string, pattern: RegExp) =>
        assert.throws(
          () => manager.resolveExecutionId(prefix),
          (e: unknown) => e instanceof RecoveryError && pattern.test(e.message),
        );
      fails('01HZZZ', /ambiguous: it matches 01HZZZZAAA0000000000000001, 01HZZZZAAA0000000000000002/);
      fails('01J', /too short: give at least 6/);
      fails('ZZZZZZZ', /no execution with id "ZZZZZZZ"/);
    } finally {
      manager.close();
    }
  });

  it('prunes by age and by count, with tasks, attempts and log folders, never running ones', () => {
    const manager = openManager();
    try {
      const dag = shellDag('p', { a: [], b: ['a'] });
      const now = Date.now();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const start = now - (5 - i) * 86_400_000;
        const { executionId } = playExecution(
          new StateRecorder(manager, { dag }),
          dag,
          {},
          { executionId: newExecutionId(start), start },
        );
        ids.push(executionId);
      }
      const running = newExecutionId(now - 10 * 86_400_000);
      manager.saveExecutionState(execution(running, 'p', 'running', now - 10 * 86_400_000));
      assert.ok(existsSync(manager.logs.executionDir(ids[0]!)!));

      const byAge = manager.prune({ olderThan: 3.5 * 86_400_000 }, now);
      assert.deepEqual(byAge.sort(), [ids[0], ids[1]].sort());
      assert.ok(!existsSync(manager.logs.executionDir(ids[0]!)!));
      assert.equal(manager.loadExecutionState(ids[0]!), undefined);
      assert.deepEqual(manager.getTaskAttempts(ids[0]!), []);
      const rows = manager.database
        .prepare('SELECT COUNT(*) AS n FROM tasks WHERE execution_id = ?')
        .get(ids[0]) as { n: number };
      assert.equal(rows.n, 0);

      const byCount = manager.prune({ keep: 2 }, now);
      assert.deepEqual(byCount, [ids[2]]);
      assert.deepEqual(
        manager.listExecutions().map((s) => s.executionId),
        [ids[4], ids[3], running],
      );
      assert.deepEqual(manager.prune({}), []);
    } finally {
      manager.close();
    }
  });

  it('passes cancellation requests to the running execution only', () => {
    const manager = openManager();
    try {
      const live = newExecutionId();
      const done = newExecutionId();
      manager.saveExecutionState(execution(live, 'c', 'running', Date.now()));
      manager.saveExecutionState(execution(done, 'c', 'success', Date.now()));
      assert.equal(manager.isCancelRequested(live), false);
      assert.equal(manager.requestCancel(live), true);
      assert.equal(manager.isCancelRequested(live), true);
      assert.equal(manager.getExecution(live)?.cancelRequested, true);
      assert.equal(manager.requestCancel(done), false);
      assert.equal(manager.isCancelRequested(done), false);
      assert.equal(manager.requestCancel('unknown'), false);
    } finally {
      manager.close();
    }
  });

  it('lists as recoverable the running executions whose owner is gone', async () => {
    const manager = openManager();
    try {
      const now = Date.now();
      const gone = newExecutionId();
      const alive = newExecutionId();
      const staleRemote = newExecutionId();
      const freshRemote = newExecutionId();
      const finished = newExecutionId();
      const owner = (host: string, pid: number) => ({
        owner: { host, pid, startedAt: new Date(now - 5000) },
      });
      manager.saveExecutionState(
        execution(gone, 'r', 'running', now - 4000, owner(hostname(), await deadPid())),
      );
      manager.saveExecutionState(
        execution(alive, 'r', 'running', now - 3000, owner(hostname(), process.pid)),
      );
      manager.saveExecutionState(
        execution(staleRemote, 'r', 'running', now - 300_000, {
          ...owner('elsewhere', 1),
          heartbeatAt: new Date(now - 120_000),
        }),
      );
      manager.saveExecutionState(
        execution(freshRemote, 'r', 'running', now - 300_000, {
          ...owner('elsewhere', 1),
          heartbeatAt: new Date(now),
        }),
      );
      manager.saveExecutionState(
        execution(finished, 'r', 'failed', now - 1000, owner(hostname(), await deadPid())),
      );
      assert.deepEqual(
        manager
          .listRecoverableExecutions()
          .map((s) => s.executionId)
          .sort(),
        [gone, staleRemote].sort(),
      );
      manager.heartbeat(staleRemote);
      assert.deepEqual(
        manager.listRecoverableExecutions().map((s) => s.executionId),
        [gone],
      );
    } finally {
      manager.close();
    }
  });
});

describe('StateManager config', () => {
  let manager: StateManager;
  before(() => {
    manager = StateManager.open({
      databaseUrl: join(root, 'cfg', 'state.db'),
      cleanupCompletedAfter: 1000,
      maxExecutionHistory: 1,
    });
  });
  after(() => manager.close());

  it('prunes with cleanupCompletedAfter and maxExecutionHistory', () => {
    const now = Date.now();
    const old = newExecutionId(now - 10_000);
    const recent = newExecutionId(now - 500);
    const newest = newExecutionId(now - 100);
    manager.saveExecutionState(execution(old, 'x', 'success', now - 10_000));
    manager.saveExecutionState(execution(recent, 'x', 'success', now - 900));
    manager.saveExecutionState(execution(newest, 'x', 'success', now - 800));
    assert.deepEqual(manager.pruneByConfig(now).sort(), [old, recent].sort());
    assert.deepEqual(
      manager.listExecutions().map((s) => s.executionId),
      [newest],
    );
  });
});
