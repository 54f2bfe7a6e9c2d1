/**
 * {@link BenchmarkResult} and {@link ComparisonResult}: what a benchmark measured, how it compares with a
 * baseline, and the JSON form in which a baseline is stored.
 * @module
 */

import { lazy, zodLib } from '../libraries.js';
import { SerializationError } from '../model/errors.js';
import { describeSample, type SampleStatistics, welchMargin } from './statistics.js';

/** What one benchmark run measured (the reference's `BenchmarkResult`). Times are milliseconds. */
export interface BenchmarkResult extends SampleStatistics {
  name: string;
  /** The duration of every measured iteration, in order (warm-up excluded). */
  samples: number[];
  /** When the run finished (ISO 8601). */
  timestamp: string;
}

/** How a result compares with a baseline (the reference's `ComparisonResult`). */
export interface ComparisonResult {
  name: string;
  /** Mean of the current run, ms. */
  current: number;
  /** Mean of the baseline, ms. */
  baseline: number;
  /** current / baseline: below 1 is faster. */
  ratio: number;
  /** (ratio − 1) × 100: negative is faster. */
  percentChange: number;
  /** Half-width of the 95% confidence interval of the difference of means, ms (Welch's t-test). */
  noise: number;
  /**
   * `faster` or `slower` when the difference of means exceeds `noise`, judged from the spread of both
   * samples; `within_noise` otherwise.
   */
  verdict: 'faster' | 'slower' | 'within_noise';
}

/** Builds a result from measured durations. */
export function benchmarkResultOf(
  name: string,
  samples: readonly number[],
  at: Date = new Date(),
): BenchmarkResult {
  return { name, ...describeSample(samples), samples: [...samples], timestamp: at.toISOString() };
}

/** Compares `current` with `baseline` (see {@link ComparisonResult}). */
export function compareResults(current: BenchmarkResult, baseline: BenchmarkResult): ComparisonResult {
  const difference = current.mean - baseline.mean;
  const noise = welchMargin(current, baseline);
  const ratio = baseline.mean > 0 ? current.mean / baseline.mean : Number.POSITIVE_INFINITY;
  let verdict: ComparisonResult['verdict'] = 'within_noise';
  if (Math.abs(difference) > noise) verdict = difference < 0 ? 'faster' : 'slower';
  return {
    name: current.name,
    current: current.mean,
    baseline: baseline.mean,
    ratio,
    percentChange: (ratio - 1) * 100,
    noise,
    verdict,
  };
}

const FORMAT = 'jorm-benchmark';
const VERSION = 1;

/** The shape of a stored result, built on first use (zod loads then). */
const resultSchema = lazy(() => {
  const { z } = zodLib();
  const duration = z.number().nonnegative();
  return z
    .object({
      format: z.literal(FORMAT),
      version: z.literal(VERSION),
      name: z.string().min(1),
      iterations: z.number().int().positive(),
      min: duration,
      max: duration,
      mean: duration,
      median: duration,
      p95: duration,
      p99: duration,
      stdDev: duration,
      opsPerSecond: duration,
      samples: z.array(duration).optional(),
      timestamp: z.iso.datetime({ offset: true }),
    })
    .refine((r) => r.min <= r.median && r.median <= r.max && r.min <= r.mean && r.mean <= r.max, {
      message: 'statistics are inconsistent: min ≤ median, mean ≤ max must hold',
    })
    .refine((r) => r.samples === undefined || r.samples.length === r.iterations, {
      message: 'samples must hold one value per iteration',
      path: ['samples'],
    });
});

/** The JSON text of a result, for storing a baseline. */
export function benchmarkResultToJSON(result: BenchmarkResult): string {
  return `${JSON.stringify({ format: FORMAT, version: VERSION, ...result }, null, 2)}\n`;
}

/**
 * Reads a result stored by {@link benchmarkResultToJSON} (text, or an already parsed value), validating
 * every field. A stored result without `samples` gets an empty list.
 * @throws SerializationError saying what is wrong.
 */
export function benchmarkResultFromJSON(input: string | unknown): BenchmarkResult {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (error) {
      throw new SerializationError(`benchmark result is not valid JSON: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  const parsed = resultSchema().safeParse(value);
  if (!parsed.success) {
    throw new SerializationError(`invalid benchmark result:\n${zodLib().prettifyError(parsed.error)}`, {
      cause: parsed.error,
    });
  }
  const { format: _format, version: _version, samples, ...rest } = parsed.data;
  return { ...rest, samples: samples ?? [] };
}
