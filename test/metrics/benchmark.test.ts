import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { PerformanceBenchmark } from '../../src/metrics/benchmark.js';
import {
  type BenchmarkResult,
  benchmarkResultFromJSON,
  benchmarkResultOf,
  benchmarkResultToJSON,
  compareResults,
} from '../../src/metrics/benchmark-result.js';
import { describeSample, percentile, tCritical95, welchMargin } from '../../src/metrics/statistics.js';
import { CancelledError, ConfigurationError, SerializationError } from '../../src/model/errors.js';

const close = (actual: number, expected: number, digits = 6): void =>
  assert.ok(Math.abs(actual - expected) < 10 ** -digits, `${actual} ≉ ${expected}`);

describe('sample statistics', () => {
  it('describes 1..100', () => {
    const s = describeSample(Array.from({ length: 100 }, (_, i) => 100 - i));
    assert.equal(s.iterations, 100);
    assert.equal(s.min, 1);
    assert.equal(s.max, 100);
    assert.equal(s.mean, 50.5);
    assert.equal(s.median, 50.5);
    close(s.p95, 95.05);
    close(s.p99, 99.01);
    close(s.stdDev, Math.sqrt(841.666666666666));
    close(s.opsPerSecond, 1000 / 50.5);
  });

  it('handles one value and interpolates percentiles', () => {
    const s = describeSample([4]);
    assert.deepEqual([s.min, s.max, s.median, s.p99, s.stdDev], [4, 4, 4, 4, 0]);
    assert.equal(percentile([10, 20], 25), 12.5);
    assert.ok(Number.isNaN(percentile([], 50)));
    assert.throws(() => describeSample([]), RangeError);
  });

  it('uses Student t critical values', () => {
    assert.equal(tCritical95(1), 12.706);
    assert.equal(tCritical95(10), 2.228);
    close(tCritical95(1000), 1.9623, 3);
    // Equal spreads of 2 over 10 values each: se = sqrt(0.8), df = 18.
    close(
      welchMargin({ iterations: 10, mean: 5, stdDev: 2 }, { iterations: 10, mean: 6, stdDev: 2 }),
      2.101 * Math.sqrt(0.8),
    );
    assert.equal(
      welchMargin({ iterations: 3, mean: 1, stdDev: 0 }, { iterations: 3, mean: 2, stdDev: 0 }),
      0,
    );
  });
});

const jitter = (base: number, n = 40): number[] =>
  Array.from({ length: n }, (_, i) => base + ((i * 7) % 10) / 10);

describe('compareResults', () => {
  it('calls a difference inside the spread noise, and a clear one faster or slower', () => {
    const baseline = benchmarkResultOf('op', jitter(10));
    const same = compareResults(benchmarkResultOf('op', jitter(10.02)), baseline);
    assert.equal(same.verdict, 'within_noise');
    const slower = compareResults(benchmarkResultOf('op', jitter(15)), baseline);
    assert.equal(slower.verdict, 'slower');
    close(slower.ratio, 15.45 / 10.45);
    close(slower.percentChange, (15.45 / 10.45 - 1) * 100);
    assert.equal(compareResults(benchmarkResultOf('op', jitter(5)), baseline).verdict, 'faster');
    const wide = benchmarkResultOf('op', [1, 30, 2, 25, 3, 28]);
    assert.equal(
      compareResults(benchmarkResultOf('op', [2, 31, 3, 26, 4, 29]), wide).verdict,
      'within_noise',
    );
  });
});

describe('PerformanceBenchmark', () => {
  it('runs warm-up plus measured iterations, awaiting async operations', async () => {
    let calls = 0;
    const bench = new PerformanceBenchmark('tick', { iterations: 20, warmup: 5 });
    const result = await bench.runBenchmark(async () => {
      calls++;
      await new Promise<void>((resolve) => setImmediate(resolve));
    });
    assert.equal(calls, 25);
    assert.equal(result.name, 'tick');
    assert.equal(result.iterations, 20);
    assert.equal(result.samples.length, 20);
    assert.ok(result.samples.every((s) => s > 0));
    assert.ok(result.min <= result.median && result.median <= result.p95 && result.p95 <= result.max);
    assert.equal(bench.lastResult, result);
    assert.equal(bench.compareWithBaseline(result).verdict, 'within_noise');
  });

  it('passes on errors of the operation and stops when aborted', async () => {
    await assert.rejects(
      new PerformanceBenchmark('x', { iterations: 3, warmup: 0 }).runBenchmark(() => {
        throw new Error('boom');
      }),
      /boom/,
    );
    const controller = new AbortController();
    let calls = 0;
    const bench = new PerformanceBenchmark('x', { iterations: 10, warmup: 0, signal: controller.signal });
    await assert.rejects(
      bench.runBenchmark(() => {
        if (++calls === 3) controller.abort();
      }),
      CancelledError,
    );
    assert.equal(calls, 3);
  });

  it('validates its options and needs a run before comparing', () => {
    assert.throws(() => new PerformanceBenchmark('x', { iterations: 0 }), ConfigurationError);
    assert.throws(() => new PerformanceBenchmark('x', { warmup: -1 }), /warmup/);
    const bench = new PerformanceBenchmark('x');
    assert.equal(bench.iterations, 100);
    assert.equal(bench.warmup, 10);
    assert.throws(() => bench.compareWithBaseline(benchmarkResultOf('x', [1])), /has not run yet/);
  });
});

describe('benchmark result JSON', () => {
  const result: BenchmarkResult = benchmarkResultOf('parse', [3, 1, 2], new Date('2025-05-01T00:00:00Z'));

  it('round-trips, and saves and loads through a file', async () => {
    assert.deepEqual(benchmarkResultFromJSON(benchmarkResultToJSON(result)), result);
    const dir = await mkdtemp(path.join(tmpdir(), 'jorm-bench-'));
    try {
      const file = path.join(dir, 'baseline.json');
      await PerformanceBenchmark.saveResult(file, result);
      assert.deepEqual(await PerformanceBenchmark.loadResult(file), result);
      await writeFile(file, '{"format":"jorm-benchmark"}');
      await assert.rejects(PerformanceBenchmark.loadResult(file), (e: unknown) => {
        assert.ok(e instanceof SerializationError);
        assert.ok(e.message.startsWith(file));
        return true;
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects invalid data with what is wrong', () => {
    const stored = JSON.parse(benchmarkResultToJSON(result)) as Record<string, unknown>;
    assert.throws(() => benchmarkResultFromJSON('not json'), /not valid JSON/);
    assert.throws(() => benchmarkResultFromJSON({ ...stored, min: -1 }), /min/);
    assert.throws(() => benchmarkResultFromJSON({ ...stored, max: 0.5 }), /inconsistent/);
    assert.throws(() => benchmarkResultFromJSON({ ...stored, samples: [1] }), /one value per iteration/);
    assert.throws(() => benchmarkResultFromJSON({ ...stored, version: 2 }), SerializationError);
    assert.throws(() => benchmarkResultFromJSON({ ...stored, timestamp: 'yesterday' }), /timestamp/);
    const { samples: _samples, ...withoutSamples } = stored;
    assert.deepEqual(benchmarkResultFromJSON(withoutSamples).samples, []);
  });
});
