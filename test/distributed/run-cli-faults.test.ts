/**
 * Faults during `jorm run --backend bullmq`: a worker killed with SIGKILL mid-task (the DAG still
 * completes, the task re-run elsewhere), and Redis stopped and restarted mid-run (a private
 * `redis-server` on a free port).
 */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ExecutionResultJson } from '../../src/engine/serialize.js';
import { runJorm } from '../helpers/cli.js';
import {
  deletePrefix,
  freshPrefix,
  type PrivateRedis,
  REDIS_URL,
  redisSkip,
  startJorm,
  startPrivateRedis,
  startWorker,
  type WorkerProcess,
  waitForFile,
} from './helpers.js';

const skip = await redisSkip();
const FAST_STALL = ['--lock-duration', '4s', '--stalled-interval', '1s']; // short, yet safe on a busy machine
const noRedisServer =
  spawnSync('redis-server', ['--version']).status === 0 || process.env['JORM_REQUIRE_ALL_TESTS'] === '1'
    ? false
    : 'redis-server is not installed';

const GATED = `dag: gated
tasks:
  - id: before
    type: shell
    command: echo before
  - id: gated
    type: shell
    depends_on: [before]
    command: |
      echo run >> runs
      touch started
      while [ ! -e gate ]; do sleep 0.02; done
      echo gated done
  - id: after
    type: shell
    depends_on: [gated]
    command: echo after
`;

describe('faults during jorm run --backend bullmq', () => {
  const workers: WorkerProcess[] = [];
  const redises: PrivateRedis[] = [];
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jorm-run-faults-'));
  });

  const prefixes: string[] = [];

  after(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await Promise.all(redises.map((r) => r.stop()));
    await Promise.all(prefixes.map((p) => deletePrefix(p)));
    await rm(dir, { recursive: true, force: true });
  });

  async function workdir(name: string): Promise<string> {
    const cwd = await mkdtemp(join(dir, `${name}-`));
    await writeFile(join(cwd, 'dag.yaml'), GATED);
    return cwd;
  }

  it('completes the DAG when the worker running a task is killed with SIGKILL', { skip }, async () => {
    const prefix = freshPrefix();
    prefixes.push(prefix);
    const first = await startWorker(prefix, FAST_STALL);
    workers.push(first);
    const cwd = await workdir('sigkill');
    const state = ['--state', join(cwd, 'state.db')];
    const args = ['run', 'dag.yaml', '--backend', 'bullmq', '--redis', REDIS_URL, ...state, '--json'];
    const run = startJorm(args, { cwd, env: { JORM_REDIS_PREFIX: prefix } });
    await waitForFile(join(cwd, 'started'));
    const second = await startWorker(prefix, FAST_STALL);
    workers.push(second);
    await first.stop('SIGKILL');
    await writeFile(join(cwd, 'gate'), '');
    assert.equal(await run.exited, 0, run.stderr());
    const result = JSON.parse(run.stdout()) as ExecutionResultJson;
    const gated = result.taskResults['gated'];
    assert.equal(gated?.status, 'success');
    assert.equal(gated?.metadata['stalled'], '1', 'shown as a re-run after a stall');
    assert.equal(gated?.metadata['runs'], '2');
    assert.equal(gated?.retryCount, 1, 'the lost run counts as an attempt');
    assert.match(
      run.stderr(),
      /retrying\s+gated in 0ms \(attempt 1: the worker running it stopped responding/,
    );
    assert.match(run.stderr(), /started\s+gated \(attempt 2\)/);
    assert.equal(gated?.metadata['workerPid'], String(second.pid));
    assert.equal(result.taskResults['after']?.stdout, 'after\n');
    assert.equal((await readFile(join(cwd, 'runs'), 'utf8')).trim().split('\n').length, 2);
    // The state database keeps both attempts: the lost run as failed, the re-run as succeeded.
    const show = await runJorm(['show', result.executionId, ...state, '--json'], { cwd });
    assert.equal(show.code, 0, show.stderr);
    const shown = JSON.parse(show.stdout) as {
      tasks: Array<{
        taskId: string;
        attemptRecords: Array<{ attempt: number; status: string; metadata: Record<string, string> }>;
      }>;
    };
    const records = shown.tasks.find((t) => t.taskId === 'gated')?.attemptRecords ?? [];
    assert.deepEqual(
      records.map((r) => [r.attempt, r.status, r.metadata['lost'] ?? '']),
      [
        [1, 'failed', 'true'],
        [2, 'success', ''],
      ],
    );
  });

  it('waits while Redis restarts, then completes the DAG', { skip: noRedisServer }, async () => {
    const redis = await startPrivateRedis();
    redises.push(redis);
    workers.push(await startWorker('restart', ['--lock-duration', '2s'], redis.url));
    const cwd = await workdir('restart');
    const args = ['run', 'dag.yaml', '--backend', 'bullmq', '--redis', redis.url, '--no-state', '--json'];
    const run = startJorm(args, { cwd, env: { JORM_REDIS_PREFIX: 'restart' } });
    await waitForFile(join(cwd, 'started'));
    await redis.stop();
    await redis.restart();
    await writeFile(join(cwd, 'gate'), '');
    assert.equal(await run.exited, 0, run.stderr());
    const result = JSON.parse(run.stdout()) as ExecutionResultJson;
    assert.equal(result.status, 'success');
    assert.equal(
      result.taskResults['gated']?.metadata['requeued'],
      '1',
      'the job Redis lost was enqueued again',
    );
    assert.equal(result.taskResults['after']?.stdout, 'after\n');
  });
});
