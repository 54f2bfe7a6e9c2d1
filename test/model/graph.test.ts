import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Dag } from '../../src/model/dag.js';
import { analyzeGraph, upstreamOf } from '../../src/model/graph.js';
import { Task } from '../../src/model/task.js';

/** A DAG from `id: deps` pairs, tasks in the order given. */
function dagOf(spec: Record<string, string[]>): Dag {
  const dag = new Dag('g');
  for (const [id, deps] of Object.entries(spec)) {
    const task = Task.shell(id, `echo ${id}`);
    for (const d of deps) task.addDependency(d);
    dag.addTask(task);
  }
  return dag;
}

describe('analyzeGraph', () => {
  it('orders a diamond, groups it into waves and measures its longest chain', () => {
    const g = analyzeGraph(dagOf({ a: [], b: ['a'], c: ['a'], d: ['b', 'c'] }));
    assert.deepEqual(g.order, ['a', 'b', 'c', 'd']);
    assert.deepEqual(g.waves, [['a'], ['b', 'c'], ['d']]);
    assert.equal(g.edges, 4);
    assert.equal(g.longestChain, 3);
    assert.deepEqual(
      [...g.remainingChain],
      [
        ['d', 1],
        ['c', 2],
        ['b', 2],
        ['a', 3],
      ],
    );
    assert.deepEqual(g.dependents.get('a'), ['b', 'c']);
    assert.deepEqual(g.cycles, []);
    assert.deepEqual(g.missing, []);
  });

  it('places a task in the wave after its deepest dependency', () => {
    const g = analyzeGraph(dagOf({ a: [], b: ['a'], c: ['b'], d: ['a', 'c'], e: [] }));
    assert.deepEqual(g.waves, [['a', 'e'], ['b'], ['c'], ['d']]);
    assert.equal(g.longestChain, 4);
  });

  it('keeps declaration order among independent tasks, and counts repeated dependencies once', () => {
    const dag = dagOf({ z: [], y: [], x: [] });
    dag.getTask('x')!.dependsOn.push('z', 'z');
    const g = analyzeGraph(dag);
    assert.deepEqual(g.order, ['z', 'y', 'x']);
    assert.equal(g.edges, 1);
    assert.equal(analyzeGraph(new Dag('empty')).longestChain, 0);
  });

  it('reports dependencies on missing tasks without counting them as edges', () => {
    const g = analyzeGraph(dagOf({ a: ['ghost'], b: ['a', 'phantom'] }));
    assert.deepEqual(g.missing, [
      { taskId: 'a', dependency: 'ghost' },
      { taskId: 'b', dependency: 'phantom' },
    ]);
    assert.equal(g.edges, 1);
    assert.deepEqual(g.order, ['a', 'b']);
  });

  it('reports a cycle as its whole closed path, in execution order', () => {
    const g = analyzeGraph(dagOf({ a: ['c'], b: ['a'], c: ['b'], d: [] }));
    assert.equal(g.cycles.length, 1);
    const cycle = g.cycles[0]!;
    assert.equal(cycle.length, 4);
    assert.equal(cycle[0], cycle[3]);
    for (let k = 0; k + 1 < cycle.length; k++) {
      assert.ok(
        dagOf({ a: ['c'], b: ['a'], c: ['b'] })
          .getTask(cycle[k + 1]!)!
          .dependsOn.includes(cycle[k]!),
        `${cycle[k + 1]} depends on ${cycle[k]}`,
      );
    }
    assert.deepEqual(g.order, ['d'], 'only the tasks outside the cycle are ordered');
  });

  it('reports a self-dependency and separate cycles each once', () => {
    assert.deepEqual(analyzeGraph(dagOf({ s: ['s'] })).cycles, [['s', 's']]);
    const g = analyzeGraph(dagOf({ a: ['b'], b: ['a'], c: ['d'], d: ['c'], e: ['a'] }));
    assert.equal(g.cycles.length, 2);
    assert.deepEqual(
      g.cycles.map((c) => [...new Set(c)].sort().join()),
      ['a,b', 'c,d'],
    );
    assert.ok(g.cycles.every((c) => c.length === 3 && c[0] === c[2]));
  });
});

describe('upstreamOf', () => {
  it('collects direct and transitive dependencies, not the task itself', () => {
    const dag = dagOf({ a: [], b: ['a'], c: ['b'], d: ['c', 'a'], e: [] });
    assert.deepEqual([...upstreamOf(dag, 'd')].sort(), ['a', 'b', 'c']);
    assert.deepEqual([...upstreamOf(dag, 'e')], []);
    assert.deepEqual([...upstreamOf(dag, 'nope')], []);
  });
});
