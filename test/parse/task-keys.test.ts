// biome-ignore-all lint/suspicious/noTemplateCurlyInString: DAG files keep ${…} references verbatim; these are plain strings
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_TASK_RETRY } from '../../src/model/task.js';
import { parseOk } from './helpers.js';

/** The task `t` of a one-task DAG whose body is `body`. */
function task(body: string) {
  return parseOk(`task t {\n${body}\n}\n`).getTask('t')!;
}

describe('task types map onto the model', () => {
  it('shell: command, working_dir, shell, output', () => {
    const t = task('type: shell\ncommand: "make"\nworking_dir: build\nshell: bash\noutput: lines');
    assert.equal(t.taskType, 'shell');
    assert.deepEqual(t.config, {
      kind: 'shell',
      command: 'make',
      workingDir: 'build',
      shell: 'bash',
      output: 'lines',
    });
  });

  it('rust: a shell command run by the shell executor', () => {
    const t = task('type: rust\ncommand: "cargo test"');
    assert.equal(t.taskType, 'shell');
    assert.deepEqual(t.config, { kind: 'shell', command: 'cargo test' });
  });

  it('python: a script with args (numbers become text), python_path, working_dir', () => {
    const t = task(
      'type: python\nscript: "run.py"\nargs: ["-n", 3]\npython_path: python3.12\nworking_dir: w',
    );
    assert.equal(t.taskType, 'python');
    assert.deepEqual(t.config, {
      kind: 'python_script',
      script: 'run.py',
      args: ['-n', '3'],
      pythonPath: 'python3.12',
      workingDir: 'w',
    });
  });

  it('python_function: module, function, args, kwargs', () => {
    const t = task(
      'type: python_function\nmodule: "pkg.mod"\nfunction: go\nargs: [1, "x"]\nkwargs: { k: [true] }',
    );
    assert.equal(t.taskType, 'python');
    assert.deepEqual(t.config, {
      kind: 'python_function',
      module: 'pkg.mod',
      function: 'go',
      args: [1, 'x'],
      kwargs: { k: [true] },
    });
  });

  it('http: method (default GET, upper-cased), headers, body, request_timeout, expected_status', () => {
    const get = task('type: http\nurl: "http://h/x"');
    assert.equal(get.taskType, 'http');
    assert.deepEqual(get.config, { kind: 'http_request', method: 'GET', url: 'http://h/x', headers: {} });
    const post = task(
      'type: http\nurl: "http://h/x"\nmethod: patch\nheaders: { A: "1" }\nbody: { a: [1] }\nrequest_timeout: 5s\nexpected_status: [404]',
    );
    assert.deepEqual(post.config, {
      kind: 'http_request',
      method: 'PATCH',
      url: 'http://h/x',
      headers: { A: '1' },
      body: '{"a":[1]}',
      timeout: 5000,
      expectedStatus: [404],
    });
  });

  it('http auth: basic, bearer, api_key in a header or the query', () => {
    const auth = (text: string) => {
      const config = task(`type: http\nurl: "u"\nauth: ${text}`).config;
      return config.kind === 'http_request' ? config.auth : undefined;
    };
    assert.deepEqual(auth('{ type: basic, username: "u", password: "p" }'), {
      type: 'basic',
      username: 'u',
      password: 'p',
    });
    assert.deepEqual(auth('{ type: bearer, token: "${SECRET}" }'), { type: 'bearer', token: '${SECRET}' });
    assert.deepEqual(auth('{ type: api_key, key: "k", header: "X-API-Key" }'), {
      type: 'api_key',
      key: 'k',
      header: 'X-API-Key',
    });
    assert.deepEqual(auth('{ type: api_key, key: "k", query: "api_key" }'), {
      type: 'api_key',
      key: 'k',
      query: 'api_key',
    });
  });

  it('file_copy, file_move, file_delete, file_create', () => {
    const copy = task('type: file_copy\nsource: a\ndestination: b\noverwrite: true');
    assert.equal(copy.taskType, 'file');
    assert.deepEqual(copy.config, {
      kind: 'file_operation',
      operation: 'copy',
      source: 'a',
      destination: 'b',
      options: { overwrite: true },
    });
    const move = task('type: file_move\nsource: a\ndestination: b\noptions: { keep_times: true }');
    assert.deepEqual(move.config, {
      kind: 'file_operation',
      operation: 'move',
      source: 'a',
      destination: 'b',
      options: { keep_times: true },
    });
    const del = task('type: file_delete\npath: "old.log"');
    assert.deepEqual(del.config, {
      kind: 'file_operation',
      operation: 'delete',
      source: 'old.log',
      options: {},
    });
    const create = task('type: file_create\npath: "out/a.txt"\ncontent: "hi"\noverwrite: true');
    assert.deepEqual(create.config, {
      kind: 'file_operation',
      operation: 'create',
      destination: 'out/a.txt',
      options: { overwrite: true, content: 'hi' },
    });
    const empty = task('type: file_create\npath: "e.txt"');
    assert.deepEqual(empty.config.kind === 'file_operation' && empty.config.options, { content: '' });
  });

  it('jorm: the command split into arguments, quotes respected, a leading "jorm" dropped', () => {
    const t = task('type: jorm\ncommand: "execute --file \'my dag.jorm\' --param \\"A=b c\\""');
    assert.equal(t.taskType, 'jorm');
    assert.deepEqual(t.config, {
      kind: 'jorm',
      args: ['execute', '--file', 'my dag.jorm', '--param', 'A=b c'],
    });
    const prefixed = task('type: jorm\ncommand: "jorm validate other.jorm"\nworking_dir: sub');
    assert.deepEqual(prefixed.config, { kind: 'jorm', args: ['validate', 'other.jorm'], workingDir: 'sub' });
  });

  it('a custom type keeps its own keys as written, without the common ones', () => {
    const t = task(
      'type: docker\nimage: "alpine"\nrun_args: ["-it"]\ntimeout: 1m\nenv: { A: "b" }\nlimits: { cpu: 1 }',
    );
    assert.equal(t.taskType, 'docker');
    assert.deepEqual(t.config, {
      kind: 'custom',
      values: { image: 'alpine', run_args: ['-it'], limits: { cpu: 1 } },
    });
    assert.equal(t.timeout, 60_000);
    assert.deepEqual(t.environment, { A: 'b' });
  });
});

