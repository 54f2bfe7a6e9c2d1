import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Dag } from '../../src/model/dag.js';
import { dagToDot, dagToMermaid } from '../../src/model/graph-render.js';
import { Task } from '../../src/model/task.js';

function sample(): Dag {
  const dag = new Dag('demo', 'Demo "graph"');
  dag.addTask(Task.shell('fetch', 'x'));
  dag.addTask(Task.shell('end', 'x').addDependency('fetch'));
  dag.addTask(
    new Task('my-step', undefined, 'docker', { kind: 'custom', values: {} }).addDependency('fetch'),
  );
  dag.addTask(Task.shell('last', 'x').addDependency('end').addDependency('my-step').addDependency('ghost'));
  return dag;
}

describe('dagToMermaid', () => {
  it('draws a node per task (id and type) and an edge from each dependency', () => {
    assert.equal(
      dagToMermaid(sample()),
      [
        'flowchart TD',
        '    fetch["fetch<br/><small>shell</small>"]',
        '    t2["end<br/><small>shell</small>"]',
        '    t3["my-step<br/><small>docker</small>"]',
        '    last["last<br/><small>shell</small>"]',
        '    fetch --> t2',
        '    fetch --> t3',
        '    t2 --> last',
        '    t3 --> last',
        '',
      ].join('\n'),
    );
  });

  it('escapes labels', () => {
    const dag = new Dag('x');
    dag.addTask(new Task('a', undefined, 'we"ird<type>', { kind: 'custom', values: {} }));
    assert.match(dagToMermaid(dag), /a\["a<br\/><small>we#34;ird#60;type#62;<\/small>"\]/);
  });
});

describe('dagToDot', () => {
  it('draws a digraph with quoted ids and labels', () => {
    assert.equal(
      dagToDot(sample()),
      [
        'digraph "demo" {',
        '    rankdir=TB;',
        '    node [shape=box, style=rounded, fontname="Helvetica"];',
        '    label="Demo \\"graph\\"";',
        '    "fetch" [label="fetch\\nshell"];',
        '    "end" [label="end\\nshell"];',
        '    "my-step" [label="my-step\\ndocker"];',
        '    "last" [label="last\\nshell"];',
        '    "fetch" -> "end";',
        '    "fetch" -> "my-step";',
        '    "end" -> "last";',
        '    "my-step" -> "last";',
        '}',
        '',
      ].join('\n'),
    );
  });
});
