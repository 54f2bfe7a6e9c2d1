// biome-ignore-all lint/suspicious/noTemplateCurlyInString: DAG files keep ${…} references verbatim; these are plain strings
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Dag } from '../../src/model/dag.js';
import { DEFAULT_TASK_RETRY } from '../../src/model/task.js';
import { parseDag } from '../../src/parse/parse-dag.js';
import { parseOk } from './helpers.js';

const ISSUE_EXAMPLE = `# comments start with '#', also after a value
dag: nightly_build            # optional; default: the file name without extension

task hello_world {
    type: shell
    command: "echo 'Hello, World!'"
    working_dir: "./my-project"
    timeout: 30s
}

task notify {
    type: http
    method: "POST"
    url: "http://127.0.0.1:8080/webhook"
    headers: {
        "Content-Type": "application/json"
    }
    body: '{"status": "completed"}'
    depends_on: [hello_world]
}

task analyze {
    type: python
    script: "analyze_data.py"
    args: ["--input", "data.csv"]
    retries: 2
    depends_on: [hello_world, notify]
}
`;

/** The value of key `v` of the custom task `t`: exercises the value syntax on its own. */
function valueWritten(literal: string): unknown {
  const dag = parseOk(`task t {\n    type: probe\n    v: ${literal}\n}\n`);
  const config = dag.getTask('t')!.config;
  assert.equal(config.kind, 'custom');
  return config.kind === 'custom' ? config.values['v'] : undefined;
}

describe('JORM text format: the example of the issue', () => {
  it('reads it exactly as written', () => {
    const dag = parseOk(ISSUE_EXAMPLE);
    assert.equal(dag.id, 'nightly_build');
    assert.deepEqual(dag.taskIds, ['hello_world', 'notify', 'analyze']);
    const hello = dag.getTask('hello_world')!;
    assert.equal(hello.taskType, 'shell');
    assert.deepEqual(hello.config, {
      kind: 'shell',
      command: "echo 'Hello, World!'",
      workingDir: './my-project',
    });
    assert.equal(hello.timeout, 30_000);
    const notify = dag.getTask('notify')!;
    assert.deepEqual(notify.config, {
      kind: 'http_request',
      method: 'POST',
      url: 'http://127.0.0.1:8080/webhook',
      headers: { 'Content-Type': 'application/json' },
      body: '{"status": "completed"}',
    });
    assert.deepEqual(notify.dependsOn, ['hello_world']);
    const analyze = dag.getTask('analyze')!;
    assert.deepEqual(analyze.config, {
      kind: 'python_script',
      script: 'analyze_data.py',
      args: ['--input', 'data.csv'],
    });
    assert.deepEqual(analyze.retryConfig, { ...DEFAULT_TASK_RETRY, maxAttempts: 3 });
    assert.deepEqual(analyze.dependsOn, ['hello_world', 'notify']);
  });

  it('records where each task and key is written', () => {
    const dag = parseOk(ISSUE_EXAMPLE);
    const notify = dag.getTask('notify')!;
    assert.deepEqual(notify.location, { line: 11, column: 1 });
    assert.deepEqual(notify.keyLocations['url'], { line: 14, column: 5 });
    assert.deepEqual(notify.keyLocations['headers.Content-Type'], { line: 16, column: 9 });
    assert.deepEqual(notify.keyLocations['depends_on'], { line: 19, column: 5 });
    assert.deepEqual(dag.keyLocations['dag'], { line: 2, column: 1 });
  });

  it('takes the id from the file name when there is no dag:', () => {
    const text = 'task a {\n type: shell\n command: "x"\n}\n';
    assert.equal(parseOk(text).id, 'dag');
    assert.equal(parseDag(text, { file: 'jobs/nightly.jorm' }).id, 'nightly');
    assert.equal(parseDag(text, { id: 'given' }).id, 'given');
    assert.equal(parseDag(`dag: named\n${text}`, { id: 'given' }).id, 'named');
  });
});

