/**
 * Cancellation and timeouts reach the worker: the remote task's process tree is killed there; a job
 * no worker took yet is removed from its queue.
 */

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { Queue, QueueEvents } from 'bullmq';
import { BullMQBackend } from '../../src/distributed/bullmq-backend.js';
import { decodeResult } from '../../src/distributed/payload.js';
import { CancelledError, TaskTimeoutError } from '../../src/model/errors.js';
import type { Task } from '../../src/model/task.js';
import {
  deletePrefix,
  freshPrefix,
  isAlive,
  makeContext,
  REDIS_URL,
  redisSkip,
  shellTask,
  startWorker,
  unused,
  type WorkerProcess,
} from './helpers.js';

const skip = await redisSkip();

describe('cancelling remote tasks', { skip }, () => {
  const prefix = freshPrefix();
  let worker: WorkerProcess;
  let backend: BullMQBackend;
  let queue: Queue;
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jorm-cancel-'));
    worker = await startWorker(prefix, ['--concurrency', '2']);
    backend = new BullMQBackend({ connection: REDIS_URL, prefix });
    queue = new Queue('jorm', { connection: { url: REDIS_URL }, prefix });
  });

  after(async () => {
    await backend?.close();
    await queue?.close();
    await worker?.stop('SIGTERM');
    await deletePrefix(prefix);
    await rm(dir, { recursive: true, force: true });
  });

  /** A task whose shell starts a background sleep (a grandchild of the executor) and waits for it. */
  function treeTask(id: string): { task: Task; pidFile: string } {
    const pidFile = join(dir, `${id}.pid`);
    return { task: shellTask(id, `sleep 60 & echo $! > "${pidFile}"; echo started; wait`), pidFile };
  }

  it('kills the process tree on the worker when the attempt is cancelled', async () => {
    const { task, pidFile } = treeTask('tree');
    const { context, controller, log } = makeContext('tree');
    const running = backend.runAttempt(task, context, unused);
    await log.waitFor('stdout', 'started');
    const pid = Number((await readFile(pidFile, 'utf8')).trim());
    assert.ok(isAlive(pid), 'the grandchild runs');
    controller.abort(new CancelledError('stop it'));
    await assert.rejects(running, (error) => error instanceof CancelledError && error.message === 'stop it');
    assert.equal(isAlive(pid), false, 'the grandchild was killed on the worker');
    assert.match(worker.output(), /finished tree: stopped \(cancelled\)/);
  });

  it('kills the process tree when the attempt times out, and records why', async () => {
    const { task, pidFile } = treeTask('slow');
    const { context, controller, log } = makeContext('slow');
    const running = backend.runAttempt(task, context, unused);
    await log.waitFor('stdout', 'started');
    const pid = Number((await readFile(pidFile, 'utf8')).trim());
    controller.abort(new TaskTimeoutError('slow', 300));
    await assert.rejects(running, TaskTimeoutError);
    assert.equal(isAlive(pid), false);
    const line = await worker.waitFor(/finished slow: /);
    assert.match(line, /stopped \(timeout\)/);
    const jobId = /job (\S+)\)/.exec(line)?.[1] ?? '';
    // The worker logs before BullMQ has stored the job's return value: wait for it (bounded).
    let returned: unknown;
    for (let tries = 0; returned === undefined && tries < 250; tries++) {
      returned = (await queue.getJob(jobId))?.returnvalue ?? undefined;
      if (returned === undefined) await delay(20);
    }
    assert.equal(decodeResult(returned).aborted, 'timeout');
  });

  it('removes a job that no worker has taken', async () => {
    const connection = { url: REDIS_URL };
    const events = new QueueEvents('jorm@no-such-tag', { connection, prefix });
    const waiting = new Queue('jorm@no-such-tag', { connection, prefix });
    try {
      await events.waitUntilReady();
      const queued = once(events, 'waiting');
      const { context, controller } = makeContext('nowhere');
      const running = backend.runAttempt(
        shellTask('nowhere', 'echo never', ['no-such-tag']),
        context,
        unused,
      );
      await queued;
      assert.equal(await waiting.getWaitingCount(), 1);
      controller.abort(new CancelledError('no worker'));
      await assert.rejects(running, CancelledError);
      assert.equal(await waiting.getWaitingCount(), 0);
    } finally {
      await Promise.all([events.close(), waiting.close()]);
    }
  });

  it('rejects at once an attempt whose signal is already aborted', async () => {
    const { context, controller } = makeContext('early');
    controller.abort(new CancelledError('too late'));
    await assert.rejects(backend.runAttempt(shellTask('early', 'echo x'), context, unused), /too late/);
  });
});
