import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { DagValidationError } from '../../src/model/errors.js';
import { dagToRecord } from '../../src/parse/dag-record.js';
import { readJsonDocument } from '../../src/parse/json-reader.js';
import { formatFromPath, parseDagFile, parseDagFileSync } from '../../src/parse/parse-dag.js';
import { readYamlDocument } from '../../src/parse/yaml-reader.js';
import { assertProblem, diagnose, parseOk } from './helpers.js';

const FIXTURES = resolve('test/fixtures/dags');

describe('YAML and JSON', () => {
  it('the same DAG written in the three formats gives equal DAGs', async () => {
    const jorm = await parseDagFile(join(FIXTURES, 'full.jorm'));
    const yaml = await parseDagFile(join(FIXTURES, 'full.yaml'));
    const json = parseDagFileSync(join(FIXTURES, 'full.json'));
    assert.equal(jorm.size, 13);
    assert.deepEqual(dagToRecord(yaml), dagToRecord(jorm));
    assert.deepEqual(dagToRecord(json), dagToRecord(jorm));
    assert.deepEqual(
      yaml.tasks.map((t) => t.config),
      jorm.tasks.map((t) => t.config),
    );
    assert.equal(jorm.sourceFile, join(FIXTURES, 'full.jorm'));
  });

  it('tasks as a list with ids or as a map from id to task', () => {
    const list = parseOk(
      'tasks:\n  - id: a\n    type: shell\n    command: x\n  - id: b\n    type: shell\n    command: y\n    depends_on: [a]\n',
      'yaml',
    );
    const map = parseOk(
      'tasks:\n  a: { type: shell, command: x }\n  b: { type: shell, command: y, depends_on: a }\n',
      'yaml',
    );
    assert.deepEqual(dagToRecord(list), dagToRecord(map));
    assert.deepEqual(list.taskIds, ['a', 'b']);
  });

  it('locates tasks and keys in YAML and JSON', () => {
    const yaml = parseOk('dag: y\ntasks:\n  - id: a\n    type: shell\n    command: "echo"\n', 'yaml');
    assert.deepEqual(yaml.getTask('a')!.location, { line: 3, column: 5 });
    assert.deepEqual(yaml.getTask('a')!.keyLocations['command'], { line: 5, column: 5 });
    const json = parseOk(
      '{\n  "tasks": {\n    "a": {\n      "type": "shell", "command": "echo"\n    }\n  }\n}',
      'json',
    );
    assert.deepEqual(json.getTask('a')!.location, { line: 3, column: 5 });
    assert.deepEqual(json.getTask('a')!.keyLocations['command'], { line: 4, column: 24 });
  });

  it('reads YAML anchors and aliases', () => {
    const dag = parseOk(
      'env: &env { A: "1" }\ntasks:\n  a: &base { type: shell, command: echo, env: *env }\n  b: *base\n',
      'yaml',
    );
    assert.deepEqual(dag.taskIds, ['a', 'b']);
    assert.deepEqual(dag.getTask('b')!.config, { kind: 'shell', command: 'echo' });
    assert.deepEqual(dag.getTask('b')!.environment, { A: '1' });
    assert.deepEqual(dag.environment, { A: '1' });
  });

  it('gives the same problems, with the same messages, in every format', () => {
    const jorm = diagnose(
      'task a {\n  type: shell\n  comand: "x"\n  timeout: soon\n  depends_on: [ghost]\n}',
      'jorm',
    );
    const yaml = diagnose(
      'tasks:\n  a:\n    type: shell\n    comand: x\n    timeout: soon\n    depends_on: [ghost]\n',
      'yaml',
    );
    const json = diagnose(
      '{"tasks": [{"id": "a", "type": "shell", "comand": "x", "timeout": "soon", "depends_on": ["ghost"]}]}',
      'json',
    );
    const messages = (ds: typeof jorm) => ds.map((d) => [d.code, d.message, d.hint]);
    assert.equal(jorm.length, 3);
    assert.deepEqual(messages(yaml), messages(jorm));
    assert.deepEqual(messages(json), messages(jorm));
    assert.deepEqual(
      yaml.map((d) => `${d.location?.line}:${d.location?.column}`),
      ['4:5', '5:14', '6:18'],
    );
  });
});

