/**
 * Faults of workers and coordinators: a worker killed with SIGKILL mid-task (its job stalls and runs
 * again on another worker), and a coordinator replaced mid-run (the new one takes over the jobs of the
 * old one instead of running them twice).
 */

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BullMQBackend } from '../../src/distributed/bullmq-backend.js';
import { CancelledError } from '../../src/model/errors.js';
import {
  deletePrefix,
  freshPrefix,
  makeContext,
  REDIS_URL,
  redisSkip,
  shellTask,
  startWorker,
  unused,
  type WorkerProcess,
} from './helpers.js';

const skip = await redisSkip();
const FAST_STALL = ['--lock-duration', '4s', '--stalled-interval', '1s']; // short, yet safe on a busy machine

describe('worker and coordinator faults', { skip }, () => {
  const prefix = freshPrefix();
  const workers: WorkerProcess[] = [];
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jorm-faults-'));
    workers.push(await startWorker(prefix, ['--queue', 'stall,adopt,attach', ...FAST_STALL]));
  });

  after(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await deletePrefix(prefix);
    await rm(dir, { recursive: true, force: true });
  });

  it('gives a resumed coordinator the result of a task a worker already finished, without running it again', async () => {
    const counter = join(dir, 'adopt-runs');
    const task = shellTask('once', `echo run >> "${counter}"; echo ran`);
    const { context } = makeContext('once');
    const firstCoordinator = new BullMQBackend({ connection: REDIS_URL, prefix, queueName: 'adopt' });
    const first = await firstCoordinator.runAttempt(task, context, unused);
    await firstCoordinator.close();
    assert.equal(first.stdout, 'ran\n');
    const resumed = new BullMQBackend({ connection: REDIS_URL, prefix, queueName: 'adopt' });
    try {
      const again = makeContext('once', { executionId: context.executionId, attempt: 2 });
      const outcome = await resumed.runAttempt(task, again.context, unused);
      assert.equal(outcome.metadata?.['adopted'], 'true');
      assert.equal(outcome.stdout, 'ran\n');
      assert.equal((await readFile(counter, 'utf8')).trim().split('\n').length, 1, 'ran once');
      const retry = makeContext('once', { executionId: context.executionId, attempt: 3 });
      const rerun = await resumed.runAttempt(task, retry.context, unused);
      assert.equal(rerun.metadata?.['adopted'], undefined, 'only the first attempt of a task takes over');
    } finally {
      await resumed.close();
    }
  });

  it('lets a resumed coordinator wait for a job its predecessor left running', async () => {
    const counter = join(dir, 'attach-runs');
    const gate = join(dir, 'attach-gate');
    const task = shellTask(
      'long',
      `echo started; while [ ! -e "${gate}" ]; do echo tick; sleep 0.05; done; echo run >> "${counter}"; echo finished`,
    );
    const { context, log } = makeContext('long');
    const dead = new BullMQBackend({ connection: REDIS_URL, prefix, queueName: 'attach' });
    const abandoned = dead.runAttempt(task, context, unused);
    await log.waitFor('stdout', 'started');
    await dead.close();
    await assert.rejects(abandoned, CancelledError);
    const resumed = new BullMQBackend({ connection: REDIS_URL, prefix, queueName: 'attach' });
    try {
      const again = makeContext('long', { executionId: context.executionId, attempt: 2 });
      const outcome = resumed.runAttempt(task, again.context, unused);
      await again.log.waitFor('stdout', 'tick'); // the live output of the old job reaches the new coordinator
      await writeFile(gate, '');
      const result = await outcome;
      assert.match(result.stdout ?? '', /^started\n(tick\n)+finished\n$/);
      assert.equal(result.metadata?.['attached'], 'true');
      assert.equal((await readFile(counter, 'utf8')).trim().split('\n').length, 1, 'ran once');
    } finally {
      await resumed.close();
    }
  });

  it('runs the task of a worker killed with SIGKILL again on another worker, and says so', async () => {
    const first = workers[0] as WorkerProcess;
    const backend = new BullMQBackend({ connection: REDIS_URL, prefix, queueName: 'stall' });
    try {
      const lost: string[] = [];
      const { context, log } = makeContext('victim', { attemptLost: (reason) => lost.push(reason) });
      context.environment = { ...context.environment, JORM_ATTEMPT: '1' };
      const counter = join(dir, 'victim-runs');
      const gate = join(dir, 'victim-gate');
      const command = `echo run $JORM_ATTEMPT >> "${counter}"; echo started; while [ ! -e "${gate}" ]; do sleep 0.02; done; echo done`;
      const running = backend.runAttempt(shellTask('victim', command), context, unused);
      await log.waitFor('stdout', 'started');
      const second = await startWorker(prefix, ['--queue', 'stall,adopt,attach', ...FAST_STALL]);
      workers.push(second);
      await first.stop('SIGKILL');
      await writeFile(gate, ''); // lets the second run end (and the first run's orphaned shell)
      const outcome = await running;
      assert.equal(outcome.exitCode, 0);
      assert.equal(outcome.metadata?.['workerPid'], String(second.pid));
      assert.equal(outcome.metadata?.['stalled'], '1');
      assert.equal(outcome.metadata?.['runs'], '2');
      assert.equal(lost.length, 1, 'the lost run was reported to the engine once');
      assert.match(lost[0] ?? '', /stopped responding .*stalled/);
      // The run after the lost one is attempt 2, as the engine records it, and says so to the task.
      assert.deepEqual((await readFile(counter, 'utf8')).trim().split('\n'), ['run 1', 'run 2']);
    } finally {
      await backend.close();
    }
  });
});
