// biome-ignore-all lint/suspicious/noTemplateCurlyInString: DAG files keep ${…} references verbatim; these are plain strings
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDiagnostic } from '../../src/model/diagnostic.js';
import { DagValidationError } from '../../src/model/errors.js';
import { parseDag } from '../../src/parse/parse-dag.js';
import { assertProblem, diagnose, onlyProblem, shellTask } from './helpers.js';

describe('syntax errors of the JORM format', () => {
  it('an unterminated string, at its opening quote', () => {
    const p = onlyProblem('task a {\n    type: shell\n    command: "echo hi\n}\n');
    assertProblem(p, {
      code: 'unterminated-string',
      line: 3,
      column: 14,
      message: 'unterminated string',
      hint: /close it with "/,
    });
    assert.equal(p.sourceLine, '    command: "echo hi');
  });

  it('an unterminated multi-line string', () => {
    const problems = diagnose('task a {\n  type: python\n  script: """\n    print(1)\n}\n');
    const p = problems.find((d) => d.code === 'unterminated-string');
    assertProblem(p, {
      code: 'unterminated-string',
      line: 3,
      column: 11,
      message: /unterminated multi-line string/,
    });
    assert.equal(problems.length, 2, 'the string runs to the end, so the block is not closed either');
  });

  it('an unknown escape, at the backslash', () => {
    const p = onlyProblem('task a {\n  type: shell\n  command: "C:\\q"\n}');
    assertProblem(p, {
      code: 'bad-escape',
      line: 3,
      column: 15,
      message: 'unknown escape "\\q"',
      hint: /escapes are/,
    });
  });

  it('a value with spaces that is not quoted', () => {
    const p = onlyProblem('task a {\n  type: shell\n  command: echo hello\n}');
    assertProblem(p, {
      code: 'syntax',
      line: 3,
      column: 17,
      message: 'expected a new line or "," before "hello"',
      hint: /quote a value/,
    });
  });

  it('a missing ":" and a missing value', () => {
    const problems = diagnose('task a {\n  type shell\n  command:\n  timeout: 5s\n}');
    assertProblem(problems[0], {
      code: 'syntax',
      line: 2,
      column: 8,
      message: 'expected ":" after "type", found "shell"',
    });
    assertProblem(problems[1], {
      code: 'syntax',
      line: 4,
      column: 3,
      message: /expected a value after "command:"/,
    });
    assert.equal(problems.length, 2, 'the task had syntax errors, so its missing keys are not reported');
  });

  it('a task block that is never closed, at its brace, and the next task still read', () => {
    const problems = diagnose(
      'task a {\n  type: shell\n  command: "x"\n\ntask b {\n  type: shell\n  command: "y"\n  depends_on: [a]\n}\n',
    );
    assert.equal(problems.length, 1);
    assertProblem(problems[0], {
      code: 'syntax',
      line: 1,
      column: 8,
      message: 'this task block is never closed',
      hint: /add "}"/,
    });
  });

  it('a list or a map that is never closed', () => {
    assertProblem(diagnose('task a {\n  type: shell\n  command: "x"\n  depends_on: [b, c\n}\n')[0], {
      code: 'syntax',
      line: 4,
      column: 15,
      message: 'this list is never closed',
    });
    const map = diagnose('task a {\n  type: x\n  m: { a: 1\n').find(
      (d) => d.message === 'this map is never closed',
    );
    assertProblem(map, { code: 'syntax', line: 3, column: 6, message: 'this map is never closed' });
  });

  it('list items without a comma', () => {
    const p = diagnose('task a {\n  type: shell\n  command: "x"\n  tags: [a b]\n}')[0];
    assertProblem(p, {
      code: 'syntax',
      line: 4,
      column: 12,
      message: 'expected "," or "]" after a list item, found "b"',
    });
  });

  it('stray text at the top level, and a task without an id or a brace', () => {
    assertProblem(diagnose('}\n' + shellTask('a'))[0], {
      code: 'syntax',
      line: 1,
      column: 1,
      message: 'expected a key, found "}"',
    });
    const noId = diagnose(`task {\n  type: shell\n}\n${shellTask('a')}`);
    assert.equal(noId.length, 1, 'the block of the broken task is skipped');
    assertProblem(noId[0], {
      code: 'syntax',
      line: 1,
      column: 6,
      message: 'expected a task id after "task", found "{"',
    });
    const noBrace = diagnose(`task a\n${shellTask('b')}`);
    assert.equal(noBrace.length, 1, 'the next task is still read');
    assertProblem(noBrace[0], {
      code: 'syntax',
      line: 2,
      column: 1,
      message: 'expected "{" after "task a", found "task"',
    });
  });

  it('a key written twice', () => {
    const p = onlyProblem('task a {\n  type: shell\n  command: "x"\n  command: "y"\n}');
    assertProblem(p, {
      code: 'duplicate-key',
      line: 4,
      column: 3,
      message: 'key "command" is written twice in this task (first at line 3)',
    });
  });

  it('nesting deeper than 64 levels', () => {
    const deep = `${'['.repeat(70)}${']'.repeat(70)}`;
    const p = diagnose(`task a {\n  type: x\n  v: ${deep}\n}`)[0];
    assertProblem(p, { code: 'syntax', line: 3, column: 69, message: /nested more than 64 deep/ });
  });
});

