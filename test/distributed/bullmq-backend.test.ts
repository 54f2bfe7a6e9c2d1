/**
 * The BullMQ backend with two real `jorm worker` processes on the test Redis, driven directly through
 * `runAttempt`: tasks spread over both workers, live output, environment and working directory, tags
 * routing, secrets on the wire.
 */

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { BullMQBackend } from '../../src/distributed/bullmq-backend.js';
import { JormKeys } from '../../src/distributed/keys.js';
import type { TaskResult } from '../../src/model/result.js';
import { Task } from '../../src/model/task.js';
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

describe('BullMQBackend with two workers', { skip }, () => {
  const prefix = freshPrefix();
  let plain: WorkerProcess;
  let gpu: WorkerProcess;
  let backend: BullMQBackend;
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jorm-dist-'));
    [plain, gpu] = await Promise.all([
      startWorker(prefix, ['--concurrency', '1']),
      startWorker(prefix, ['--concurrency', '1', '--tags', 'gpu']),
    ]);
    backend = new BullMQBackend({ connection: REDIS_URL, prefix });
  });

  after(async () => {
    await backend?.close();
    await Promise.all([plain?.stop('SIGTERM'), gpu?.stop('SIGTERM')]);
    await deletePrefix(prefix);
    await rm(dir, { recursive: true, force: true });
  });

  it('runs two tasks at once on the two workers (each runs one at a time)', async () => {
    // Each task waits until both have started: with concurrency 1 per worker, only two workers can do that.
    const barrier = (id: string): Task =>
      shellTask(
        id,
        `touch "${dir}/started-${id}"; i=0; while [ "$(ls "${dir}" | grep -c started-)" -lt 2 ]; do i=$((i+1)); [ $i -gt 400 ] && exit 9; sleep 0.05; done; echo "${id} done"`,
      );
    const a = makeContext('a');
    const b = makeContext('b', { executionId: a.context.executionId });
    const [ra, rb] = await Promise.all([
      backend.runAttempt(barrier('a'), a.context, unused),
      backend.runAttempt(barrier('b'), b.context, unused),
    ]);
    assert.equal(ra.exitCode, 0);
    assert.equal(rb.exitCode, 0);
    assert.equal(ra.stdout, 'a done\n');
    assert.deepEqual(
      new Set([ra.metadata?.['workerPid'], rb.metadata?.['workerPid']]),
      new Set([String(plain.pid), String(gpu.pid)]),
    );
    assert.equal(ra.metadata?.['backend'], 'bullmq');
  });

  it('streams output to the coordinator while the task runs', async () => {
    const gate = join(dir, 'gate');
    const task = shellTask(
      'stream',
      `echo first; echo warn >&2; while [ ! -e "${gate}" ]; do sleep 0.02; done; echo second`,
    );
    const { context, log } = makeContext('stream');
    const result = backend.runAttempt(task, context, unused);
    await log.waitFor('stdout', 'first\n');
    await log.waitFor('stderr', 'warn\n');
    assert.equal(log.text('stdout'), 'first\n', 'the task is still waiting for the gate');
    await import('node:fs/promises').then((fs) => fs.writeFile(gate, ''));
    const outcome = await result;
    assert.equal(outcome.stdout, 'first\nsecond\n');
    assert.equal(outcome.stderr, 'warn\n');
    assert.equal(log.text('stdout'), 'first\nsecond\n');
  });

  it('gives the task the variables set for it, the upstream results and the working directory', async () => {
    const task = new Task('look', 'look', 'inspect', {
      kind: 'custom',
      values: { names: ['FROM_DAG', 'JORM_TASK_ID', 'HOME', 'JORM_PAYLOAD_KEY'] },
    }).addDependency('up');
    const upstream: TaskResult = {
      taskId: 'up',
      status: 'success',
      startedAt: new Date(),
      completedAt: new Date(),
      duration: 5,
      stdout: 'big output',
      stderr: '',
      exitCode: 0,
      retryCount: 0,
      outputData: { rows: 3 },
      metadata: {},
    };
    const { context } = makeContext('look', {
      upstream: { up: upstream },
      workingDirectory: dir,
      attempt: 2,
    });
    context.environment = { ...context.environment, FROM_DAG: 'dag value', JORM_TASK_ID: 'look' };
    const outcome = await backend.runAttempt(task, context, unused);
    const data = outcome.outputData as {
      env: Record<string, string | null>;
      upstream: Record<string, unknown>;
      workingDirectory: string;
      attempt: number;
    };
    assert.equal(data.env['FROM_DAG'], 'dag value');
    assert.equal(data.env['JORM_TASK_ID'], 'look');
    assert.equal(data.env['HOME'], process.env['HOME'] ?? null, "the worker's own HOME stands in");
    assert.equal(data.env['JORM_PAYLOAD_KEY'], null);
    assert.deepEqual(
      data.upstream,
      { up: { status: 'success', outputData: { rows: 3 } } },
      'direct dependencies only',
    );
    assert.equal(data.workingDirectory, dir);
    assert.equal(data.attempt, 2);
  });

  it("sends a variable set explicitly even when the coordinator's own environment has the same value", async () => {
    // The coordinator's shell has both (the workers, started before, have neither).
    process.env['JORM_TEST_EXPLICIT'] = 'eu-west-9';
    process.env['JORM_TEST_INHERITED'] = 'from-shell';
    const coordinator = new BullMQBackend({ connection: REDIS_URL, prefix });
    try {
      const task = new Task('explicit', 'explicit', 'inspect', {
        kind: 'custom',
        values: { names: ['JORM_TEST_EXPLICIT', 'JORM_TEST_INHERITED'] },
      });
      const { context } = makeContext('explicit');
      // JORM_TEST_EXPLICIT was set by the DAG: only the other one came from the coordinator's environment.
      const inherited = new Set(Object.keys(context.environment));
      inherited.delete('JORM_TEST_EXPLICIT');
      context.inheritedVariables = inherited;
      const outcome = await coordinator.runAttempt(task, context, unused);
      const env = (outcome.outputData as { env: Record<string, string | null> }).env;
      assert.equal(env['JORM_TEST_EXPLICIT'], 'eu-west-9', 'travels with the job');
      assert.equal(env['JORM_TEST_INHERITED'], null, "inherited: the worker's own environment stands in");
    } finally {
      await coordinator.close();
      delete process.env['JORM_TEST_EXPLICIT'];
      delete process.env['JORM_TEST_INHERITED'];
    }
  });

  it('drops from the worker environment what the coordinator removed from the task environment', async () => {
    const task = new Task('unset', 'unset', 'inspect', {
      kind: 'custom',
      values: { names: ['HOME', 'PATH'] },
    });
    const { context } = makeContext('unset');
    const { HOME: _home, ...withoutHome } = context.environment;
    context.environment = withoutHome;
    const outcome = await backend.runAttempt(task, context, unused);
    const env = (outcome.outputData as { env: Record<string, string | null> }).env;
    assert.equal(env['HOME'], null);
    assert.equal(env['PATH'], process.env['PATH']);
  });

  it('routes a task with tags only to a worker that has them', async () => {
    for (let i = 0; i < 3; i++) {
      const { context } = makeContext(`gpu${i}`);
      const outcome = await backend.runAttempt(shellTask(`gpu${i}`, 'echo ok', ['gpu']), context, unused);
      assert.equal(outcome.metadata?.['workerPid'], String(gpu.pid));
      assert.equal(outcome.metadata?.['queue'], 'jorm@gpu');
    }
  });

  it('masks secrets on the worker: neither the channel nor the stored result carries them', async () => {
    const secret = 'hunter2-very-secret';
    const keys = new JormKeys(prefix);
    const { context, log } = makeContext('secret', { secrets: [secret] });
    context.environment = { ...context.environment, SECRET_TOKEN: secret };
    const spy = new Redis(REDIS_URL);
    const wire: string[] = [];
    spy.on('message', (_c: string, m: string) => wire.push(m));
    await spy.subscribe(keys.executionChannel(context.executionId));
    const task = shellTask('secret', 'echo "token=$SECRET_TOKEN"; echo "again $SECRET_TOKEN" >&2');
    try {
      const outcome = await backend.runAttempt(task, context, unused);
      assert.equal(outcome.stdout, 'token=***\n');
      assert.equal(outcome.stderr, 'again ***\n');
      assert.equal(log.text('stdout'), 'token=***\n');
      assert.ok(wire.length >= 2, 'output and result went over the channel');
      for (const message of wire) assert.ok(!message.includes(secret), `secret on the wire: ${message}`);
      const jobId = outcome.metadata?.['jobId'] ?? '';
      const queue = new Queue('jorm', { connection: { url: REDIS_URL }, prefix });
      const job = await queue.getJob(jobId);
      await queue.close();
      assert.ok(job);
      assert.ok(!JSON.stringify(job.returnvalue).includes(secret));
      assert.ok(!JSON.stringify(job.data).includes(secret), 'the job body was scrubbed after the run');
    } finally {
      spy.disconnect();
    }
  });

  it('fails an attempt whose task type no worker knows, naming the type and the fix', async () => {
    const task = new Task('odd', 'odd', 'no-such-type', { kind: 'custom', values: {} });
    const { context } = makeContext('odd');
    const outcome = await backend.runAttempt(task, context, unused);
    assert.equal(outcome.status, 'failed');
    assert.match(
      outcome.errorMessage ?? '',
      /task type "no-such-type" has no executor on worker .*--register/,
    );
  });

  it('reports a failing command with its exit code and stderr', async () => {
    const { context } = makeContext('bad');
    const outcome = await backend.runAttempt(shellTask('bad', 'echo broken >&2; exit 3'), context, unused);
    assert.equal(outcome.exitCode, 3);
    assert.equal(outcome.stderr, 'broken\n');
  });
});
