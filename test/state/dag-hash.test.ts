import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Dag } from '../../src/model/dag.js';
import { Task } from '../../src/model/task.js';
import { canonicalJson, dagHash } from '../../src/state/dag-hash.js';

function build(order: string[], mutate?: (dag: Dag) => void): Dag {
  const dag = new Dag('d');
  const defs: Record<string, Task> = {
    a: new Task('a', 'A', 'shell', { kind: 'shell', command: 'echo a', workingDir: 'x' }),
    b: new Task('b', undefined, 'shell', { kind: 'shell', command: 'echo b' }).addDependency('a'),
    c: new Task('c', undefined, 'http', {
      kind: 'http_request',
      method: 'GET',
      url: 'http://h/',
      headers: { x: '1', y: '2' },
    })
      .addDependency('a')
      .addDependency('b'),
  };
  for (const id of order) dag.addTask(defs[id]!);
  mutate?.(dag);
  return dag;
}

describe('dagHash', () => {
  const base = dagHash(build(['a', 'b', 'c']));

  it('is a stable sha-256, blind to declaration order, names, locations, timeouts and retries', () => {
    assert.match(base, /^[0-9a-f]{64}$/);
    assert.equal(dagHash(build(['c', 'a', 'b'])), base);
    const cosmetic = build(['a', 'b', 'c'], (dag) => {
      const a = dag.getTask('a')!;
      a.name = 'renamed';
      a.description = 'text';
      a.location = { file: 'f.jorm', line: 3, column: 1 };
      a.timeout = 99_000;
      a.metadata = { owner: 'me' };
    });
    assert.equal(dagHash(cosmetic), base);
  });

  it('changes with a command, a dependency, an environment value or a task', () => {
    const changes: ((dag: Dag) => void)[] = [
      (dag) => {
        dag.getTask('a')!.config = { kind: 'shell', command: 'echo A', workingDir: 'x' };
      },
      (dag) => {
        dag.getTask('c')!.dependsOn = ['a'];
      },
      (dag) => {
        dag.getTask('b')!.environment = { MODE: 'fast' };
      },
      (dag) => {
        dag.environment = { REGION: 'eu' };
      },
      (dag) => {
        dag.addTask(new Task('d', undefined, 'shell', { kind: 'shell', command: 'true' }));
      },
    ];
    for (const change of changes) assert.notEqual(dagHash(build(['a', 'b', 'c'], change)), base);
  });

  it('keeps the hash it gave before (stored hashes of earlier runs still match)', () => {
    // The value jorm 0.1's replacer-based canonical JSON gave this DAG: a change of the text hashed would
    // make every recorded run look like a changed DAG to `jorm resume`.
    const dag = new Dag('d');
    dag.environment = { REGION: 'eu', A: '1' };
    dag.addTask(new Task('a', 'A', 'shell', { kind: 'shell', command: 'echo a', workingDir: 'x' }));
    dag.addTask(new Task('b', undefined, 'shell', { kind: 'shell', command: 'echo b' }).addDependency('a'));
    dag.addTask(
      new Task('c', undefined, 'http', {
        kind: 'http_request',
        method: 'GET',
        url: 'http://h/',
        headers: { y: '2', x: '1', '10': 'ten', '2': 'two' },
        body: '{"z":1}',
      })
        .addDependency('b')
        .addDependency('a'),
    );
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a jorm reference, not a template
    dag.getTask('b')!.environment = { MODE: 'fast', B: '${A}' };
    assert.equal(dagHash(dag), '65a2e06b318e2a35c32fe3de1c62aa1087477f892213311f0e43815f3e6d064a');
  });

  it('writes canonical JSON with sorted keys', () => {
    assert.equal(
      canonicalJson({ b: [1, { d: 1, c: null }], a: 'x', u: undefined }),
      '{"a":"x","b":[1,{"c":null,"d":1}]}',
    );
    // As JSON.stringify: toJSON first, functions and undefined left out, integer keys first.
    assert.equal(
      canonicalJson({ b: [{ f: () => 1, e: undefined }], '10': 1, '9': 2, d: new Date(0) }),
      '{"9":2,"10":1,"b":[{}],"d":"1970-01-01T00:00:00.000Z"}',
    );
    assert.equal(canonicalJson('text'), '"text"');
    assert.equal(canonicalJson(undefined), 'null');
  });
});