describe('schema errors (the same for every format)', () => {
  it('an unknown key with "did you mean"', () => {
    const p = onlyProblem('task build {\n  type: shell\n  command: "x"\n  dependson: [a]\n}');
    assertProblem(p, {
      code: 'unknown-key',
      line: 4,
      column: 3,
      message: 'task "build": unknown key "dependson" for a task of type shell',
      hint: 'did you mean "depends_on"?',
    });
  });

  it('a misspelt required key is reported once, as unknown, not also as missing', () => {
    const problems = diagnose('task a {\n  type: http\n  ulr: "http://x"\n}');
    assert.deepEqual(
      problems.map((p) => [p.code, p.hint]),
      [['unknown-key', 'did you mean "url"?']],
    );
  });

  it('a key of another type, with a hint', () => {
    const p = onlyProblem('task f {\n  type: python\n  script: "s.py"\n  function: main\n}');
    assertProblem(p, {
      code: 'unknown-key',
      line: 4,
      column: 3,
      message: /unknown key "function"/,
      hint: /type: python_function/,
    });
  });

  it('unknown keys at the top, in retry, resources and auth', () => {
    const problems = diagnose(
      'dag: d\nenvv: {}\ntask t {\n  type: http\n  url: "u"\n  retry: { max_attempt: 2 }\n  resources: { cpus: 2 }\n  auth: { type: bearer, token: "t", tokn: "x" }\n}',
    );
    assert.deepEqual(
      problems.map((p) => [p.code, p.location?.line, p.location?.column, p.hint]),
      [
        ['unknown-key', 2, 1, 'did you mean "env"?'],
        ['unknown-key', 6, 12, 'did you mean "max_attempts"?'],
        ['unknown-key', 7, 16, 'did you mean "cpu"?'],
        ['unknown-key', 8, 37, 'did you mean "token"?'],
      ],
    );
  });

  it('missing keys per task type, at the task', () => {
    assertProblem(onlyProblem('task a {\n  type: shell\n}'), {
      code: 'missing-key',
      line: 1,
      column: 1,
      message: 'task "a": a task of type shell needs "command"',
    });
    const fn = diagnose('task f {\n  type: python_function\n}');
    assert.deepEqual(
      fn.map((p) => p.message),
      [
        'task "f": a task of type python_function needs "module"',
        'task "f": a task of type python_function needs "function"',
      ],
    );
    assert.deepEqual(
      diagnose('task c { type: file_copy, source: a }').map((p) => p.message),
      ['task "c": a task of type file_copy needs "destination"'],
    );
    assert.deepEqual(
      diagnose('task h { type: http }').map((p) => p.message),
      ['task "h": a task of type http needs "url"'],
    );
    assertProblem(onlyProblem('task a {\n  command: "x"\n}'), {
      code: 'missing-key',
      line: 1,
      column: 1,
      message: 'task "a": the task needs "type"',
      hint: /shell, rust, python/,
    });
  });

  it('values of the wrong type', () => {
    const problems = diagnose(
      'task a {\n  type: shell\n  command: ["echo"]\n  timeout: soon\n  retries: two\n  env: [A]\n  tags: [{ a: 1 }]\n  resources: { memory: lots }\n}',
    );
    assert.deepEqual(
      problems.map((p) => [p.code, p.location?.line, p.location?.column, p.message]),
      [
        ['wrong-type', 3, 12, 'task "a": "command" must be a string, not a list'],
        [
          'wrong-type',
          4,
          12,
          'task "a": "timeout" must be a duration such as 500ms, 30s, 10m, 2h or 7d (a number is seconds), not "soon"',
        ],
        ['wrong-type', 5, 12, 'task "a": "retries" must be a whole number from 0 to 1000, not "two"'],
        ['wrong-type', 6, 8, 'task "a": "env" must be a map { key: value }, not a list'],
        ['wrong-type', 7, 10, 'task "a": items of "tags" must be strings, not a map'],
        [
          'wrong-type',
          8,
          24,
          'task "a": "resources.memory" must be a size such as 512MB or 2GiB, not "lots"',
        ],
      ],
    );
  });

  it('values out of range or not among the choices', () => {
    const problems = diagnose(
      'task a {\n  type: shell\n  command: ""\n  output: jsn\n  timeout: 0\n  retry: { backoff: expo, multiplier: 0.5 }\n  env: { "1BAD": x }\n}\n' +
        'task h {\n  type: http\n  url: "u"\n  method: "GE T"\n  expected_status: [99]\n}',
    );
    assert.deepEqual(
      problems.map((p) => [p.code, p.location?.line, p.location?.column, p.message, p.hint]),
      [
        ['invalid-value', 3, 12, 'task "a": "command" must not be empty', undefined],
        [
          'invalid-value',
          4,
          11,
          'task "a": "output" must be one of text, json, lines, not "jsn"',
          'did you mean "json"?',
        ],
        ['invalid-value', 5, 12, 'task "a": "timeout" must be at least 1ms, got 0', undefined],
        [
          'invalid-value',
          6,
          21,
          'task "a": "retry.backoff" must be one of fixed, linear, exponential, not "expo"',
          undefined,
        ],
        ['invalid-value', 6, 39, 'task "a": "retry.multiplier" must be at least 1, not 0.5', undefined],
        [
          'invalid-value',
          7,
          10,
          'task "a": "1BAD" is not a valid environment variable name',
          'use letters, digits and "_", not starting with a digit',
        ],
        [
          'invalid-value',
          12,
          11,
          'task "h": "method" must be an HTTP method such as GET or POST, not "GE T"',
          undefined,
        ],
        ['invalid-value', 13, 21, 'task "h": "expected_status" must be from 100 to 599, not 99', undefined],
      ],
    );
  });

  it('conflicting keys', () => {
    const problems = diagnose(
      'dag: a\nid: b\ntask t {\n  type: http\n  url: "u"\n  retries: 1\n  retry: { max_attempts: 3 }\n  auth: { type: api_key, key: k, header: H, query: q }\n}',
    );
    assert.deepEqual(
      problems.map((p) => [p.code, p.location?.line, p.location?.column, p.message]),
      [
        ['conflicting-keys', 2, 1, '"dag" and "id" both name the DAG'],
        ['conflicting-keys', 7, 26, 'task "t": "retries" and "retry.max_attempts" are both set'],
        ['conflicting-keys', 8, 9, 'task "t": "auth" has both "header" and "query"'],
      ],
    );
  });

  it('a timeout of less than a millisecond, in seconds or in ms, and a second YAML document', () => {
    for (const value of ['0.0001', '0.4ms']) {
      const [p] = diagnose(`task a {\n  type: shell\n  command: "x"\n  timeout: ${value}\n}\n`);
      assertProblem(p, {
        code: 'invalid-value',
        line: 4,
        column: 12,
        message: `task "a": "timeout" must be at least 1ms, got ${value}`,
      });
    }
    const [y] = diagnose('tasks:\n  a: { type: shell, command: "x" }\n---\nb: 1\n', 'yaml');
    assertProblem(y, {
      code: 'syntax',
      line: 3,
      column: 1,
      message: /^a DAG file holds one YAML document: remove the "---"/,
    });
  });

  it('task and DAG ids that are not allowed', () => {
    const p = diagnose('dag: "my dag"\ntask "a.b" { type: shell, command: "x" }');
    assertProblem(p[0], { code: 'invalid-id', line: 1, column: 6, message: /a DAG id may contain only/ });
    assertProblem(p[1], {
      code: 'invalid-id',
      line: 2,
      column: 6,
      message:
        'task "a.b": a task id may contain only letters, digits, "_" and "-", starting with a letter, digit or "_"',
      hint: 'rename it, e.g. "a_b"',
    });
    // Only allowed characters, but not where they are: the message says so.
    const dash = diagnose('dag: ".."\ntask "-a" { type: shell, command: "x" }');
    assertProblem(dash[0], {
      code: 'invalid-id',
      line: 1,
      column: 6,
      message: /starting with a letter, digit or "_"$/,
    });
    assertProblem(dash[1], {
      code: 'invalid-id',
      line: 2,
      column: 6,
      message: /starting with a letter, digit or "_"$/,
      hint: 'rename it, e.g. "_a"',
    });
  });

  it('a file without tasks', () => {
    assertProblem(onlyProblem('dag: empty\n'), {
      code: 'no-tasks',
      line: 1,
      column: 1,
      message: 'the DAG has no tasks',
    });
  });
});

