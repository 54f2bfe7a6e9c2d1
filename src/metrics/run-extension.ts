/**
 * The metrics part of `jorm run` (CLI glue, loaded by `src/cli/commands/index.ts`):
 *
 * - the summary gains the critical path and the time tasks spent waiting for a slot;
 * - `--metrics-file PATH` writes the run's metrics (Prometheus text for `.prom`, JSON otherwise), with
 *   resource monitoring on during the run so that the file holds CPU and memory samples.
 * @module
 */

import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { registerRunExtension } from '../cli/run/extensions.js';
import { ConfigurationError, errorMessage } from '../model/errors.js';
import { writeMetricsFile } from './export.js';
import { formatMetricsSummary } from './summary.js';

function metricsPathOf(raw: Record<string, unknown>): string | undefined {
  const value = raw['metricsFile'];
  return typeof value === 'string' && value !== '' ? resolve(value) : undefined;
}

/** The nearest existing directory at or above `path`'s parent. */
function existingAncestor(path: string): string {
  let dir = dirname(path);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** Fails before the run when the metrics file could not be written (a directory, no permission). */
function checkWritable(path: string): void {
  const fail = (why: string): never => {
    throw new ConfigurationError(`--metrics-file ${path}: ${why}`, 'metricsFile', path);
  };
  if (existsSync(path) && statSync(path).isDirectory()) fail('is a directory; give a file path');
  const dir = existingAncestor(path);
  if (!statSync(dir).isDirectory()) fail(`${dir} is not a directory`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    fail(`cannot write in ${dir}`);
  }
}

registerRunExtension({
  name: 'metrics',
  addOptions(command) {
    command.option(
      '--metrics-file <path>',
      "write the run's metrics to PATH: Prometheus text when it ends in .prom, JSON otherwise",
    );
  },
  beforeRun(plan) {
    const path = metricsPathOf(plan.options.raw);
    if (path) checkWritable(path);
  },
  onExecutor(executor, plan) {
    if (!metricsPathOf(plan.options.raw)) return;
    executor.startResourceMonitoring();
    plan.cleanups.push(() => executor.stopResourceMonitoring());
  },
  async afterRun(result, plan) {
    const lines = formatMetricsSummary(result.metrics);
    const path = metricsPathOf(plan.options.raw);
    if (!path) return lines;
    try {
      await writeMetricsFile(path, result.metrics, {
        labels: { dag: result.dagId, execution_id: result.executionId },
      });
      lines.push(`metrics: ${path}`);
    } catch (error) {
      process.stderr.write(`jorm: warning: ${errorMessage(error)}\n`);
      lines.push(`metrics: not written (${errorMessage(error)})`);
    }
    return lines;
  },
});
