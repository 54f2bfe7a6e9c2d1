import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { outcomeSucceeded } from '../../src/engine/task-executor.js';
import { ShellTaskExecutor } from '../../src/executors/shell.js';
import { TaskTimeoutError, ValidationError } from '../../src/model/errors.js';
import { Task } from '../../src/model/task.js';
import { goneWithin } from '../helpers/processes.js';
import { tempDir } from '../process/process-helpers.js';
import { makeContext } from './context.js';

function installed(program: string): boolean {
  try {
    execFileSync('/bin/sh', ['-c', `command -v ${program}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

for (const launcher of ['spawn', 'fork-server'] as const) {
  describe(`ShellTaskExecutor (${launcher})`, () => {
    const executor = new ShellTaskExecutor({ launcher });
    let dir: Awaited<ReturnType<typeof tempDir>>;
    before(async () => {
      dir = await tempDir();
    });
    after(() => dir.remove());
    const run = (task: Task, options: Partial<Parameters<typeof makeContext>[0]> = {}) =>
      executor.execute(task, makeContext({ workingDirectory: dir.path, ...options }));

    it('runs a command with sh in the working directory and environment of the context', async () => {
      const env = { PATH: process.env['PATH'] ?? '/bin', WHO: 'jorm' };
      const outcome = await run(Task.shell('t', 'echo "hi $WHO"; pwd; echo oops >&2'), { environment: env });
      assert.equal(outcome.stdout, `hi jorm\n${await realpath(dir.path)}\n`);
      assert.equal(outcome.stderr, 'oops\n');
      assert.equal(outcome.exitCode, 0);
      assert.ok(outcomeSucceeded(outcome));
      assert.equal(outcome.metadata?.['shell'], 'sh');
      assert.equal(outcome.metadata?.['launcher'], launcher);
    });

    it('reports a non-zero exit code as a failure', async () => {
      const outcome = await run(Task.shell('t', 'exit 7'));
      assert.equal(outcome.exitCode, 7);
      assert.equal(outcomeSucceeded(outcome), false);
    });

    it('says when the command was not found', async () => {
      const outcome = await run(Task.shell('t', 'definitely-not-a-command-jorm'));
      assert.equal(outcome.exitCode, 127);
      assert.match(outcome.errorMessage ?? '', /command not found .*definitely-not-a-command-jorm/);
    });

    it('says when the working directory does not exist', async () => {
      const missing = join(dir.path, 'nope');
      const outcome = await run(Task.shell('t', 'echo hi'), { workingDirectory: missing });
      assert.equal(outcome.status, 'failed');
      assert.equal(outcome.errorMessage, `working directory "${missing}" does not exist`);
    });

    it('runs the task in the shell it names', { skip: !installed('bash') }, async () => {
      const outcome = await run(Task.shell('t', 'test -n "$BASH_VERSION" && echo bash', { shell: 'bash' }));
      assert.equal(outcome.stdout, 'bash\n');
      assert.equal(outcome.metadata?.['shell'], 'bash');
    });

    it('says when the shell itself is not installed', { skip: installed('fish') }, async () => {
      const outcome = await run(Task.shell('t', 'echo hi', { shell: 'fish' }));
      assert.equal(outcome.status, 'failed');
      assert.match(outcome.errorMessage ?? '', /cannot run "fish": not found/);
    });

    it('parses stdout as JSON or lines into outputData', async () => {
      const json = await run(Task.shell('t', `echo '{"n": 1, "list": [true]}'`, { output: 'json' }));
      assert.deepEqual(json.outputData, { n: 1, list: [true] });
      const lines = await run(Task.shell('t', 'printf "a\\nb\\n"', { output: 'lines' }));
      assert.deepEqual(lines.outputData, ['a', 'b']);
      const bad = await run(Task.shell('t', 'echo not json', { output: 'json' }));
      assert.equal(bad.status, 'failed');
      assert.match(bad.errorMessage ?? '', /stdout is not valid JSON/);
    });

    it('notes truncated output in metadata', async () => {
      const outcome = await run(Task.shell('t', 'seq 1 20000'), { outputLimit: 100 });
      assert.equal(Buffer.byteLength(outcome.stdout ?? ''), 100);
      assert.ok(outcome.stdout?.endsWith('19999\n20000\n'));
      assert.ok(Number(outcome.metadata?.['stdoutTruncatedBytes']) > 100_000);
    });

    it('streams output through onOutput', async () => {
      const chunks: string[] = [];
      await run(Task.shell('t', 'echo one; echo two >&2'), { onOutput: (s, c) => chunks.push(`${s}:${c}`) });
      assert.deepEqual(chunks.sort(), ['stderr:two\n', 'stdout:one\n']);
    });

    it('on timeout, kills the shell and the grandchild it started in the background', async () => {
      const controller = new AbortController();
      const pidFile = join(dir.path, 'bg.pid');
      const outcome = await run(Task.shell('t', `sleep 300 & echo $! > '${pidFile}'; echo started; wait`), {
        signal: controller.signal,
        onOutput: (_s, chunk) => {
          if (chunk.includes('started')) controller.abort(new TaskTimeoutError('t', 1000));
        },
      });
      assert.equal(outcome.metadata?.['signal'], 'SIGTERM');
      const grandchild = Number(await readFile(pidFile, 'utf8'));
      assert.ok(await goneWithin(grandchild), 'the background grandchild is gone');
    });

    it('validates its tasks', () => {
      assert.doesNotThrow(() =>
        executor.validateTask(Task.shell('t', 'echo', { shell: 'bash', output: 'json' })),
      );
      assert.throws(() => executor.validateTask(Task.shell('t', '')), ValidationError);
      assert.throws(
        () => executor.validateTask(Task.shell('t', 'echo', { shell: 'tcsh-like' })),
        /"shell" must be one of/,
      );
      const badOutput = Task.shell('t', 'echo', { output: 'xml' as 'json' });
      assert.throws(() => executor.validateTask(badOutput), /"output" must be one of text, json, lines/);
      const python = new Task('t', 't', 'shell', { kind: 'python_script', script: 'x.py', args: [] });
      assert.throws(() => executor.validateTask(python), /needs a "command"/);
    });

    it('has the reference constructors and defaults', () => {
      assert.equal(executor.taskType, 'shell');
      assert.equal(executor.supportsParallel(), true);
      assert.equal(executor.defaultTimeout(), 300_000);
      assert.equal(ShellTaskExecutor.withTimeout(1234).defaultTimeout(), 1234);
      assert.equal(ShellTaskExecutor.withShell('bash').shell, 'bash');
      assert.throws(() => new ShellTaskExecutor({ timeout: 0 }), /timeout must be/);
    });
  });
}
