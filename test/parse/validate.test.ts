import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Dag } from '../../src/model/dag.js';
import { Task } from '../../src/model/task.js';
import { validateDag } from '../../src/parse/validate.js';

describe('validateDag on DAGs built in code', () => {
  it('finds nothing wrong with a valid DAG', () => {
    const dag = new Dag('ok');
    dag.addTask(Task.shell('a', 'echo a'));
    dag.addTask(Task.shell('b', 'echo b').addDependency('a'));
    assert.deepEqual(validateDag(dag), []);
  });

  it('reports unknown dependencies with a suggestion, and cycles with their path, without locations', () => {
    const dag = new Dag('bad');
    dag.addTask(Task.shell('build', 'x').addDependency('test'));
    dag.addTask(Task.shell('test', 'x').addDependency('build'));
    dag.addTask(Task.shell('deploy', 'x').addDependency('tset'));
    const problems = validateDag(dag);
    assert.deepEqual(
      problems.map((p) => [p.code, p.taskId, p.hint, p.location]),
      [
        ['unknown-dependency', 'deploy', 'did you mean "test"?', undefined],
        ['cycle', problems[1]!.taskId, undefined, undefined],
      ],
    );
    assert.match(problems[1]!.message, /^dependency cycle: (build -> test -> build|test -> build -> test)$/);
  });

  it('reports values the model allows but that cannot run', () => {
    const dag = new Dag('values');
    const empty = Task.shell('empty', '  ');
    empty.timeout = -5;
    empty.retryConfig = {
      maxAttempts: 0,
      initialDelay: -1,
      maxDelay: 10,
      backoff: 'fixed',
      multiplier: 2,
      retryOnTimeout: true,
    };
    dag.addTask(empty);
    dag.addTask(
      new Task('http', undefined, 'http', { kind: 'http_request', method: 'GET', url: '', headers: {} }),
    );
    dag.addTask(
      new Task('fn', undefined, 'python', {
        kind: 'python_function',
        module: 'm',
        function: '',
        args: [],
        kwargs: {},
      }),
    );
    dag.addTask(
      new Task('cp', undefined, 'file', {
        kind: 'file_operation',
        operation: 'copy',
        source: 'a',
        options: {},
      }),
    );
    dag.addTask(new Task('sub', undefined, 'jorm', { kind: 'jorm', args: [] }));
    dag.addTask(new Task(' ', undefined, '', { kind: 'custom', values: {} }));
    assert.deepEqual(
      validateDag(dag).map((p) => `${p.code} ${p.message}`),
      [
        'invalid-value task "empty": the timeout must be a positive number of milliseconds, not -5',
        'invalid-value task "empty": retry.maxAttempts must be a whole number of at least 1, not 0',
        'invalid-value task "empty": retry delays must not be negative',
        'missing-key task "empty": "command" is empty',
        'missing-key task "http": "url" is empty',
        'missing-key task "fn": "function" is empty',
        'missing-key task "cp": "destination" is empty',
        'missing-key task "sub": "command" is empty',
        'invalid-id task " ": the task id is empty',
        'missing-key task " ": the task type is empty',
      ],
    );
  });

  it('locates problems at the keys of tasks read from a file', () => {
    const task = Task.shell('a', 'x').addDependency('nope');
    task.location = { file: 'f.jorm', line: 3, column: 1 };
    task.keyLocations = { depends_on: { file: 'f.jorm', line: 5, column: 5 } };
    const dag = new Dag('d').addTask(task);
    assert.deepEqual(validateDag(dag)[0]?.location, { file: 'f.jorm', line: 5, column: 5 });
    const located = validateDag(dag, {
      locateDependency: (id, dep) => ({ line: id === 'a' && dep === 'nope' ? 9 : 0, column: 2 }),
    });
    assert.deepEqual(located[0]?.location, { line: 9, column: 2 });
  });
});
