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

  it('writes canonical JSON with sorted keys', () => {
    assert.equal(
      canonicalJson({ b: [1, { d: 1, c: null }], a: 'x', u: undefined }),
      '{"a":"x","b":[1,{"c":null,"d":1}]}',
    );
  });
});
