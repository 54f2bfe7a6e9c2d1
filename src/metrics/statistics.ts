/**
 * Sample statistics for benchmarks: percentiles, standard deviation and a Welch test that tells a real
 * difference of means from noise.
 * @module
 */

/** Summary statistics of a sample of durations (ms). */
export interface SampleStatistics {
  iterations: number;
  min: number;
  max: number;
  mean: number;
  median: number;
  p95: number;
  p99: number;
  /** Sample standard deviation (n − 1 in the denominator); 0 for fewer than two values. */
  stdDev: number;
  /** 1000 / mean; 0 when the mean is 0. */
  opsPerSecond: number;
}

/**
 * The `p`-th percentile (0–100) of values sorted ascending, by linear interpolation between closest
 * ranks (the method of NumPy's default and R's type 7). NaN for an empty array.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const a = sorted[low]!;
  const b = sorted[high]!;
  return a + (b - a) * (rank - low);
}

/** Statistics of a non-empty sample. */
export function describeSample(values: readonly number[]): SampleStatistics {
  if (values.length === 0) throw new RangeError('a benchmark sample needs at least one value');
  const sorted = [...values].sort((x, y) => x - y);
  const n = sorted.length;
  const mean = sorted.reduce((sum, v) => sum + v, 0) / n;
  const variance = n < 2 ? 0 : sorted.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1);
  return {
    iterations: n,
    min: sorted[0]!,
    max: sorted[n - 1]!,
    mean,
    median: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    stdDev: Math.sqrt(variance),
    opsPerSecond: mean > 0 ? 1000 / mean : 0,
  };
}

const T_975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** The two-sided 95% critical value of Student's t with `df` degrees of freedom (df rounded down). */
export function tCritical95(df: number): number {
  if (!(df >= 1)) return T_975[0]!;
  const whole = Math.floor(df);
  if (whole <= T_975.length) return T_975[whole - 1]!;
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * whole) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * whole ** 2);
}

/** A sample reduced to what a comparison needs. */
export interface SampleMoments {
  iterations: number;
  mean: number;
  stdDev: number;
}

/**
 * Half-width of the 95% confidence interval of the difference of two means (Welch's t-test, unequal
 * variances). 0 when neither sample has spread.
 */
export function welchMargin(a: SampleMoments, b: SampleMoments): number {
  const va = a.iterations > 0 ? a.stdDev ** 2 / a.iterations : 0;
  const vb = b.iterations > 0 ? b.stdDev ** 2 / b.iterations : 0;
  const se2 = va + vb;
  if (!(se2 > 0)) return 0;
  const denominator =
    (a.iterations > 1 ? va ** 2 / (a.iterations - 1) : 0) +
    (b.iterations > 1 ? vb ** 2 / (b.iterations - 1) : 0);
  const df = denominator > 0 ? se2 ** 2 / denominator : 1;
  return tCritical95(df) * Math.sqrt(se2);
}