describe('keys common to every task', () => {
  it('name and description', () => {
    const t = task('type: shell\ncommand: "x"\nname: "Nice name"\ndescription: "What it does"');
    assert.equal(t.name, 'Nice name');
    assert.equal(t.description, 'What it does');
    assert.equal(task('type: shell\ncommand: "x"').name, 't');
  });

  it('depends_on: a list or a single id, duplicates once', () => {
    const dag = parseOk(
      'task a { type: shell, command: "x" }\ntask b { type: shell, command: "x", depends_on: a }\ntask c { type: shell, command: "x", depends_on: [a, b, a] }',
    );
    assert.deepEqual(dag.getTask('b')!.dependsOn, ['a']);
    assert.deepEqual(dag.getTask('c')!.dependsOn, ['a', 'b']);
  });

  it('retries: N is N + 1 attempts with the default policy', () => {
    assert.deepEqual(task('type: shell\ncommand: "x"\nretries: 0').retryConfig, DEFAULT_TASK_RETRY);
    assert.deepEqual(task('type: shell\ncommand: "x"\nretries: 5').retryConfig, {
      ...DEFAULT_TASK_RETRY,
      maxAttempts: 6,
    });
    assert.equal(task('type: shell\ncommand: "x"').retryConfig, undefined);
  });

  it('retry: every field, durations in any unit; retries fills max_attempts', () => {
    const t = task(
      'type: shell\ncommand: "x"\nretry: { max_attempts: 4, initial_delay: 2, max_delay: 1m, backoff: linear, multiplier: 1.5, retry_on_exit_codes: [75, 1], retry_on_timeout: false }',
    );
    assert.deepEqual(t.retryConfig, {
      maxAttempts: 4,
      initialDelay: 2000,
      maxDelay: 60_000,
      backoff: 'linear',
      multiplier: 1.5,
      retryOnExitCodes: [75, 1],
      retryOnTimeout: false,
    });
    const both = task('type: shell\ncommand: "x"\nretries: 2\nretry: { backoff: fixed, initial_delay: 0 }');
    assert.deepEqual(both.retryConfig, {
      ...DEFAULT_TASK_RETRY,
      maxAttempts: 3,
      backoff: 'fixed',
      initialDelay: 0,
    });
  });

  it('env (values as text), metadata (any values), tags, queue', () => {
    const t = task(
      'type: shell\ncommand: "x"\nenv: { A: 1, B: true, C: null, D: "${X}" }\nmetadata: { owner: me, n: [1, { k: v }] }\ntags: [gpu, "linux"]\nqueue: heavy',
    );
    assert.deepEqual(t.environment, { A: '1', B: 'true', C: '', D: '${X}' });
    assert.deepEqual(t.metadata, { owner: 'me', n: [1, { k: 'v' }] });
    assert.deepEqual(t.tags, ['gpu', 'linux']);
    assert.equal(t.queue, 'heavy');
    assert.deepEqual(task('type: shell\ncommand: "x"\ntags: gpu').tags, ['gpu']);
  });

  it('resources: cpu and memory in every unit', () => {
    const sizes: [string, number][] = [
      ['1024', 1024],
      ['100B', 100],
      ['2KB', 2000],
      ['512MB', 512_000_000],
      ['1GB', 1e9],
      ['2KiB', 2048],
      ['512MiB', 512 * 1024 ** 2],
      ['"1.5GiB"', 1.5 * 1024 ** 3],
      ['4gib', 4 * 1024 ** 3],
    ];
    for (const [written, bytes] of sizes) {
      const t = task(`type: shell\ncommand: "x"\nresources: { cpu: 0.5, memory: ${written} }`);
      assert.deepEqual(t.resources, { cpu: 0.5, memory: bytes }, written);
    }
  });

  it('keeps ${...} references verbatim everywhere', () => {
    const t = task('type: shell\ncommand: "echo ${params.DATE} ${tasks.a.output}"\nworking_dir: ${HOME}/w');
    assert.deepEqual(t.config, {
      kind: 'shell',
      command: 'echo ${params.DATE} ${tasks.a.output}',
      workingDir: '${HOME}/w',
    });
  });
});

describe('DAG-level keys', () => {
  it('dag, name, description, env, params', () => {
    const dag = parseOk(
      'dag: nightly\nname: "Nightly build"\ndescription: "Runs at night"\nenv: { STAGE: prod, N: 2 }\nparams: { DATE: "2024-01-01", LIMIT: 10, EMPTY: null }\n' +
        'task a { type: shell, command: "x" }',
    );
    assert.equal(dag.id, 'nightly');
    assert.equal(dag.name, 'Nightly build');
    assert.equal(dag.description, 'Runs at night');
    assert.deepEqual(dag.environment, { STAGE: 'prod', N: '2' });
    assert.deepEqual(dag.params, { DATE: '2024-01-01', LIMIT: '10', EMPTY: '' });
    assert.deepEqual(dag.keyLocations['params.LIMIT'], { line: 5, column: 31 });
  });
});
