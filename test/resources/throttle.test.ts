import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ResourceLimitExceededError } from '../../src/model/errors.js';
import type { ResourceUsage } from '../../src/model/result.js';
import type { TaskResources } from '../../src/model/task.js';
import type { ResourceLimits } from '../../src/resources/limits.js';
import { RunningLedger, ThrottlePolicy, throttleLevel } from '../../src/resources/throttle.js';
import { formatThrottleEvent } from '../../src/resources/throttle-message.js';

const GiB = 1024 ** 3;
const machine = { cpus: 4, memoryBytes: 16 * GiB };
const limits: ResourceLimits = {
  maxCpuPercent: 80,
  maxMemoryPercent: 90,
  maxConcurrentTasks: 2,
  monitoringInterval: 1000,
  throttleThreshold: 0.9,
};
const usage = (cpuPercent: number, memoryPercent: number): ResourceUsage => ({
  cpuPercent,
  memoryPercent,
  runningTasks: 0,
  queuedTasks: 0,
  timestamp: new Date(),
});
const idle = { count: 0, cpu: 0, memory: 0 };

describe('throttleLevel', () => {
  it('is normal below limit × threshold, throttled from there, holding at the limit', () => {
    assert.equal(throttleLevel(usage(10, 10), limits).level, 'normal');
    assert.equal(throttleLevel(undefined, limits).level, 'normal');
    const throttled = throttleLevel(usage(73, 10), limits);
    assert.deepEqual(throttled, {
      level: 'throttled',
      resource: 'cpu',
      usage: 73,
      limit: 72,
      reason: 'cpu 73% >= 72%',
    });
    const holding = throttleLevel(usage(50, 91), limits);
    assert.equal(holding.level, 'holding');
    assert.equal(holding.level === 'holding' && holding.reason, 'memory 91% >= 90%');
  });

  it('treats a limit of 100% as no limit', () => {
    const off = { ...limits, maxCpuPercent: 100, throttleThreshold: 1 };
    assert.equal(throttleLevel(usage(100, 10), off).level, 'normal');
    assert.equal(throttleLevel(usage(100, 95), off).level, 'holding');
  });
});

