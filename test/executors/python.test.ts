import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { outcomeSucceeded } from '../../src/engine/task-executor.js';
import { PythonTaskExecutor } from '../../src/executors/python.js';
import { ValidationError } from '../../src/model/errors.js';
import { type PythonFunctionTaskConfig, Task } from '../../src/model/task.js';
import { makeContext } from './context.js';

const PY_DIR = resolve('test/fixtures/executors/py');
/** A real python3; a direct path when there is one (version-manager shims are slow to start). */
const PYTHON =
  process.env['JORM_TEST_PYTHON'] ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

function scriptTask(script: string, args: string[] = [], extra: { pythonPath?: string } = {}): Task {
  return new Task('t', 't', 'python', { kind: 'python_script', script, args, ...extra });
}

function functionTask(
  fn: string,
  args: unknown[] = [],
  kwargs: Record<string, unknown> = {},
  module = 'funcs',
): Task {
  const config: PythonFunctionTaskConfig = { kind: 'python_function', module, function: fn, args, kwargs };
  return new Task('t', 't', 'python', config);
}

describe('PythonTaskExecutor', () => {
  const executor = PythonTaskExecutor.withPythonPath(PYTHON);
  const run = (task: Task, env: Record<string, string> = {}) =>
    executor.execute(
      task,
      makeContext({
        workingDirectory: PY_DIR,
        environment: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', PYTHONDONTWRITEBYTECODE: '1', ...env },
      }),
    );

  it('runs a script file with arguments, relative to the working directory, with it on sys.path', async () => {
    const outcome = await run(scriptTask('greet.py', ['a b', 'c']), { GREETING: 'hey' });
    assert.equal(outcome.exitCode, 0, outcome.stderr);
    assert.equal(outcome.stdout, `args: a b c\ncwd: ${PY_DIR}\ngreeting: hey\nhelper: from helper_module\n`);
  });

  it('runs an inline script (a value with newlines) with its arguments', async () => {
    const outcome = await run(scriptTask('import sys\nprint("inline", sys.argv[1:])\n', ['x']));
    assert.equal(outcome.stdout, "inline ['x']\n");
    assert.ok(outcomeSucceeded(outcome));
  });

  it('fails with the exit code and the last line of stderr', async () => {
    const outcome = await run(scriptTask('import sys\nsys.stderr.write("bad input\\n")\nsys.exit(4)\n'));
    assert.equal(outcome.exitCode, 4);
    assert.equal(outcome.errorMessage, 'exited with code 4: bad input');
  });

  it('calls a function with JSON args and kwargs; its return value becomes outputData', async () => {
    const outcome = await run(functionTask('add', [2, 3], { scale: 10 }));
    assert.equal(outcome.exitCode, 0, outcome.stderr);
    assert.deepEqual(outcome.outputData, { sum: 50, cwd: PY_DIR });
    assert.equal(outcome.stdout, 'adding 2 3\n', "the function's prints stay in stdout");
  });

  it('supports strings, None, coroutine functions and dotted names', async () => {
    const [greet, nothing, later, double] = await Promise.all([
      run(functionTask('greet', ['jorm'], { punctuation: '?' })),
      run(functionTask('nothing')),
      run(functionTask('later', ['v'])),
      run(functionTask('Tools.double', [21])),
    ]);
    assert.equal(greet.outputData, 'hello jorm?');
    assert.equal(nothing.outputData, null);
    assert.deepEqual(later.outputData, ['v', 'v']);
    assert.equal(double.outputData, 42);
  });

  it('fails on an exception, with the traceback in stderr', async () => {
    const outcome = await run(functionTask('fail', ['boom']));
    assert.equal(outcome.exitCode, 1);
    assert.match(outcome.stderr ?? '', /Traceback \(most recent call last\):/);
    assert.match(outcome.stderr ?? '', /funcs\.py", line \d+, in _inner/);
    assert.doesNotMatch(outcome.stderr ?? '', /<string>/, 'the bootstrap frames are hidden');
    assert.equal(outcome.errorMessage, 'exited with code 1: ValueError: boom');
    assert.equal(outcome.outputData, undefined);
  });

  it('explains a return value that is not JSON, a missing module and a missing function', async () => {
    const [notJson, noModule, noFunction] = await Promise.all([
      run(functionTask('not_json')),
      run(functionTask('f', [], {}, 'no_such_module_jorm')),
      run(functionTask('missing')),
    ]);
    assert.equal(outcomeSucceeded(notJson), false);
    assert.match(notJson.errorMessage ?? '', /not JSON-serializable/);
    assert.match(noModule.errorMessage ?? '', /cannot import module 'no_such_module_jorm'/);
    assert.match(noFunction.errorMessage ?? '', /module 'funcs' has no function 'missing'/);
  });

  it('says when the script or the interpreter does not exist', async () => {
    const noScript = await run(scriptTask('nope.py'));
    assert.equal(noScript.errorMessage, `Python script "nope.py" not found (looked in ${PY_DIR})`);
    const noPython = await run(scriptTask('greet.py', [], { pythonPath: 'python-does-not-exist-jorm' }));
    assert.match(noPython.errorMessage ?? '', /Python interpreter "python-does-not-exist-jorm" not found/);
    const viaExecutor = await PythonTaskExecutor.withPythonPath('python-missing-too').execute(
      scriptTask('greet.py'),
      makeContext({ workingDirectory: PY_DIR }),
    );
    assert.match(viaExecutor.errorMessage ?? '', /Python interpreter "python-missing-too" not found/);
  });

  it('runs python3 from the PATH by default', async () => {
    const outcome = await new PythonTaskExecutor().execute(
      scriptTask('import sys\nprint(sys.version_info[0])\n'),
      makeContext({ workingDirectory: PY_DIR }),
    );
    assert.equal(outcome.stdout, '3\n');
    assert.equal(outcome.metadata?.['python'], 'python3');
  });

  it('validates its tasks', () => {
    assert.doesNotThrow(() => executor.validateTask(functionTask('add', [1], { a: 1 })));
    assert.throws(() => executor.validateTask(scriptTask('')), ValidationError);
    const badArgs = new Task('t', 't', 'python', {
      kind: 'python_script',
      script: 'a.py',
      args: [1] as unknown as string[],
    });
    assert.throws(() => executor.validateTask(badArgs), /"args" must be a list of strings/);
    const badKwargs = functionTask('f', [], [] as unknown as Record<string, unknown>);
    assert.throws(() => executor.validateTask(badKwargs), /"kwargs" must be a map/);
    assert.throws(() => executor.validateTask(Task.shell('t', 'echo')), /needs a "script"/);
    assert.equal(PythonTaskExecutor.withTimeout(5000).defaultTimeout(), 5000);
  });
});
