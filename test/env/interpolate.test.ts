// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about ${…} references in plain strings
import assert from 'node:assert/strict';
import { availableParallelism, hostname, platform } from 'node:os';
import { describe, it } from 'node:test';
import { type InterpolationContext, systemInfo } from '../../src/env/context.js';
import { interpolate, interpolateString } from '../../src/env/interpolate.js';
import { interpolateTask } from '../../src/env/interpolate-task.js';
import { InterpolationError } from '../../src/env/interpolation-error.js';
import { SecureValue } from '../../src/env/secure-value.js';
import { parseTemplate } from '../../src/env/template.js';
import { Task } from '../../src/model/task.js';

function context(overrides: Partial<InterpolationContext> = {}): InterpolationContext {
  return {
    variables: { NAME: 'world', EMPTY: '', API_TOKEN: SecureValue.secure('tok-123456') },
    taskOutputs: {
      fetch: {
        stdout: '  hello out \n',
        stderr: 'warn: x\n',
        exitCode: 0,
        outputData: { user: { name: 'Ada', tags: ['a', 'b'] }, count: 3, nothing: null },
      },
      plain: { stdout: 'just text\n', stderr: '', exitCode: 2 },
      killed: { stdout: '', stderr: '', exitCode: null },
    },
    systemInfo: systemInfo(),
    params: { region: 'eu-west-1', empty: '' },
    dagId: 'nightly',
    executionId: '01HEXEC',
    ...overrides,
  };
}

describe('interpolate: every form', () => {
  const ctx = context();
  const cases: [string, string][] = [
    ['hello ${NAME}!', 'hello world!'],
    ['${MISSING:-fallback}', 'fallback'],
    ['${EMPTY:-used when empty}', 'used when empty'],
    ['${NAME:-unused}', 'world'],
    ['${MISSING:-${NAME}-nested}', 'world-nested'],
    ['cost: $$5 and $$${NAME} and $$$${NAME}', 'cost: $5 and $world and $${NAME}'],
    ['$HOME and $(date) and $', '$HOME and $(date) and $'],
    ['${task.fetch.stdout}', 'hello out'],
    ['${task.fetch.stderr}', 'warn: x'],
    ['${task.fetch.exit_code}/${task.plain.exit_code}', '0/2'],
    ['${task.killed.exit_code:-none}', 'none'],
    ['${task.fetch.output.user.name}', 'Ada'],
    ['${task.fetch.output.user.tags.1}', 'b'],
    ['${task.fetch.output.user.tags}', '["a","b"]'],
    ['${task.fetch.output.count}', '3'],
    ['${task.fetch.output.nothing}', ''],
    ['${task.fetch.output.missing:-dflt}', 'dflt'],
    ['${task.fetch.output}', '{"user":{"name":"Ada","tags":["a","b"]},"count":3,"nothing":null}'],
    ['${task.plain.output}', 'just text'],
    ['${dag.id}/${execution.id}', 'nightly/01HEXEC'],
    ['${params.region}', 'eu-west-1'],
    ['${params.other:-x}', 'x'],
    ['${params.empty:-d}', 'd'],
    ['${system.os}', platform()],
    ['${system.hostname}', hostname()],
    ['${system.cpus}', String(availableParallelism())],
    ['${ NAME }', 'world'],
    ['${NAME|json}', '"world"'],
    ['${task.fetch.output.user|json}', '{"name":"Ada","tags":["a","b"]}'],
  ];
  for (const [template, expected] of cases) {
    it(`${template} → ${expected}`, () => {
      assert.equal(interpolateString(template, ctx), expected);
    });
  }

  it('quotes for the shell with |shell', () => {
    assert.equal(interpolateString('echo ${task.fetch.stdout|shell}', ctx), "echo 'hello out'");
    assert.equal(interpolateString('${NAME|shell}', ctx), 'world');
    assert.equal(interpolateString('${MISSING:-it is|shell}', ctx, { shell: 'bash' }), "'it is'");
    assert.equal(interpolateString('${MISSING:-a b|shell}', ctx, { shell: 'powershell' }), "'a b'");
  });

  it('marks text that took in a secure value as secure', () => {
    assert.deepEqual(interpolate('Bearer ${API_TOKEN}', ctx), { text: 'Bearer tok-123456', secure: true });
    assert.deepEqual(interpolate('Hello ${NAME}', ctx), { text: 'Hello world', secure: false });
    assert.deepEqual(interpolate('${MISSING:-${API_TOKEN}}', ctx).secure, true);
  });
});