describe('ThrottlePolicy', () => {
  const policy = new ThrottlePolicy({ limits, enableThrottling: true, machine });

  it('holds new tasks while usage is at the limit, with the reason', () => {
    const decision = policy.admit({ id: 't' }, { count: 1, cpu: 0, memory: 0 }, usage(20, 91));
    assert.deepEqual(decision, {
      admit: false,
      cause: 'throttle',
      resource: 'memory',
      usage: 91,
      limit: 90,
      reason: 'memory 91% >= 90%',
    });
  });

  it('always lets one task run when nothing runs (no deadlock)', () => {
    assert.deepEqual(policy.admit({ id: 't' }, idle, usage(100, 100)), { admit: true });
  });

  it('lowers concurrency to resourceLimits.maxConcurrentTasks above limit × threshold', () => {
    const hot = usage(75, 10);
    assert.deepEqual(policy.admit({ id: 't' }, { count: 1, cpu: 0, memory: 0 }, hot), { admit: true });
    const held = policy.admit({ id: 't' }, { count: 2, cpu: 0, memory: 0 }, hot);
    assert.equal(held.admit, false);
    assert.equal(!held.admit && held.cause, 'throttle');
    assert.equal(policy.concurrency(hot, 8), 2);
    assert.equal(policy.concurrency(usage(10, 10), 8), 8);
    assert.equal(policy.concurrency(usage(95, 10), 8), 1);
    assert.deepEqual(policy.admit({ id: 't' }, { count: 7, cpu: 0, memory: 0 }, usage(10, 10)), {
      admit: true,
    });
  });

  it('ignores measured usage when throttling is off', () => {
    const off = new ThrottlePolicy({ limits, enableThrottling: false, machine });
    assert.deepEqual(off.admit({ id: 't' }, { count: 5, cpu: 0, memory: 0 }, usage(100, 100)), {
      admit: true,
    });
    assert.equal(off.concurrency(usage(100, 100), 8), 8);
  });

  it('keeps declared resources of running tasks within the capacity', () => {
    const plain = new ThrottlePolicy({ machine });
    assert.deepEqual(plain.capacity, { cpu: 4, memory: 16 * GiB });
    const held = plain.admit({ id: 'big', resources: { cpu: 2 } }, { count: 1, cpu: 3, memory: 0 });
    assert.equal(held.admit === false && held.cause, 'resources');
    assert.match(
      !held.admit && held.cause === 'resources' ? held.reason : '',
      /cpu: 3 cores .* \+ 2 cores > 4 cores/,
    );
    const mem = plain.admit(
      { id: 'm', resources: { memory: 8 * GiB } },
      { count: 1, cpu: 0, memory: 9 * GiB },
    );
    assert.equal(mem.admit === false && mem.cause, 'resources');
    assert.deepEqual(plain.admit({ id: 'ok', resources: { cpu: 1 } }, { count: 1, cpu: 3, memory: 0 }), {
      admit: true,
    });
  });

  it('reports a task that can never fit, with the capacity the limits leave', () => {
    assert.deepEqual(policy.capacity, { cpu: 3.2, memory: 16 * GiB * 0.9 });
    const decision = policy.admit({ id: 'huge', resources: { cpu: 4 } }, idle);
    assert.equal(decision.admit, false);
    const error = !decision.admit && decision.cause === 'never' ? decision.error : undefined;
    assert.ok(error instanceof ResourceLimitExceededError);
    assert.equal(error.code, 'RESOURCE_LIMIT_EXCEEDED');
    assert.equal(error.context.taskId, 'huge');
    assert.equal(error.message, 'task "huge" needs 4 cores but at most 3.2 cores are available');
    const memory = policy.checkTask({ id: 'm', resources: { memory: 15 * GiB } });
    assert.match(memory?.message ?? '', /needs 15 GiB of memory but at most 14\.4 GiB/);
    assert.equal(policy.checkTask({ id: 'fine', resources: { cpu: 1, memory: GiB } }), undefined);
  });

  it('never deadlocks and never over-commits, whatever the usage samples', () => {
    const resources = fc.option(
      fc.record({ cpu: fc.option(fc.double({ min: 0.1, max: 3, noNaN: true }), { nil: undefined }) }),
      { nil: undefined },
    );
    fc.assert(
      fc.property(
        fc.array(resources, { minLength: 1, maxLength: 30 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })), {
          minLength: 1,
        }),
        fc.integer({ min: 1, max: 4 }),
        (tasks, samples, concurrency) => {
          const queue = tasks.map((r, i) => ({
            id: `t${i}`,
            ...(r ? { resources: r as TaskResources } : {}),
          }));
          const ledger = new RunningLedger();
          const running: string[] = [];
          let done = 0;
          for (let step = 0; done < queue.length; step++) {
            assert.ok(step < queue.length * 3, 'no progress');
            const [cpu, mem] = samples[step % samples.length]!;
            const sample = usage(cpu, mem);
            while (queue.length > done + running.length && running.length < concurrency) {
              const next = queue[done + running.length]!;
              const decision = policy.admit(next, ledger.load, sample);
              if (!decision.admit) {
                assert.notEqual(ledger.load.count, 0, 'a task that fits was held with nothing running');
                break;
              }
              ledger.add(next.id, next.resources);
              running.push(next.id);
              assert.ok(ledger.load.cpu <= policy.capacity.cpu + 1e-9, 'declared cpu over capacity');
              if (throttleLevel(sample, limits).level === 'holding') assert.equal(ledger.load.count, 1);
            }
            const finished = running.shift();
            if (finished !== undefined) {
              ledger.remove(finished);
              done++;
            }
          }
          assert.deepEqual(ledger.load, idle);
        },
      ),
    );
  });
});

describe('formatThrottleEvent', () => {
  it('reads as the CLI shows it', () => {
    const reason = 'memory 91% >= 90%';
    assert.equal(
      formatThrottleEvent({ state: 'holding', reason, heldTasks: 3 }),
      'holding 3 tasks: memory 91% ≥ 90%',
    );
    assert.equal(
      formatThrottleEvent({ state: 'released', reason, heldTasks: 1 }),
      'resuming 1 task (was: memory 91% ≥ 90%)',
    );
  });
});
