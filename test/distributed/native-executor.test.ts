/**
 * The engine with the BullMQ backend: a mixed DAG (shell, Python, file tasks) spread over two real
 * workers, retries, and timeouts that kill the remote process tree.
 */

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BullMQBackend } from '../../src/distributed/bullmq-backend.js';
import type { ExecutionEvent } from '../../src/engine/events.js';
import { NativeExecutor } from '../../src/engine/native-executor.js';
import { Dag } from '../../src/model/dag.js';
import { Task } from '../../src/model/task.js';
import {
  deletePrefix,
  freshPrefix,
  isAlive,
  REDIS_URL,
  redisSkip,
  startWorker,
  type WorkerProcess,
} from './helpers.js';

const skip = await redisSkip();

describe('NativeExecutor with the BullMQ backend', { skip }, () => {
  const prefix = freshPrefix();
  let workers: WorkerProcess[] = [];
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jorm-native-dist-'));
    workers = await Promise.all([
      startWorker(prefix, ['--concurrency', '1']),
      startWorker(prefix, ['--concurrency', '1']),
    ]);
  });

  after(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGTERM')));
    await deletePrefix(prefix);
    await rm(dir, { recursive: true, force: true });
  });

  function executor(): NativeExecutor {
    const backend = new BullMQBackend({ connection: REDIS_URL, prefix });
    return new NativeExecutor(
      { maxConcurrentTasks: 4, workingDirectory: dir, killGracePeriod: 500 },
      { backend },
    );
  }

  it('runs a mixed DAG with its tasks spread over both workers', async () => {
    const barrier = (id: string) =>
      Task.shell(
        id,
        `touch "started-${id}"; i=0; while [ "$(ls | grep -c started-)" -lt 2 ]; do i=$((i+1)); [ $i -gt 400 ] && exit 9; sleep 0.05; done; echo "${id} ok"`,
      ).addDependency('prep');
    const dag = new Dag('mixed');
    dag.environment = { GREETING: 'hello from the DAG' };
    dag
      .addTask(Task.shell('prep', 'echo "$GREETING"; echo \'{"n": 3}\' > data.json', {}))
      .addTask(
        new Task('py', 'py', 'python', {
          kind: 'python_script',
          script: 'import json\nprint("n is", json.load(open("data.json"))["n"])\n',
          args: [],
        }).addDependency('prep'),
      )
      .addTask(
        new Task('write', 'write', 'file', {
          kind: 'file_operation',
          operation: 'create',
          destination: 'made.txt',
          options: { content: 'made remotely\n' },
        }).addDependency('prep'),
      )
      .addTask(barrier('left'))
      .addTask(barrier('right'))
      .addTask(
        Task.shell('merge', 'cat made.txt')
          .addDependency('py')
          .addDependency('write')
          .addDependency('left')
          .addDependency('right'),
      );
    const events: ExecutionEvent[] = [];
    const engine = executor();
    try {
      const result = await engine.executeDag(dag, { onEvent: (e) => events.push(e) });
      assert.equal(result.status, 'success', JSON.stringify(result.taskResults, null, 1));
      const r = result.taskResults;
      assert.equal(r['prep']?.stdout, 'hello from the DAG\n');
      assert.equal(r['py']?.stdout, 'n is 3\n');
      assert.equal(r['merge']?.stdout, 'made remotely\n');
      const pids = new Set(workers.map((w) => String(w.pid)));
      for (const id of dag.taskIds) {
        assert.equal(r[id]?.metadata['backend'], 'bullmq', id);
        assert.ok(pids.has(r[id]?.metadata['workerPid'] ?? ''), `${id} ran on a test worker`);
      }
      assert.notEqual(r['left']?.metadata['workerPid'], r['right']?.metadata['workerPid']);
      const output = events.filter((e) => e.type === 'task_output' && e.taskId === 'py');
      assert.ok(output.length > 0, 'remote output reached the engine as task_output events');
    } finally {
      await engine.close();
    }
  });

  it('retries a failing task through the workers', async () => {
    const dag = new Dag('retry').addTask(
      Task.shell('flaky', 'echo "try $JORM_ATTEMPT"; exit 3').withRetry({ maxAttempts: 2, initialDelay: 10 }),
    );
    const engine = executor();
    try {
      const result = await engine.executeDag(dag);
      const flaky = result.taskResults['flaky'];
      assert.equal(flaky?.status, 'failed');
      assert.equal(flaky?.retryCount, 1);
      assert.equal(flaky?.exitCode, 3);
      assert.equal(flaky?.stdout, 'try 2\n');
    } finally {
      await engine.close();
    }
  });

  it('times a task out and kills its process tree on the worker', async () => {
    const pidFile = join(dir, 'slow.pid');
    const dag = new Dag('slow').addTask(
      Task.shell('slow', `sleep 60 & echo $! > "${pidFile}"; wait`).withTimeout(1500),
    );
    const engine = executor();
    try {
      const result = await engine.executeDag(dag);
      assert.equal(result.taskResults['slow']?.status, 'timed_out');
      const pid = Number((await readFile(pidFile, 'utf8')).trim());
      assert.equal(isAlive(pid), false, 'the remote grandchild is gone');
    } finally {
      await engine.close();
    }
  });
});
