/**
 * `jorm run --backend bullmq` and `jorm resume` as real coordinators, with real `jorm worker` processes:
 * a mixed DAG spread over both workers with tags routing, Ctrl-C killing a remote process tree, and a
 * coordinator killed and resumed without running again what a worker finished.
 */

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ExecutionResultJson } from '../../src/engine/serialize.js';
import { runJorm } from '../helpers/cli.js';
import {
  deletePrefix,
  freshPrefix,
  isAlive,
  REDIS_URL,
  redisSkip,
  startJorm,
  startWorker,
  type WorkerProcess,
  waitForFile,
  waitForPid,
} from './helpers.js';

const skip = await redisSkip();

const MIXED = `
dag: mixed
env:
  GREETING: hello from the DAG
tasks:
  - id: prep
    type: shell
    command: echo "$GREETING" > greeting.txt
  - id: left
    type: shell
    depends_on: [prep]
    command: |
      touch started-left
      i=0; while [ "$(ls | grep -c started-)" -lt 2 ]; do i=$((i+1)); [ $i -gt 400 ] && exit 9; sleep 0.05; done
      echo left
  - id: right
    type: shell
    depends_on: [prep]
    command: |
      touch started-right
      i=0; while [ "$(ls | grep -c started-)" -lt 2 ]; do i=$((i+1)); [ $i -gt 400 ] && exit 9; sleep 0.05; done
      echo right
  - id: gpu
    type: shell
    depends_on: [prep]
    tags: [gpu]
    command: echo "on the gpu worker"
  - id: py
    type: python
    depends_on: [prep]
    script: |
      print(open("greeting.txt").read().strip().upper())
  - id: merge
    type: shell
    depends_on: [left, right, gpu, py]
    command: cat greeting.txt
`;

describe('jorm run and jorm resume with the bullmq backend', { skip }, () => {
  const prefix = freshPrefix();
  const env = { JORM_REDIS_PREFIX: prefix };
  const backend = ['--backend', 'bullmq', '--redis', REDIS_URL];
  let plain: WorkerProcess;
  let gpu: WorkerProcess;
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jorm-run-dist-'));
    [plain, gpu] = await Promise.all([
      startWorker(prefix, ['--concurrency', '1']),
      startWorker(prefix, ['--concurrency', '1', '--tags', 'gpu']),
    ]);
  });

  after(async () => {
    await Promise.all([plain?.stop('SIGTERM'), gpu?.stop('SIGTERM')]);
    await deletePrefix(prefix);
    await rm(dir, { recursive: true, force: true });
  });

  async function workdir(name: string, dag: string): Promise<string> {
    const cwd = await mkdtemp(join(dir, `${name}-`));
    await writeFile(join(cwd, 'dag.yaml'), dag);
    return cwd;
  }

  it('runs a mixed DAG over both workers, a tagged task on the worker with the tag', async () => {
    const cwd = await workdir('mixed', MIXED);
    const run = await runJorm(['run', 'dag.yaml', ...backend, '--no-state', '--json'], { cwd, env });
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as ExecutionResultJson;
    const r = result.taskResults;
    assert.equal(r['py']?.stdout, 'HELLO FROM THE DAG\n');
    assert.equal(r['merge']?.stdout, 'hello from the DAG\n');
    const pids = [String(plain.pid), String(gpu.pid)];
    for (const [id, task] of Object.entries(r)) {
      assert.equal(task.metadata['backend'], 'bullmq', id);
      assert.ok(pids.includes(task.metadata['workerPid'] ?? ''), `${id} ran on a worker`);
    }
    assert.notEqual(
      r['left']?.metadata['workerPid'],
      r['right']?.metadata['workerPid'],
      'both workers ran tasks',
    );
    assert.equal(r['gpu']?.metadata['workerPid'], String(gpu.pid));
    assert.equal(r['gpu']?.metadata['queue'], 'jorm@gpu');
  });

  it('kills the remote process tree when the run is interrupted', async () => {
    const cwd = await workdir(
      'cancel',
      'dag: cancel\ntasks:\n  - id: long\n    type: shell\n    command: sleep 60 & echo $! > sleep.pid; wait\n',
    );
    const run = startJorm(['run', 'dag.yaml', ...backend, '--no-state'], { cwd, env });
    const pid = await waitForPid(join(cwd, 'sleep.pid'));
    assert.ok(isAlive(pid));
    run.child.kill('SIGINT');
    assert.equal(await run.exited, 130, run.stderr());
    assert.equal(isAlive(pid), false, 'the sleep on the worker was killed');
  });

  it('resumes a killed coordinator without running again the task a worker finished', async () => {
    const cwd = await workdir(
      'resume',
      `dag: resume
tasks:
  - id: first
    type: shell
    command: |
      echo run >> runs-first
      touch first-started
      while [ ! -e gate ]; do sleep 0.02; done
      echo first done
  - id: second
    type: shell
    depends_on: [first]
    command: echo second > second-done
`,
    );
    const state = ['--state', join(cwd, 'state.db')];
    const run = startJorm(['run', 'dag.yaml', ...backend, ...state], { cwd, env });
    await waitForFile(join(cwd, 'first-started'));
    run.child.kill('SIGKILL');
    await run.exited;
    const id = /execution (\S+)/.exec(run.stderr())?.[1];
    assert.ok(id, run.stderr());
    await writeFile(join(cwd, 'gate'), ''); // the worker finishes "first" with nobody listening
    const resumed = await runJorm(['resume', id, ...backend, ...state], { cwd, env });
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(await readFile(join(cwd, 'second-done'), 'utf8'), 'second\n');
    assert.equal(
      (await readFile(join(cwd, 'runs-first'), 'utf8')).trim().split('\n').length,
      1,
      'first ran once',
    );
  });
});