describe('JORM text format: values', () => {
  it('reads double- and single-quoted strings with escapes', () => {
    assert.equal(valueWritten('"a \\"b\\" \\\\ \\n \\t end"'), 'a "b" \\ \n \t end');
    assert.equal(valueWritten("'it\\'s'"), "it's");
    assert.equal(valueWritten('\'say "hi"\''), 'say "hi"');
    assert.equal(valueWritten('"\\u00e9\\u{1F600}"'), 'é😀');
    assert.equal(valueWritten('""'), '');
  });

  it('reads triple-quoted strings: first line break dropped, common indentation removed', () => {
    assert.equal(
      valueWritten('"""\n        import sys\n        if True:\n            print(1)\n        """'),
      'import sys\nif True:\n    print(1)\n',
    );
    assert.equal(valueWritten('"""one line"""'), 'one line');
    assert.equal(valueWritten('"""\n    no final break"""'), 'no final break');
    assert.equal(valueWritten("'''\n    a \"quoted\" word\n    '''"), 'a "quoted" word\n');
    assert.equal(valueWritten('"""raw \\n stays"""'), 'raw \\n stays');
  });

  it('reads bare words, numbers, booleans and null', () => {
    assert.equal(valueWritten('shell'), 'shell');
    assert.equal(valueWritten('./some/path-1.txt'), './some/path-1.txt');
    assert.equal(valueWritten('30s'), '30s');
    assert.equal(valueWritten('${params.DATE}/x'), '${params.DATE}/x');
    assert.equal(valueWritten('42'), 42);
    assert.equal(valueWritten('-1.5'), -1.5);
    assert.equal(valueWritten('2e3'), 2000);
    assert.equal(valueWritten('true'), true);
    assert.equal(valueWritten('false'), false);
    assert.equal(valueWritten('null'), null);
  });

  it('reads lists separated by commas or new lines, with a trailing comma', () => {
    assert.deepEqual(valueWritten('[a, "b", 3]'), ['a', 'b', 3]);
    assert.deepEqual(valueWritten('[]'), []);
    assert.deepEqual(valueWritten('[\n        a\n        b,\n        c,\n    ]'), ['a', 'b', 'c']);
    assert.deepEqual(valueWritten('[[1, 2], [], [x]]'), [[1, 2], [], ['x']]);
  });

  it('reads maps with bare or quoted keys, nested', () => {
    assert.deepEqual(valueWritten('{ a: 1, "b c": two, \'d\': [x] }'), { a: 1, 'b c': 'two', d: ['x'] });
    assert.deepEqual(
      valueWritten('{\n        outer: {\n            inner: { deep: true }\n        }\n    }'),
      {
        outer: { inner: { deep: true } },
      },
    );
    assert.deepEqual(valueWritten('{}'), {});
    assert.deepEqual(valueWritten('{ 007: x }'), { '007': 'x' });
  });

  it('ignores comments after values and on their own lines, but not inside strings', () => {
    const dag = parseOk(
      '# head\ntask a { # here\n  type: shell # there\n  # alone\n  command: "echo #1" # after\n}\n',
    );
    assert.deepEqual(dag.getTask('a')!.config, { kind: 'shell', command: 'echo #1' });
  });

  it('reads a # inside a bare word as part of it: a comment starts after a space, as in YAML', () => {
    const destination = (dag: Dag, id: string): string | undefined => {
      const config = dag.getTask(id)!.config;
      return config.kind === 'file_operation' ? config.destination : undefined;
    };
    const dag = parseOk('task a {\n  type: file_create\n  path: out#1.txt # the report\n  content: x\n}\n');
    assert.equal(destination(dag, 'a'), 'out#1.txt');
    const oneLine = parseOk('task b { type: file_create, path: out#2.txt, content: y }\n');
    assert.equal(destination(oneLine, 'b'), 'out#2.txt');
  });

  it('accepts task bodies on one line with commas, CRLF line ends and a BOM', () => {
    const one = parseOk('task a { type: shell, command: "x", timeout: 2m }');
    assert.equal(one.getTask('a')!.timeout, 120_000);
    const crlf = parseOk('\uFEFFdag: d\r\ntask a {\r\n  type: shell\r\n  command: "x"\r\n}\r\n');
    assert.equal(crlf.id, 'd');
    assert.deepEqual(crlf.getTask('a')!.config, { kind: 'shell', command: 'x' });
  });

  it('reads durations in every unit, and numbers as seconds', () => {
    const units: [string, number][] = [
      ['500ms', 500],
      ['30s', 30_000],
      ['10m', 600_000],
      ['2h', 7_200_000],
      ['7d', 604_800_000],
      ['45', 45_000],
      ['"1.5s"', 1500],
    ];
    for (const [written, ms] of units) {
      const dag = parseOk(`task a {\n type: shell\n command: "x"\n timeout: ${written}\n}`);
      assert.equal(dag.getTask('a')!.timeout, ms, written);
    }
  });

  it('keeps task ids written as numbers as written', () => {
    const dag = parseOk(
      'task 007 { type: shell, command: "x" }\ntask b { type: shell, command: "y", depends_on: [007] }',
    );
    assert.deepEqual(dag.taskIds, ['007', 'b']);
    assert.deepEqual(dag.getTask('b')!.dependsOn, ['007']);
  });
});