describe('interpolate: errors', () => {
  const ctx = context();
  const failures: [string, RegExp][] = [
    ['${NOPE}', /unknown variable NOPE in \$\{NOPE\}/],
    ['${params.nope}', /unknown parameter nope/],
    ['${task.other.stdout}', /task "other" is not upstream/],
    ['${task.other.stdout:-x}', /task "other" is not upstream/],
    ['${task.plain.output.x}', /task "plain" has no JSON output data/],
    ['${task.fetch.output.user.age}', /has no "user.age"/],
    ['${task.fetch}', /needs a field/],
    ['${task.fetch.exitcode}', /unknown task field "exitcode"/],
    ['${task.fetch.stdout.x}', /only \.output takes a path/],
    ['${system.kernel}', /unknown system value/],
    ['${dag.name}', /did you mean dag\.id/],
    ['${env.HOME}', /unknown reference "env.HOME"/],
    ['${NAME|upper}', /unknown filter "upper"/],
    ['${}', /empty reference/],
    ['${1ABC}', /not a valid variable name/],
    ['oops ${NAME', /unterminated/],
  ];
  for (const [template, message] of failures) {
    it(`${template} fails`, () => {
      assert.throws(
        () => interpolate(template, ctx, { key: 'command' }),
        (e: unknown) =>
          e instanceof InterpolationError && message.test(e.message) && e.message.startsWith('command: '),
      );
    });
  }

  it('reports syntax problems with their offsets, keeping the text', () => {
    const parsed = parseTemplate('ab ${x.y} ${ok} ${');
    assert.deepEqual(
      parsed.problems.map((p) => [p.raw, p.offset]),
      [
        ['${x.y}', 3],
        ['${', 16],
      ],
    );
    assert.equal(parsed.segments.filter((s) => typeof s !== 'string').length, 1);
  });
});

describe('interpolateTask', () => {
  const ctx = context();

  it('interpolates every string field of every kind of task and never mutates the task', () => {
    const tasks = [
      Task.shell('sh', 'echo ${NAME}', { workingDir: 'out/${params.region}' }),
      new Task('py', undefined, 'python', {
        kind: 'python_script',
        script: 'run_${NAME}.py',
        args: ['--r', '${params.region}'],
        pythonPath: '${MISSING:-python3}',
      }),
      new Task('fn', undefined, 'python', {
        kind: 'python_function',
        module: 'mod_${NAME}',
        function: 'f',
        args: ['${task.fetch.output.count}', 7, { deep: ['${NAME}'] }],
        kwargs: { who: '${task.fetch.output.user.name}', n: 1, nested: { k: '${dag.id}' } },
      }),
      new Task('http', undefined, 'http', {
        kind: 'http_request',
        method: 'POST',
        url: 'http://127.0.0.1/${params.region}',
        headers: { Authorization: 'Bearer ${API_TOKEN}' },
        body: '{"who": ${task.fetch.output.user.name|json}}',
        auth: { type: 'basic', username: '${NAME}', password: '${API_TOKEN}' },
      }),
      new Task('file', undefined, 'file', {
        kind: 'file_operation',
        operation: 'create',
        destination: '/tmp/${dag.id}.txt',
        options: { content: 'by ${NAME}', overwrite: true },
      }),
      new Task('j', undefined, 'jorm', {
        kind: 'jorm',
        args: ['validate', '${NAME}.jorm'],
        workingDir: '${EMPTY:-.}',
      }),
      new Task('c', undefined, 'custom', {
        kind: 'custom',
        values: { greeting: 'hi ${NAME}', list: ['${params.region}'], n: 5 },
      }),
    ];
    const before = JSON.stringify(tasks.map((t) => t.config));
    const out = tasks.map((t) => interpolateTask(t, ctx));
    assert.equal(JSON.stringify(tasks.map((t) => t.config)), before);
    assert.deepEqual(
      out.map((o) => o.task.config),
      [
        { kind: 'shell', command: 'echo world', workingDir: 'out/eu-west-1' },
        { kind: 'python_script', script: 'run_world.py', args: ['--r', 'eu-west-1'], pythonPath: 'python3' },
        {
          kind: 'python_function',
          module: 'mod_world',
          function: 'f',
          args: ['3', 7, { deep: ['world'] }],
          kwargs: { who: 'Ada', n: 1, nested: { k: 'nightly' } },
        },
        {
          kind: 'http_request',
          method: 'POST',
          url: 'http://127.0.0.1/eu-west-1',
          headers: { Authorization: 'Bearer tok-123456' },
          body: '{"who": "Ada"}',
          auth: { type: 'basic', username: 'world', password: 'tok-123456' },
        },
        {
          kind: 'file_operation',
          operation: 'create',
          destination: '/tmp/nightly.txt',
          options: { content: 'by world', overwrite: true },
        },
        { kind: 'jorm', args: ['validate', 'world.jorm'], workingDir: '.' },
        { kind: 'custom', values: { greeting: 'hi world', list: ['eu-west-1'], n: 5 } },
      ],
    );
    assert.deepEqual(out[3]?.secrets.sort(), ['Bearer tok-123456', 'tok-123456']);
    assert.ok(out[0]?.task instanceof Task);
    assert.notEqual(out[0]?.task, tasks[0]);
  });

  it('returns the task itself when nothing changes', () => {
    const task = Task.shell('t', 'echo $HOME plain');
    assert.equal(interpolateTask(task, ctx).task, task);
  });

  it('names the task and the field in errors', () => {
    const task = new Task('h', undefined, 'http', {
      kind: 'http_request',
      method: 'GET',
      url: 'http://x',
      headers: { 'X-Id': '${NOPE}' },
    });
    assert.throws(
      () => interpolateTask(task, ctx),
      /^InterpolationError: task "h", headers\.X-Id: unknown variable NOPE/,
    );
  });

  it("quotes |shell for the task's own shell", () => {
    const task = Task.shell('f', 'echo ${task.fetch.stdout|shell}', { shell: 'fish' });
    const ctx2 = context({ taskOutputs: { fetch: { stdout: "it's \\ here", stderr: '', exitCode: 0 } } });
    assert.equal(
      (interpolateTask(task, ctx2).task.config as { command: string }).command,
      "echo 'it\\'s \\\\ here'",
    );
  });
});
