/**
 * Writing {@link ExecutionMetrics} out: JSON, or Prometheus text for `.prom` files.
 * @module
 */

import { promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { IoError } from '../model/errors.js';
import type { ExecutionMetrics } from '../model/result.js';
import { metricsToPrometheus, type PrometheusLabels } from './prometheus.js';
import { summarizeMetrics } from './summary.js';

/**
 * Metrics as pretty-printed JSON: every field of {@link ExecutionMetrics} (times in ms, sample
 * timestamps as ISO 8601) plus `criticalPathTime` and `totalWaitTime` (ms).
 */
export function metricsToJson(metrics: ExecutionMetrics): string {
  const summary = summarizeMetrics(metrics);
  const document = {
    ...metrics,
    criticalPathTime: summary.criticalPathTime,
    totalWaitTime: summary.totalWaitTime,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Options of {@link writeMetricsFile}. */
export interface WriteMetricsOptions {
  /** Labels added to every Prometheus series (ignored for JSON). */
  labels?: PrometheusLabels;
}

/** Whether a path gets the Prometheus text format (it ends in `.prom`). */
export function isPrometheusPath(path: string): boolean {
  return path.toLowerCase().endsWith('.prom');
}

/**
 * Writes metrics to `path`: Prometheus text when it ends in `.prom`, JSON otherwise. The parent directory
 * is created; the file is replaced atomically (written beside it, then renamed), so a Prometheus
 * textfile collector never reads half a file.
 * @throws IoError naming the path when it cannot be written.
 */
export async function writeMetricsFile(
  path: string,
  metrics: ExecutionMetrics,
  options: WriteMetricsOptions = {},
): Promise<void> {
  const text = isPrometheusPath(path) ? metricsToPrometheus(metrics, options.labels) : metricsToJson(metrics);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await fsp.mkdir(dirname(path), { recursive: true });
    await fsp.writeFile(temp, text, 'utf8');
    await fsp.rename(temp, path);
  } catch (error) {
    await fsp.rm(temp, { force: true }).catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new IoError(`cannot write metrics file ${path}: ${reason}`, { cause: error });
  }
}
