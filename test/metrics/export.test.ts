import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { metricsToJson, writeMetricsFile } from '../../src/metrics/export.js';
import { IoError } from '../../src/model/errors.js';
import { type ExecutionMetrics, emptyMetrics } from '../../src/model/result.js';

function metrics(): ExecutionMetrics {
  const m = emptyMetrics();
  m.totalTasks = 2;
  m.successfulTasks = 2;
  m.totalExecutionTime = 300;
  m.taskExecutionTimes = { a: 100, b: 200 };
  m.taskWaitTimes = { a: 0, b: 40 };
  m.criticalPath = ['a', 'b'];
  m.resourceUsageSamples.push({
    cpuPercent: 12.5,
    memoryPercent: 40,
    runningTasks: 1,
    queuedTasks: 1,
    timestamp: new Date('2025-01-02T03:04:05.000Z'),
  });
  return m;
}

describe('writeMetricsFile', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'jorm-metrics-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes JSON with the derived totals, creating the directory', async () => {
    const file = path.join(dir, 'nested', 'run.json');
    await writeMetricsFile(file, metrics());
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    assert.equal(parsed.totalExecutionTime, 300);
    assert.deepEqual(parsed.criticalPath, ['a', 'b']);
    assert.equal(parsed.criticalPathTime, 300);
    assert.equal(parsed.totalWaitTime, 40);
    assert.deepEqual(parsed.resourceUsageSamples, [
      {
        cpuPercent: 12.5,
        memoryPercent: 40,
        runningTasks: 1,
        queuedTasks: 1,
        timestamp: '2025-01-02T03:04:05.000Z',
      },
    ]);
    assert.equal(await readFile(file, 'utf8'), metricsToJson(metrics()));
  });

  it('writes Prometheus text for .prom files, with labels, and leaves no temporary file', async () => {
    const file = path.join(dir, 'run.prom');
    await writeMetricsFile(file, metrics(), { labels: { dag: 'demo' } });
    const text = await readFile(file, 'utf8');
    assert.match(text, /^# HELP jorm_execution_duration_seconds /);
    assert.match(text, /^jorm_task_wait_seconds\{dag="demo",task="b"\} 0\.04$/m);
    assert.deepEqual(
      (await readdir(dir)).filter((f) => f.endsWith('.tmp')),
      [],
    );
  });

  it('fails with an IoError naming the path when it cannot write', async () => {
    const blocker = path.join(dir, 'a-file');
    await writeFile(blocker, 'x');
    const target = path.join(blocker, 'metrics.json');
    await assert.rejects(writeMetricsFile(target, metrics()), (error: unknown) => {
      assert.ok(error instanceof IoError);
      assert.ok(error.message.includes(target));
      return true;
    });
  });
});
