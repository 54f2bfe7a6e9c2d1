import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { StateManager } from '../../src/state/state-manager.js';

const root = mkdtempSync(join(tmpdir(), 'jorm-state-crash-'));
after(() => rmSync(root, { recursive: true, force: true }));
const buildRoot = fileURLToPath(new URL('../../', import.meta.url));
const script = resolve('test/fixtures/state/run-dag.mjs');

/** Starts the fixture runner; `waitFor(line)` resolves once it printed that line. */
function runner(args: string[]): {
  child: ChildProcess;
  waitFor(line: string): Promise<void>;
  output(): string;
} {
  const child = spawn(process.execPath, [script, buildRoot, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const waiters: { line: string; resolve: () => void }[] = [];
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    for (const w of [...waiters]) {
      if (out.split('\n').includes(w.line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  return {
    child,
    output: () => out,
    waitFor: (line) =>
      new Promise((resolve) => {
        if (out.split('\n').includes(line)) resolve();
        else waiters.push({ line, resolve });
      }),
  };
}

/** Resolves once `file` holds every one of `wanted` as a line (watching its directory, no polling). */
function fileHasLines(file: string, wanted: string[]): Promise<void> {
  return new Promise((resolve) => {
    const check = (): boolean => {
      let text = '';
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        return false;
      }
      const have = text.split('\n');
      return wanted.every((w) => have.includes(w));
    };
    if (check()) return resolve();
    const watcher = watch(dirname(file), () => {
      if (check()) {
        watcher.close();
        resolve();
      }
    });
  });
}

describe('crash recovery', () => {
  it('a run killed with SIGKILL is resumed: what had succeeded runs once, everything ends success', async () => {
    const dir = join(root, 'kill');
    const database = join(dir, '.jorm', 'state.db');
    const lines = join(dir, 'lines.txt');
    const gate = join(dir, 'gate');
    const quick = (id: string, deps: string[] = []) => ({ command: `echo ${id} >> ${lines}`, deps });
    // Waits for the gate; gives up when its jorm is gone (so no orphan outlives the test).
    const slow = (id: string, deps: string[]) => ({
      command: `echo ${id} >> ${lines}; while [ ! -f ${gate} ]; do kill -0 $PPID 2>/dev/null || exit 9; sleep 0.05; done`,
      deps,
    });
    const spec = {
      id: 'crashy',
      tasks: {
        q1: quick('q1'),
        q2: quick('q2'),
        q3: quick('q3'),
        q4: quick('q4', ['q1']),
        s1: slow('s1', ['q2', 'q4']),
        s2: slow('s2', ['q3']),
        z: quick('z', ['s1', 's2']),
      },
    };
    const dagFile = join(dir, 'dag.json');
    StateManager.open({ databaseUrl: database }).close();
    writeFileSync(dagFile, JSON.stringify(spec));

    const first = runner([database, dagFile]);
    // Both slow tasks are running (their lines are written) when jorm is killed.
    await Promise.all([
      first.waitFor('started s1'),
      first.waitFor('started s2'),
      fileHasLines(lines, ['s1', 's2']),
    ]);
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');

    const manager = StateManager.open({ databaseUrl: database }, { mustExist: true });
    let executionId: string;
    let succeededBefore: string[];
    try {
      const recoverable = manager.listRecoverableExecutions();
      assert.equal(recoverable.length, 1);
      executionId = recoverable[0]!.executionId;
      const state = manager.loadExecutionState(executionId)!;
      assert.equal(state.status, 'running');
      succeededBefore = Object.values(state.taskStates)
        .filter((t) => t.status === 'success')
        .map((t) => t.taskId);
      assert.ok(succeededBefore.length >= 3, `succeeded before the kill: ${succeededBefore}`);
      assert.equal(state.taskStates['s1']?.status, 'running');
    } finally {
      manager.close();
    }

    writeFileSync(gate, '');
    const second = runner([database, dagFile, 'resume', executionId.slice(0, 8)]);
    const [code] = (await once(second.child, 'exit')) as [number | null];
    assert.equal(code, 0);
    assert.match(second.output(), new RegExp(`^done ${executionId} success$`, 'm'));
    for (const kept of succeededBefore)
      assert.doesNotMatch(second.output(), new RegExp(`^started ${kept}$`, 'm'));

    const ran = readFileSync(lines, 'utf8').trim().split('\n');
    const count = (id: string) => ran.filter((l) => l === id).length;
    for (const id of Object.keys(spec.tasks)) assert.ok(count(id) >= 1, `${id} never ran`);
    for (const id of succeededBefore) assert.equal(count(id), 1, `${id} ran ${count(id)} times`);

    const after = StateManager.open({ databaseUrl: database }, { mustExist: true });
    try {
      const summary = after.getExecution(executionId);
      assert.equal(summary?.status, 'success');
      assert.deepEqual(summary?.taskCounts, { success: 7 });
      assert.deepEqual(
        after.getTaskAttempts(executionId, 's1').map((a) => a.attempt),
        [1, 2],
      );
      assert.deepEqual(after.listRecoverableExecutions(), []);
    } finally {
      after.close();
    }
  });
});
