import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { TaskRegistry } from '../../src/engine/registry.js';
import { outcomeSucceeded } from '../../src/engine/task-executor.js';
import { defaultExecutors } from '../../src/executors/defaults.js';
import { JormTaskExecutor } from '../../src/executors/jorm.js';
import { Task } from '../../src/model/task.js';
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
