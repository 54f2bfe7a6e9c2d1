import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { TaskRegistry } from '../../src/engine/registry.js';
import { outcomeSucceeded } from '../../src/engine/task-executor.js';
import { defaultExecutors } from '../../src/executors/defaults.js';
import { JormTaskExecutor } from '../../src/executors/jorm.js';
import { Task } from '../../src/model/task.js';
import { goneWithin, readPid } from '../helpers/processes.js';
import { makeContext } from './context.js';

const FIXTURES = resolve('test/fixtures/executors');

function jormTask(args: string[]): Task {
  return new Task('t', 't', 'jorm', { kind: 'jorm', args });
}

describe('JormTaskExecutor', () => {
  const executor = new JormTaskExecutor();
  const run = (args: string[]) =>
    executor.execute(
      jormTask(args),
      makeContext({
        workingDirectory: FIXTURES,
        environment: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1' },
      }),
    );

  it('runs the same jorm as a child process', async () => {
    const outcome = await run(['--version']);
    const pkg = JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as { version: string };
    assert.equal(outcome.stdout?.trim(), pkg.version);
    assert.ok(outcomeSucceeded(outcome));
    assert.equal(outcome.metadata?.['command'], 'jorm --version');
  });

  it('validates another DAG file, relative to the working directory', async () => {
    const ok = await run(['validate', 'valid.jorm']);
    assert.equal(ok.exitCode, 0, ok.stderr);
    assert.match(ok.stdout ?? '', /valid\.jorm: ok/);
    const broken = await run(['validate', 'invalid.jorm']);
    assert.equal(broken.exitCode, 2);
    assert.match(broken.stderr ?? '', /missing/);
  });

  it('stopped, lets the nested run end its own tasks before it is killed: none outlives it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jorm-nested-'));
    try {
      const pidFile = join(dir, 'stubborn.pid');
      // $$$$ is the file's escape for the shell's $$ (its pid).
      await writeFile(
        join(dir, 'inner.jorm'),
        `dag: inner\ntask stubborn {\n  type: shell\n  command: "trap '' TERM; echo $$$$ > ${pidFile}; sleep 30"\n}\n`,
      );
      const controller = new AbortController();
      const pending = executor.execute(
        jormTask(['run', 'inner.jorm', '--no-state', '--quiet']),
        makeContext({
          workingDirectory: dir,
          environment: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1' },
          signal: controller.signal,
          killGracePeriod: 500,
        }),
      );
      while (!existsSync(pidFile) || readFileSync(pidFile, 'utf8').trim() === '') await delay(20);
      controller.abort();
      await pending;
      // The nested jorm, given 500 ms (this run's grace) to kill its task, did so before it was killed.
      assert.ok(await goneWithin(readPid(pidFile), 1000), "the nested run's task is gone");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('validates its tasks', () => {
    assert.doesNotThrow(() => executor.validateTask(jormTask(['validate', 'x.jorm'])));
    assert.throws(
      () => executor.validateTask(jormTask([1] as unknown as string[])),
      /"command" must be a list/,
    );
  });
});

describe('defaultExecutors', () => {
  it('provides one executor of each built-in type to the registry', () => {
    assert.deepEqual(
      defaultExecutors().map((e) => e.taskType),
      ['shell', 'python', 'http', 'file', 'jorm'],
    );
    const registry = TaskRegistry.withDefaultExecutors();
    for (const type of ['shell', 'python', 'http', 'file', 'jorm']) assert.ok(registry.hasExecutor(type));
  });
});
