import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NativeExecutor } from '../../src/engine/native-executor.js';
import { TaskRegistry } from '../../src/engine/registry.js';
import { ControlledExecutor, customTask, dagOf } from './controlled-executor.js';

function executorWith(controlled: ControlledExecutor[], maxConcurrentTasks: number): NativeExecutor {
  const registry = new TaskRegistry();
  for (const c of controlled) registry.register(c);
  return NativeExecutor.withTaskRegistry({ maxConcurrentTasks }, registry);
}

describe('scheduling', () => {
  it('starts a task only after all its dependencies succeeded', async () => {
    const ctl = new ControlledExecutor();
    const dag = dagOf([
      ['a', []],
      ['b', []],
      ['c', ['a', 'b']],
    ]);
    const run = executorWith([ctl], 4).executeDag(dag);
    await ctl.waitStarted(2);
    assert.deepEqual([...ctl.started].sort(), ['a', 'b']);
    ctl.finish('a');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(ctl.isRunning('c'), false, 'c must wait for b');
    ctl.finish('b');
    await ctl.waitStarted(3);
    assert.equal(ctl.started[2], 'c');
    ctl.finish('c');
    const result = await run;
    assert.equal(result.status, 'success');
    assert.deepEqual(Object.keys(result.taskResults), ['a', 'b', 'c']);
  });

  it('never runs more than maxConcurrentTasks at once, and fills free slots', async () => {
    const ctl = new ControlledExecutor();
    const dag = dagOf(Array.from({ length: 7 }, (_, i): [string, string[]] => [`t${i}`, []]));
    const run = executorWith([ctl], 3).executeDag(dag);
    await ctl.waitStarted(3);
    assert.equal(ctl.running, 3);
    for (let done = 0; done < 7; done++) {
      const id = ctl.started[done]!;
      ctl.finish(id);
      await ctl.waitStarted(Math.min(7, done + 4));
      assert.ok(ctl.running <= 3);
    }
    const result = await run;
    assert.equal(result.status, 'success');
    assert.equal(ctl.maxRunning, 3);
    assert.equal(result.metrics.peakConcurrentTasks, 3);
  });

  it('runs at most one task at a time of an executor without parallel support', async () => {
    const serial = new ControlledExecutor('serial', false);
    const parallel = new ControlledExecutor('par');
    const dag = dagOf(
      [
        ['s1', []],
        ['s2', []],
        ['s3', []],
      ],
      'serial',
    );
    dag.addTask(customTask('p1', [], 'par')).addTask(customTask('p2', [], 'par'));
    const run = executorWith([serial, parallel], 4).executeDag(dag);
    await serial.waitStarted(1);
    await parallel.waitStarted(2);
    assert.equal(serial.running, 1, 'other slots go to the parallel tasks');
    parallel.finish('p1');
    parallel.finish('p2');
    for (let k = 1; k <= 3; k++) {
      await serial.waitStarted(k);
      assert.equal(serial.running, 1);
      serial.finish(serial.started[k - 1]!);
    }
    const result = await run;
    assert.equal(result.status, 'success');
    assert.equal(serial.maxRunning, 1);
    assert.deepEqual(serial.started, ['s1', 's2', 's3']);
  });

  it('starts ready tasks by longest remaining chain first, then declaration order', async () => {
    const ctl = new ControlledExecutor();
    // chains: a 1; b -> c -> d: b 3, c 2, d 1; e -> f: e 2, f 1
    const dag = dagOf([
      ['a', []],
      ['b', []],
      ['c', ['b']],
      ['d', ['c']],
      ['e', []],
      ['f', ['e']],
    ]);
    const run = executorWith([ctl], 1).executeDag(dag);
    for (let k = 1; k <= 6; k++) {
      await ctl.waitStarted(k);
      ctl.finish(ctl.started[k - 1]!);
    }
    await run;
    assert.deepEqual(ctl.started, ['b', 'c', 'e', 'a', 'd', 'f']);
  });

  it('gives a task the results of all its upstream tasks, direct and transitive', async () => {
    const ctl = new ControlledExecutor();
    const dag = dagOf([
      ['a', []],
      ['b', ['a']],
      ['x', []],
      ['c', ['b']],
    ]);
    const run = executorWith([ctl], 1).executeDag(dag);
    for (let k = 1; k <= 4; k++) {
      await ctl.waitStarted(k);
      const id = ctl.started[k - 1]!;
      ctl.finish(id, { stdout: `out of ${id}`, outputData: { id } });
    }
    await run;
    const c = ctl.contexts[ctl.started.indexOf('c')]!;
    assert.deepEqual(Object.keys(c.upstream).sort(), ['a', 'b']);
    assert.equal(c.upstream['a']?.stdout, 'out of a');
    assert.deepEqual(c.upstream['b']?.outputData, { id: 'b' });
    assert.equal(c.upstream['x'], undefined);
    assert.equal('x' in c.upstream, false);
    const a = ctl.contexts[ctl.started.indexOf('a')]!;
    assert.deepEqual(Object.keys(a.upstream), []);
    assert.equal(c.attempt, 1);
    assert.equal(c.taskId, 'c');
    assert.equal(c.dagId, 'test');
  });
});
