import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { defaultResourceLimits, type ResourceLimits } from '../../src/resources/limits.js';
import { ResourceMonitor } from '../../src/resources/monitor.js';
import { type Fixture, startFixture } from './children.js';

const limits = (overrides: Partial<ResourceLimits> = {}): ResourceLimits => ({
  ...defaultResourceLimits(availableParallelism()),
  monitoringInterval: 200,
  ...overrides,
});

async function withFixtures<T>(start: () => Promise<Fixture[]>, body: () => Promise<T>): Promise<T> {
  const fixtures = await start();
  try {
    return await body();
  } finally {
    await Promise.all(fixtures.map((f) => f.kill()));
  }
}

describe('ResourceMonitor', () => {
  it('reads higher system CPU while CPU-burning children run than without them', async () => {
    const monitor = new ResourceMonitor(limits());
    monitor.startMonitoring();
    try {
      await monitor.nextSample();
      const quiet = await monitor.nextSample();
      const burners = availableParallelism();
      const busy = await withFixtures(
        () => Promise.all(Array.from({ length: burners }, () => startFixture('burn-cpu.mjs'))),
        async () => {
          await monitor.nextSample(); // overlaps the start of the burners
          const a = await monitor.nextSample();
          const b = await monitor.nextSample();
          return Math.max(a.cpuPercent, b.cpuPercent);
        },
      );
      // One burner per core saturates the machine whatever else runs on it.
      assert.ok(busy >= 80, `cpu while burning: ${busy}%`);
      if (quiet.cpuPercent < 80)
        assert.ok(busy > quiet.cpuPercent, `busy ${busy}% vs quiet ${quiet.cpuPercent}%`);
    } finally {
      monitor.stopMonitoring();
    }
  });

  it('delivers samples to listeners with the task counts the engine set', async () => {
    const monitor = new ResourceMonitor(limits({ monitoringInterval: 50 }));
    monitor.setRunningTasks(3);
    monitor.setQueuedTasks(7);
    const seen: number[] = [];
    const off = monitor.onSample((s) => seen.push(s.runningTasks));
    monitor.startMonitoring();
    try {
      const sample = await monitor.nextSample();
      assert.equal(sample.runningTasks, 3);
      assert.equal(sample.queuedTasks, 7);
      assert.ok(sample.cpuPercent >= 0 && sample.cpuPercent <= 100);
      assert.ok(sample.memoryPercent > 0 && sample.memoryPercent <= 100);
      assert.ok(sample.timestamp instanceof Date);
      assert.deepEqual(seen, [3]);
      off();
      await monitor.nextSample();
      assert.deepEqual(seen, [3]);
      monitor.setRunningTasks(1);
      assert.equal(monitor.getCurrentUsage().runningTasks, 1);
    } finally {
      monitor.stopMonitoring();
    }
  });

  it('stops sampling when its AbortSignal aborts', async () => {
    const monitor = new ResourceMonitor(limits({ monitoringInterval: 20 }));
    const controller = new AbortController();
    monitor.startMonitoring(controller.signal);
    assert.equal(monitor.isMonitoring, true);
    await monitor.nextSample();
    controller.abort();
    assert.equal(monitor.isMonitoring, false);
    await assert.rejects(monitor.nextSample(AbortSignal.abort(new Error('no more'))), /no more/);
  });

  it('never keeps the process alive on its own', async () => {
    const module = fileURLToPath(new URL('../../src/resources/monitor.js', import.meta.url));
    const script = `import(${JSON.stringify(module)}).then(({ ResourceMonitor }) => {
      new ResourceMonitor({ maxCpuPercent: 80, maxMemoryPercent: 80, maxConcurrentTasks: 1,
        monitoringInterval: 10, throttleThreshold: 0.9 }).startMonitoring();
      console.log('started');
    });`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    const safety = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const [code, signal] = await once(child, 'exit');
    clearTimeout(safety);
    assert.equal(out.trim(), 'started');
    assert.deepEqual([code, signal], [0, null]);
  });

  it('reports an estimate that can never fit as unavailable', () => {
    const monitor = new ResourceMonitor(limits());
    const result = monitor.checkResourceAvailability({ cpu: availableParallelism() * 4 });
    assert.equal(result.status, 'unavailable');
    assert.equal(result.status === 'unavailable' && result.resource, 'cpu');
    assert.equal(monitor.checkResourceAvailability({}).status !== 'unavailable', true);
  });
});
