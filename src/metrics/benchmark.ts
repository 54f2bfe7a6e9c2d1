/**
 * {@link PerformanceBenchmark}: times an operation over many iterations and compares runs.
 * @module
 */

import { promises as fsp } from 'node:fs';
import { CancelledError, ConfigurationError, IoError } from '../model/errors.js';
import {
  type BenchmarkResult,
  benchmarkResultFromJSON,
  benchmarkResultOf,
  benchmarkResultToJSON,
  type ComparisonResult,
  compareResults,
} from './benchmark-result.js';

/** Options of a {@link PerformanceBenchmark}. */
export interface BenchmarkOptions {
  /** Measured iterations. @defaultValue 100 */
  iterations?: number;
  /** Iterations run first and not measured (JIT warm-up, caches). @defaultValue 10 */
  warmup?: number;
  /** Stops the benchmark between iterations; `runBenchmark` then rejects with a `CancelledError`. */
  signal?: AbortSignal;
}

/** One iteration of the benchmarked work; may be async. */
export type BenchmarkOperation = () => unknown;

function count(field: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigurationError(
      `${field} must be a whole number ≥ ${min}, got ${value}`,
      field,
      String(value),
    );
  }
  return value;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Benchmarks an operation (the reference's `PerformanceBenchmark`).
 *
 * ```ts
 * const bench = new PerformanceBenchmark('parse', { iterations: 200, warmup: 20 });
 * const result = await bench.runBenchmark(() => parseDag(text, { format: 'yaml' }));
 * const baseline = await PerformanceBenchmark.loadResult('baseline.json');
 * console.log(bench.compareWithBaseline(baseline).verdict); // 'faster' | 'slower' | 'within_noise'
 * ```
 */
export class PerformanceBenchmark {
  readonly name: string;
  readonly iterations: number;
  readonly warmup: number;
  private readonly signal: AbortSignal | undefined;
  private last: BenchmarkResult | undefined;

  /** @throws ConfigurationError for iterations below 1 or a negative warm-up. */
  constructor(name: string, options: BenchmarkOptions = {}) {
    this.name = name;
    this.iterations = count('iterations', options.iterations ?? 100, 1);
    this.warmup = count('warmup', options.warmup ?? 10, 0);
    this.signal = options.signal;
  }

  /** The result of the last {@link runBenchmark}, if any. */
  get lastResult(): BenchmarkResult | undefined {
    return this.last;
  }

  /**
   * Runs `operation` `warmup` times, then `iterations` times measuring each (a monotonic clock, awaiting
   * it when it returns a promise). A thrown error or rejection stops the benchmark and is passed on.
   */
  async runBenchmark(operation: BenchmarkOperation): Promise<BenchmarkResult> {
    for (let i = 0; i < this.warmup; i++) {
      this.checkAborted();
      const value = operation();
      if (isThenable(value)) await value;
    }
    const samples: number[] = new Array(this.iterations);
    for (let i = 0; i < this.iterations; i++) {
      this.checkAborted();
      const start = performance.now();
      const value = operation();
      if (isThenable(value)) await value;
      samples[i] = performance.now() - start;
    }
    this.last = benchmarkResultOf(this.name, samples);
    return this.last;
  }

  /**
   * Compares the last run with `baseline`.
   * @throws ConfigurationError when the benchmark has not run yet.
   */
  compareWithBaseline(baseline: BenchmarkResult): ComparisonResult {
    if (!this.last) {
      throw new ConfigurationError(
        `benchmark "${this.name}" has not run yet: call runBenchmark before compareWithBaseline`,
        'baseline',
        baseline.name,
      );
    }
    return compareResults(this.last, baseline);
  }

  /** Writes a result as JSON (see `benchmarkResultToJSON`). @throws IoError */
  static async saveResult(path: string, result: BenchmarkResult): Promise<void> {
    try {
      await fsp.writeFile(path, benchmarkResultToJSON(result), 'utf8');
    } catch (error) {
      throw new IoError(`cannot write benchmark result ${path}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  /** Reads and validates a stored result. @throws IoError, SerializationError */
  static async loadResult(path: string): Promise<BenchmarkResult> {
    let text: string;
    try {
      text = await fsp.readFile(path, 'utf8');
    } catch (error) {
      throw new IoError(`cannot read benchmark result ${path}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    try {
      return benchmarkResultFromJSON(text);
    } catch (error) {
      if (error instanceof Error) error.message = `${path}: ${error.message}`;
      throw error;
    }
  }

  private checkAborted(): void {
    if (this.signal?.aborted) {
      throw new CancelledError(`benchmark "${this.name}" cancelled`, { cause: this.signal.reason });
    }
  }
}
