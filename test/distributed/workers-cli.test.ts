/**
 * `jorm worker` and `jorm workers` as real processes: heartbeats listing the live workers and what they
 * run, graceful shutdown, bad `--register` modules, an unreachable Redis.
 */

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { BullMQBackend } from '../../src/distributed/bullmq-backend.js';
import { listWorkers, type WorkerInfo } from '../../src/distributed/heartbeat.js';
import { JormKeys } from '../../src/distributed/keys.js';
import { Task } from '../../src/model/task.js';
import { runJorm, startJorm } from '../helpers/cli.js';
import {
  deletePrefix,
  freePort,
  freshPrefix,
  makeContext,
  REDIS_URL,
  redisSkip,
  startWorker,
  unused,
  type WorkerProcess,
} from './helpers.js';

const skip = await redisSkip();

describe('jorm worker and jorm workers', { skip }, () => {
  const prefix = freshPrefix();
  let small: WorkerProcess;
  let big: WorkerProcess;
  let backend: BullMQBackend;
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jorm-workers-'));
    [small, big] = await Promise.all([
      startWorker(prefix, ['--concurrency', '1']),
      startWorker(prefix, ['--concurrency', '3', '--tags', 'large,gpu', '--heartbeat', '200ms']),
    ]);
    backend = new BullMQBackend({ connection: REDIS_URL, prefix });
  });

  after(async () => {
    await backend?.close();
    await Promise.all([small?.stop(), big?.stop()]);
    await deletePrefix(prefix);
    await rm(dir, { recursive: true, force: true });
  });

  it('lists the live workers with their concurrency, tags and running tasks', async () => {
    const gate = join(dir, 'gate');
    const task = new Task('blocked', 'blocked', 'fixture-shell', {
      kind: 'custom',
      values: { command: `echo started; while [ ! -e "${gate}" ]; do sleep 0.02; done` },
    });
    task.tags = ['gpu'];
    const { context, log } = makeContext('blocked');
    const running = backend.runAttempt(task, context, unused);
    await log.waitFor('stdout', 'started');
    await big.waitFor(/started {2}blocked/);
    // The next heartbeat (every 200 ms) carries the running task.
    const redis = new Redis(REDIS_URL);
    try {
      while (!(await listWorkers(redis, new JormKeys(prefix))).some((w) => w.running.length > 0)) {
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      redis.disconnect();
    }
    const json = await runJorm(['workers', '--redis', REDIS_URL, '--prefix', prefix, '--json']);
    assert.equal(json.code, 0, json.stderr);
    const workers = JSON.parse(json.stdout) as WorkerInfo[];
    assert.deepEqual(workers.map((w) => w.pid).sort(), [small.pid, big.pid].sort());
    const gpu = workers.find((w) => w.pid === big.pid);
    assert.equal(gpu?.concurrency, 3);
    assert.deepEqual(gpu?.tags, ['gpu', 'large']);
    assert.deepEqual(
      gpu?.running.map((r) => [r.taskId, r.executionId]),
      [['blocked', context.executionId]],
    );
    const table = await runJorm(['workers', '--redis', REDIS_URL, '--prefix', prefix]);
    assert.equal(table.code, 0);
    assert.match(table.stdout, /^WORKER +HOST +PID +CONCURRENCY +TAGS +SEEN +RUNNING$/m);
    assert.match(table.stdout, new RegExp(`\\b${big.pid} +3 +gpu,large +\\S+ ago +1: blocked$`, 'm'));
    assert.match(table.stdout, new RegExp(`\\b${small.pid} +1 +- +\\S+ ago +-$`, 'm'));
    await writeFile(gate, '');
    assert.equal((await running).exitCode, 0);
  });

  it('finishes the running task on SIGTERM, then leaves the list', async () => {
    const gate = join(dir, 'gate-term');
    const task = new Task('last', 'last', 'fixture-shell', {
      kind: 'custom',
      values: { command: `echo started; while [ ! -e "${gate}" ]; do sleep 0.02; done; echo finished` },
    });
    task.tags = ['large'];
    const { context, log } = makeContext('last');
    const running = backend.runAttempt(task, context, unused);
    await log.waitFor('stdout', 'started');
    big.child.kill('SIGTERM');
    await writeFile(gate, '');
    const outcome = await running;
    assert.equal(outcome.stdout, 'started\nfinished\n');
    assert.equal(await big.exited, 0);
    const json = await runJorm(['workers', '--redis', REDIS_URL, '--prefix', prefix, '--json']);
    assert.deepEqual(
      (JSON.parse(json.stdout) as WorkerInfo[]).map((w) => w.pid),
      [small.pid],
    );
  });
});

describe('jorm worker and jorm workers without a usable setup', () => {
  it('refuses a --register module that exports nothing usable', async () => {
    const run = await runJorm(['worker', '--register', resolve('test/fixtures/distributed/nothing.mjs')]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /exports nothing to register: export a function register\(registry\)/);
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
  });

  it('says when Redis cannot be reached, without its password', async () => {
    const run = await runJorm(['workers', '--redis', `redis://:pa55word@127.0.0.1:${await freePort()}`]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^jorm: cannot read workers from Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+/);
    assert.match(run.stderr, /is Redis running there\? give its address with --redis URL or JORM_REDIS_URL/);
    assert.doesNotMatch(run.stderr, /pa55word|maxRetriesPerRequest/);
  });

  it('stops on SIGINT even when Redis cannot be reached', async () => {
    const worker = startJorm(['worker', '--redis', `redis://127.0.0.1:${await freePort()}`]);
    while (!worker.stderr().includes('connecting to')) await delay(20);
    await delay(300);
    worker.child.kill('SIGINT');
    // Before: it never exited (only SIGKILL ended it). Now it gives Redis 5 s to let it close.
    const code = await Promise.race([worker.exited, delay(30_000).then(() => 'still running')]);
    if (code === 'still running') worker.child.kill('SIGKILL');
    assert.equal(code, 130);
    assert.match(worker.stderr(), /Redis did not let the worker close within 5s; exiting/);
  });
});