describe('graph errors', () => {
  it('a duplicate task id, at the second one, naming the first', () => {
    const p = onlyProblem(`${shellTask('a')}\n${shellTask('a')}`);
    assertProblem(p, {
      code: 'duplicate-task',
      line: 6,
      column: 6,
      message: 'task "a" is declared twice (first at line 1)',
    });
  });

  it('a dependency on a task that does not exist, naming both, at the dependency', () => {
    const p = onlyProblem(`${shellTask('build')}${shellTask('test', '    depends_on: [biuld]\n')}`);
    assertProblem(p, {
      code: 'unknown-dependency',
      line: 8,
      column: 18,
      message: 'task "test" depends on "biuld", which is not a task of this DAG',
      hint: 'did you mean "build"?',
    });
    assert.equal(p.taskId, 'test');
  });

  it('a cycle with its whole path', () => {
    const text = `${shellTask('a', '    depends_on: [c]\n')}${shellTask('b', '    depends_on: [a]\n')}${shellTask('c', '    depends_on: [b]\n')}`;
    const p = onlyProblem(text);
    assert.equal(p.code, 'cycle');
    assert.match(p.message, /^dependency cycle: (a -> b -> c -> a|b -> c -> a -> b|c -> a -> b -> c)$/);
    assert.equal(p.location?.column, 18);
  });

  it('a task that depends on itself', () => {
    const p = onlyProblem(shellTask('self', '    depends_on: [self]\n'));
    assertProblem(p, { code: 'cycle', line: 4, column: 18, message: 'dependency cycle: self -> self' });
  });
});

