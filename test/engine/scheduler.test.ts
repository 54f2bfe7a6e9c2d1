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

describe('wait times', () => {
  /** Keeps the thread busy for `ms` (the engine's own handling, made slow on purpose). */
  const busy = (ms: number): void => {
    const until = Date.now() + ms;
    while (Date.now() < until);
  };
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('counts no wait for a task that started as soon as it was ready, however slow the engine', async () => {
    const ctl = new ControlledExecutor();
    const dag = dagOf([
      ['a', []],
      ['b', ['a']],
      ['c', ['b']],
    ]);
    // A listener that takes 5 ms for each task_ready event delays every start by 5 ms after its ready.
    const run = executorWith([ctl], 2).executeDag(dag, {
      onEvent: (e) => {
        if (e.type === 'task_ready') busy(5);
      },
    });
    for (let k = 1; k <= 3; k++) {
      await ctl.waitStarted(k);
      ctl.finish(ctl.started[k - 1]!);
    }
    const result = await run;
    assert.equal(result.status, 'success');
    assert.deepEqual(result.metrics.taskWaitTimes, { a: 0, b: 0, c: 0 });
  });

  it('counts the whole time since ready for a task held back by a full slot or a busy serial type', async () => {
    const ctl = new ControlledExecutor();
    const serial = new ControlledExecutor('serial', false);
    const dag = dagOf([
      ['a', []],
      ['b', []],
    ]);
    dag.addTask(customTask('s1', [], 'serial')).addTask(customTask('s2', [], 'serial'));
    const run = executorWith([ctl, serial], 2).executeDag(dag, {
      onEvent: (e) => {
        if (e.type === 'task_ready') busy(5);
      },
    });
    // Slots: two. The serial tasks (longest chain first: all equal, so declaration order) are s1 and s2
    // after a and b: a and b start, then s1 and s2 wait for a slot, s2 also for s1.
    await ctl.waitStarted(2);
    await sleep(30);
    ctl.finish('a');
    await serial.waitStarted(1);
    await sleep(30);
    ctl.finish('b');
    serial.finish('s1');
    await serial.waitStarted(2);
    serial.finish('s2');
    const result = await run;
    assert.equal(result.status, 'success');
    const waits = result.metrics.taskWaitTimes;
    assert.equal(waits.a, 0);
    assert.equal(waits.b, 0);
    // s1 became ready at the start (with a and b) and started when a ended: 30 ms later and more, plus
    // the 5 ms of each task_ready before it; s2 started when s1 and b ended, 30 ms after that.
    assert.ok((waits.s1 ?? 0) >= 30, `s1 waited ${waits.s1} ms`);
    assert.ok((waits.s2 ?? 0) >= 60, `s2 waited ${waits.s2} ms`);
  });
});
