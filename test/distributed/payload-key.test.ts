/** Job bodies sealed with a key shared by the coordinator and the workers (JORM_PAYLOAD_KEY). */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import { BullMQBackend } from '../../src/distributed/bullmq-backend.js';
import type { JobPayload } from '../../src/distributed/payload.js';
import { Task } from '../../src/model/task.js';
import {
  deletePrefix,
  freshPrefix,
  makeContext,
  REDIS_URL,
  redisSkip,
  startWorker,
  unused,
  type WorkerProcess,
} from './helpers.js';

const skip = await redisSkip();
const KEY = 'a-long-shared-key-for-the-tests-0123456789';

describe('sealed job bodies', { skip }, () => {
  const prefix = freshPrefix();
  let worker: WorkerProcess;
  let queue: Queue;

  before(async () => {
    worker = await startWorker(prefix, [], REDIS_URL, { JORM_PAYLOAD_KEY: KEY });
    queue = new Queue('jorm', { connection: { url: REDIS_URL }, prefix });
  });

  after(async () => {
    await queue?.close();
    await worker?.stop('SIGTERM');
    await deletePrefix(prefix);
  });

  it('keeps the task and its environment out of Redis in clear, and runs it', async () => {
    const backend = new BullMQBackend({ connection: REDIS_URL, prefix, payloadKey: KEY });
    try {
      const { context } = makeContext('sealed');
      context.environment = { ...context.environment, VISIBLE_ONLY_TO_TASK: 'plain-but-private' };
      const task = new Task('sealed', 'sealed', 'fixture-shell', {
        kind: 'custom',
        values: { command: 'echo "value=$VISIBLE_ONLY_TO_TASK"; echo "key=[$JORM_PAYLOAD_KEY]"' },
      });
      const outcome = await backend.runAttempt(task, context, unused);
      assert.equal(outcome.stdout, 'value=plain-but-private\nkey=[]\n', 'the worker key never reaches tasks');
      const job = await queue.getJob(outcome.metadata?.['jobId'] ?? '');
      const data = job?.data as JobPayload;
      assert.equal(data.body, undefined);
      assert.match(data.sealed ?? '', /^jorm1\./);
      const stored = JSON.stringify(data);
      assert.ok(
        !stored.includes('plain-but-private') &&
          !stored.includes('VISIBLE_ONLY_TO_TASK') &&
          !stored.includes('echo'),
      );
    } finally {
      await backend.close();
    }
  });

  it('fails the attempt with a clear message when the keys differ', async () => {
    const backend = new BullMQBackend({
      connection: REDIS_URL,
      prefix,
      payloadKey: 'another-key-of-enough-length',
    });
    try {
      const { context } = makeContext('wrong-key');
      const task = new Task('wrong-key', 'wrong-key', 'fixture-shell', {
        kind: 'custom',
        values: { command: 'true' },
      });
      const outcome = await backend.runAttempt(task, context, unused);
      assert.equal(outcome.status, 'failed');
      assert.match(
        outcome.errorMessage ?? '',
        /cannot decrypt the job body: the worker and the coordinator must use the same payload key/,
      );
    } finally {
      await backend.close();
    }
  });
});
