// biome-ignore-all lint/suspicious/noTemplateCurlyInString: DAG files keep ${…} references verbatim; these are plain strings
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { Dag } from '../../src/model/dag.js';
import { Task } from '../../src/model/task.js';
import { dagToRecord } from '../../src/parse/dag-record.js';
import { type DagFormat, parseDag, parseDagFileSync } from '../../src/parse/parse-dag.js';
import { serializeDag } from '../../src/parse/serialize.js';
import { meaning } from './helpers.js';

/** Writes the DAG in each format in turn and reads it back: jorm -> yaml -> json -> jorm. */
function roundTrip(dag: Dag): void {
  let current = dag;
  for (const format of ['jorm', 'yaml', 'json', 'jorm'] as DagFormat[]) {
    const text = serializeDag(current, format);
    const next = parseDag(text, { format });
    assert.deepEqual(meaning(next), meaning(dag), `after ${format}:\n${text}`);
    current = next;
  }
}

const FILES = [
  ...['full.jorm', 'full.yaml', 'full.json'].map((f) => resolve('test/fixtures/dags', f)),
  ...readdirSync(resolve('examples'))
    .filter((f) => /\.(jorm|ya?ml|json)$/.test(f))
    .map((f) => join(resolve('examples'), f)),
];

describe('round trips between the formats', () => {
  for (const file of FILES) {
    it(`keeps every value of ${file.split('/').slice(-2).join('/')}`, () => {
      roundTrip(parseDagFileSync(file));
    });
  }

  it('keeps a DAG built in code', () => {
    const dag = new Dag('built', 'Built in code');
    dag.description = 'multi\nline "quoted" \\ text';
    dag.environment = { A: 'x y', EMPTY: '' };
    dag.params = { WHEN: 'today' };
    const build = Task.shell('build', 'echo "hi" && printf \'%s\\n\' $HOME', {
      workingDir: 'w d',
      output: 'json',
    })
      .withTimeout('90m')
      .withEnvVar('K', 'v=1')
      .withRetry({ maxAttempts: 3, backoff: 'fixed', retryOnExitCodes: [2] });
    build.metadata = { nested: { list: [1, 'two', null, { deep: true }] }, 'odd key': 1.5 };
    build.tags = ['a', 'b c'];
    build.queue = 'q';
    build.resources = { cpu: 1.5, memory: 3 * 1024 ** 3 };
    dag.addTask(build);
    const script = new Task('py', 'Python step', 'python', {
      kind: 'python_script',
      script: 'import sys\nprint("x")\n    indented\n',
      args: ['--a', 'b c'],
      pythonPath: 'python3',
    });
    script.addDependency('build');
    dag.addTask(script);
    dag.addTask(
      new Task('fn', undefined, 'python', {
        kind: 'python_function',
        module: 'm',
        function: 'f',
        args: [1, [2]],
        kwargs: { k: { v: 'w' } },
      }).addDependency('py'),
    );
    dag.addTask(
      new Task('call', undefined, 'http', {
        kind: 'http_request',
        method: 'PUT',
        url: 'http://127.0.0.1:1/x?y=${params.WHEN}',
        headers: { 'X-A': 'b' },
        body: '{"a":1}\n',
        auth: { type: 'api_key', key: 'k', header: 'X-Key' },
        timeout: 1500,
        expectedStatus: [409],
      }),
    );
    dag.addTask(
      new Task('cp', undefined, 'file', {
        kind: 'file_operation',
        operation: 'copy',
        source: 'a',
        destination: 'b',
        options: { overwrite: false, recursive: true },
      }),
    );
    dag.addTask(
      new Task('mk', undefined, 'file', {
        kind: 'file_operation',
        operation: 'create',
        destination: 'x.txt',
        options: { content: '  leading spaces\nand """ triple quotes', overwrite: true },
      }),
    );
    dag.addTask(
      new Task('sub', undefined, 'jorm', { kind: 'jorm', args: ['execute', '--file', "it's here.jorm"] }),
    );
    dag.addTask(
      new Task('own', undefined, 'my_type', { kind: 'custom', values: { image: 'alpine', n: 3, on: true } }),
    );
    roundTrip(dag);
  });

  it('writes readable JORM text', () => {
    const dag = parseDagFileSync(resolve('test/fixtures/dags/full.jorm'));
    const text = serializeDag(dag, 'jorm');
    assert.match(text, /^dag: full_example\n/);
    assert.match(text, /\ntask build \{\n {4}type: shell\n/);
    assert.match(text, /\n {4}timeout: 10m\n/);
    assert.match(text, /\n {4}resources: \{\n {8}cpu: 2\n {8}memory: 512MB\n {4}\}\n/);
    assert.match(text, /\n {4}content: """\n {8}line one\n {10}indented\n {8}"""\n/);
    assert.match(serializeDag(dag, 'yaml'), /\n {4}content: \|\n {6}line one\n/);
    assert.equal(JSON.parse(serializeDag(dag, 'json')).tasks[0].id, 'build');
    assert.deepEqual(dagToRecord(dag), JSON.parse(serializeDag(dag, 'json')));
  });
});