describe('every problem at once', () => {
  const text = [
    'dag: many',
    'task a {',
    '    type: shell',
    '    comand: "x"',
    '    timeout: forever',
    '}',
    'task b {',
    '    type: http',
    '    url: "unterminated',
    '    depends_on: [a, ghost]',
    '}',
    'task a { type: shell, command: "dup" }',
    'task c { type: shell, command: "c", depends_on: [d] }',
    'task d { type: shell, command: "d", depends_on: [c] }',
    '',
  ].join('\n');

  it('reports them all, in file order', () => {
    const problems = diagnose(text, 'jorm', 'many.jorm');
    assert.deepEqual(
      problems.map((p) => `${p.location?.line}:${p.location?.column} ${p.code}`),
      [
        '4:5 unknown-key',
        '5:14 wrong-type',
        '9:10 unterminated-string',
        '10:21 unknown-dependency',
        '12:6 duplicate-task',
        '14:50 cycle',
      ],
    );
  });

  it('parseDag throws one DagValidationError listing them as file:line:col with carets', () => {
    assert.throws(
      () => parseDag(text, { file: 'many.jorm' }),
      (error: unknown) => {
        assert.ok(error instanceof DagValidationError);
        assert.equal(error.code, 'DAG_INVALID');
        assert.equal(error.diagnostics.length, 6);
        assert.match(
          error.message,
          /^6 problems:\nmany\.jorm:4:5: task "a": unknown key "comand" for a task of type shell/,
        );
        assert.ok(
          error.message.includes(
            'many.jorm:10:21: task "b" depends on "ghost", which is not a task of this DAG',
          ),
        );
        assert.equal(
          formatDiagnostic(error.diagnostics[0]!),
          'many.jorm:4:5: task "a": unknown key "comand" for a task of type shell (did you mean "command"?)\n        comand: "x"\n        ^',
        );
        return true;
      },
    );
  });
});

describe('options', () => {
  it('an unknown format is a problem, not a crash', () => {
    const problems = diagnose('x', 'toml' as 'jorm');
    assert.deepEqual(
      problems.map((p) => p.code),
      ['unknown-format'],
    );
  });

  it('parameter names must be usable as ${params.NAME}', () => {
    const p = onlyProblem(`params: { "my.param": 1 }\n${shellTask('a')}`);
    assertProblem(p, {
      code: 'invalid-value',
      line: 1,
      column: 11,
      message: '"my.param" is not a valid parameter name',
    });
  });
});

describe('input that is not text', () => {
  it('is a DagValidationError too', () => {
    for (const bad of [undefined, null, 42, Buffer.from('task a {}')]) {
      assert.throws(
        () => parseDag(bad as unknown as string),
        (error: unknown) =>
          error instanceof DagValidationError && error.diagnostics[0]?.code === 'invalid-input',
      );
    }
  });
});