describe('YAML and JSON errors', () => {
  it('a YAML syntax error, located, and nothing guessed beyond it', () => {
    const problems = diagnose('tasks:\n  a:\n    type: shell\n    command: "unterminated\n', 'yaml');
    assert.equal(problems.length, 1);
    assertProblem(problems[0], { code: 'syntax', line: 5, column: 1, message: /Missing closing "quote/ });
  });

  it('a key written twice in YAML', () => {
    const p = diagnose(
      'tasks:\n  a: { type: shell, command: x }\n  a: { type: shell, command: y }\n',
      'yaml',
    )[0];
    assertProblem(p, { code: 'duplicate-key', line: 3, column: 3, message: 'Map keys must be unique' });
  });

  it('reads a JSON file that starts with a byte order mark, as .jorm and YAML files, columns unchanged', () => {
    const dag = parseOk(
      '\uFEFF{"dag": "bom", "tasks": [{"id": "a", "type": "shell", "command": "echo a"}]}',
      'json',
    );
    assert.equal(dag.id, 'bom');
    assert.deepEqual(
      dag.tasks.map((t) => t.id),
      ['a'],
    );
    assertProblem(diagnose('\uFEFF{"tasks": {"a": {"type": shell, "command": "x"}}}', 'json')[0], {
      code: 'syntax',
      line: 1,
      column: 27,
      message: 'invalid JSON: "shell" is not a JSON value',
    });
  });

  it('JSON is read strictly', () => {
    assertProblem(diagnose('{"tasks": {"a": {"type": \'shell\', "command": "x"}}}', 'json')[0], {
      code: 'syntax',
      line: 1,
      column: 26,
      message: 'invalid JSON: strings are written in double quotes',
    });
    assertProblem(diagnose('{"tasks": {"a": {"type": shell, "command": "x"}}}', 'json')[0], {
      code: 'syntax',
      line: 1,
      column: 26,
      message: 'invalid JSON: "shell" is not a JSON value',
    });
    assertProblem(diagnose('tasks:\n  a: { "type": "shell", "command": "x" }\n', 'json')[0], {
      code: 'syntax',
      line: 1,
      column: 1,
      message: 'invalid JSON: this is YAML block syntax',
    });
    assertProblem(diagnose('{"tasks": {"a": {"type": "shell", "command": "x"},}}', 'json')[0], {
      code: 'syntax',
      line: 1,
      column: 51,
      message: 'invalid JSON: Expected double-quoted property name',
    });
    assertProblem(diagnose('{"tasks": [', 'json')[0], {
      code: 'syntax',
      line: 1,
      column: 12,
      message: /Flow sequence/,
    });
  });

  it('the shape of "tasks" and of the file', () => {
    assertProblem(diagnose('tasks: 3\n', 'yaml')[0], {
      code: 'wrong-type',
      line: 1,
      column: 8,
      message: /"tasks" must be a list/,
    });
    assertProblem(diagnose('[1, 2]', 'json')[0], {
      code: 'wrong-type',
      line: 1,
      column: 1,
      message: /must hold a map with "tasks", not a list/,
    });
    assertProblem(diagnose('dag: x\n', 'yaml')[0], {
      code: 'missing-key',
      line: 1,
      column: 1,
      message: /needs "tasks"/,
    });
    assertProblem(diagnose('# nothing\n', 'yaml')[0], {
      code: 'missing-key',
      line: 1,
      column: 1,
      message: /the file is empty/,
    });
    assertProblem(diagnose('tasks:\n  - type: shell\n    command: x\n', 'yaml')[0], {
      code: 'missing-key',
      line: 2,
      column: 5,
      message: 'item 1 of "tasks" needs an "id" (a string)',
    });
    assertProblem(diagnose('tasks:\n  - oops\n', 'yaml')[0], {
      code: 'wrong-type',
      line: 2,
      column: 5,
      message: 'item 1 of "tasks" must be a map of task keys',
    });
    assertProblem(diagnose('tasks:\n  a: { id: a, type: shell, command: x }\n', 'yaml')[0], {
      code: 'unknown-key',
      line: 2,
      column: 8,
      message: /already its key/,
    });
  });

  it('keys that are not strings', () => {
    assertProblem(diagnose('tasks:\n  ? [a]\n  : { type: shell }\n', 'yaml')[0], {
      code: 'wrong-type',
      line: 2,
      column: 5,
      message: 'map keys must be plain strings',
    });
  });

  it('aliases that expand without bound are refused', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++)
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`,
      );
    const problems = diagnose(`${bomb.join('\n')}\ntasks: []\n`, 'yaml');
    assert.ok(problems.some((p) => p.message === 'aliases expand to too many values'));
  });
});

describe('files', () => {
  it('formatFromPath goes by extension, JORM text by default', () => {
    assert.equal(formatFromPath('a/b.jorm'), 'jorm');
    assert.equal(formatFromPath('b.txt'), 'jorm');
    assert.equal(formatFromPath('b.YAML'), 'yaml');
    assert.equal(formatFromPath('b.yml'), 'yaml');
    assert.equal(formatFromPath('b.json'), 'json');
    assert.equal(formatFromPath('Dagfile'), 'jorm');
  });

  it('a missing file is a DagValidationError naming it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jorm-parse-'));
    try {
      const missing = join(dir, 'nope.jorm');
      await assert.rejects(parseDagFile(missing), (error: unknown) => {
        assert.ok(error instanceof DagValidationError);
        assert.equal(error.diagnostics[0]?.code, 'unreadable-file');
        assert.equal(error.diagnostics[0]?.message, `cannot read ${missing}: no such file`);
        return true;
      });
      assert.throws(() => parseDagFileSync(dir), /it is a directory/);
      const file = join(dir, 'nightly.yml');
      await writeFile(file, 'tasks:\n  a: { type: shell, command: x }\n');
      const dag = await parseDagFile(file);
      assert.equal(dag.id, 'nightly');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the JSON reader', () => {
  it('reads JSON exactly as the YAML reader does, positions included', () => {
    const texts = [
      readFileSync(join(FIXTURES, 'full.json'), 'utf8'),
      '{"tasks": {"a": {"type": "shell", "command": "x", "comand": 1, "env": {"A": "\\"q\\" \\u00e9"}}}}',
      '{\r\n  "dag": "d",\r\n  "tasks": [ {"id": "007", "type": "x", "n": -1.5e3, "m": [true, false, null, {}]} ]\r\n}',
      '[1, 2]',
    ];
    for (const text of texts) {
      assert.deepEqual(readJsonDocument(text, 'f.json'), readYamlDocument(text, 'f.json', true), text);
    }
  });

  it('reports keys written twice', () => {
    const p = diagnose('{"tasks": {"a": {"type": "shell", "command": "x", "command": "y"}}}', 'json')[0];
    assertProblem(p, {
      code: 'duplicate-key',
      line: 1,
      column: 51,
      message: 'key "command" is written twice in this map (first at line 1)',
    });
  });
});
