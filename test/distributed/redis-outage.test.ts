/**
 * Redis unreachable: the run waits and continues when Redis comes back (a private redis-server stopped
 * and restarted empty), and fails with a clear message past the limit.
 */

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { BullMQBackend } from '../../src/distributed/bullmq-backend.js';
import { RedisUnavailableError } from '../../src/distributed/errors.js';
import {
  freePort,
  makeContext,
  type PrivateRedis,
  shellTask,
  startPrivateRedis,
  startWorker,
  unused,
  type WorkerProcess,
} from './helpers.js';

const hasRedisServer = await import('node:child_process').then(
  ({ spawnSync }) => spawnSync('redis-server', ['--version']).status === 0,
);
const skip =
  hasRedisServer || process.env['JORM_REQUIRE_ALL_TESTS'] === '1' ? false : 'redis-server is not installed';

describe('Redis outages', { skip }, () => {
  const redises: PrivateRedis[] = [];
  const workers: WorkerProcess[] = [];

  after(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await Promise.all(redises.map((r) => r.stop()));
  });

  it('fails with a clear message when Redis never answers within the limit', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const backend = new BullMQBackend({ connection: url, unreachableTimeout: 300 });
    try {
      const { context } = makeContext('t');
      await assert.rejects(backend.runAttempt(shellTask('t', 'true'), context, unused), (error) => {
        assert.ok(error instanceof RedisUnavailableError);
        assert.match(
          error.message,
          /^Redis at redis:\/\/127\.0\.0\.1:\d+ has been unreachable for .* \(limit 300ms\)/,
        );
        return true;
      });
    } finally {
      await backend.close();
    }
  });

  it('waits while Redis restarts (empty) and runs the lost job again', async () => {
    const redis = await startPrivateRedis();
    redises.push(redis);
    const worker = await startWorker('outage', ['--lock-duration', '2s'], redis.url);
    workers.push(worker);
    const backend = new BullMQBackend({
      connection: redis.url,
      prefix: 'outage',
      unreachableTimeout: 30_000,
    });
    try {
      const { context, log } = makeContext('survivor');
      const running = backend.runAttempt(
        shellTask('survivor', 'echo started; sleep 0.3; echo done'),
        context,
        unused,
      );
      await log.waitFor('stdout', 'started');
      await redis.stop();
      await redis.restart();
      const outcome = await running;
      assert.equal(outcome.exitCode, 0);
      assert.equal(outcome.stdout, 'started\ndone\n');
      assert.equal(outcome.metadata?.['requeued'], '1');
    } finally {
      await backend.close();
    }
  });

  it('fails the running attempt when Redis stays away past the limit', async () => {
    const redis = await startPrivateRedis();
    redises.push(redis);
    const worker = await startWorker('gone', [], redis.url);
    workers.push(worker);
    const backend = new BullMQBackend({ connection: redis.url, prefix: 'gone', unreachableTimeout: 500 });
    try {
      const { context, log } = makeContext('orphan');
      const running = backend.runAttempt(shellTask('orphan', 'echo started; sleep 5'), context, unused);
      await log.waitFor('stdout', 'started');
      await redis.stop();
      await assert.rejects(running, RedisUnavailableError);
    } finally {
      await backend.close();
    }
  });
});
